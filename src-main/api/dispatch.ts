import path from 'node:path';
import type {
  CommandInput,
  CommandName,
  CommandOutput,
  CommandResult,
  DirListingDto,
  FarmDto,
  LogDto,
  SettingsDto,
} from '../../src-preload/contract';
import packageJson from '../../package.json';
import { dccRegistry, sceneExtensions } from '../engine/adapters/registry';
import { listDir } from '../engine/browse/list-dir';
import type { Engine } from '../engine/engine';
import { InputError } from '../engine/errors';
import type { FarmListing } from '../engine/farm/profiles';
import { loadBatchSource } from '../engine/batch/source';
import { checkUserExecutable } from '../engine/executables';
import { cached } from './cached';
import { frameImageInfo } from './frame-file';
import { toCommandError, zodError } from './command-error';
import { COMMAND_INPUT_SCHEMAS, isCommandName } from './contract-schemas';
import { machineDetectors, type Detectors } from './detectors';

export interface Dialogs {
  openScene(): Promise<string | null>;
  openFolder(): Promise<string | null>;
  /** Shows a folder in the OS file manager; false when it could not (it does not exist yet). */
  showFolder?(folder: string): Promise<boolean>;
  /** Shows a file selected in the OS file manager (Electron's shell.showItemInFolder). */
  revealFile?(file: string): void;
}

export type { Detectors };

export interface DispatchEnv {
  mode: 'electron' | 'browser';
  /** Native dialogs; absent in browser mode, where the UI shows a path field instead. */
  dialogs?: Dialogs;
  detectors?: Detectors;
  /**
   * Delivers the live log lines gathered so far. Called before a log is read, so a reader never
   * gets a line in the read that its live stream has yet to bring (it would show that line twice).
   */
  beforeLogRead?: () => void;
  /** Where unexpected failures are reported in full (the UI only gets one line). */
  onInternalError?: (command: string, error: unknown) => void;
}

export type Dispatcher = (command: string, input: unknown) => Promise<CommandResult<unknown>>;

type Handlers = { [C in CommandName]: (input: CommandInput<C>) => Promise<CommandOutput<C>> | CommandOutput<C> };

/**
 * One command in, one CommandResult out, for every transport (Electron IPC, browser HTTP). Input
 * is validated against the contract before the engine sees it, and nothing thrown escapes: the
 * transports only move bytes.
 */
export function createDispatcher(engine: Engine, env: DispatchEnv): Dispatcher {
  const handlers = createHandlers(engine, env);
  const report = env.onInternalError ?? ((command, error) => process.stderr.write(`spool: ${command} failed: ${stackOf(error)}\n`));

  return async (command, input) => {
    try {
      if (!isCommandName(command)) {
        return { ok: false, error: { code: 'invalid', message: `unknown command ${JSON.stringify(String(command).slice(0, 100))}` } };
      }
      const parsed = COMMAND_INPUT_SCHEMAS[command].safeParse(input ?? {});
      if (!parsed.success) return { ok: false, error: zodError(parsed.error) };
      const handler = handlers[command] as (input: unknown) => unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      const mapped = toCommandError(error);
      if (mapped.code === 'internal') report(command, error);
      return { ok: false, error: mapped };
    }
  };
}

function createHandlers(engine: Engine, env: DispatchEnv): Handlers {
  const detectors = { ...machineDetectors(engine), ...env.detectors };
  const hardware = cached(detectors.hardware);
  const dccs = cached(detectors.dccs);
  // The engine re-detects in the background after it starts: answer from its fresh results then.
  engine.on('detected', () => {
    hardware.forget();
    dccs.forget();
  });

  /** All or nothing for a missing id: a bulk action never half-applies because of a typo. */
  const eachJob = <T>(ids: number[], act: (id: number) => T): T[] => {
    const unique = [...new Set(ids)];
    for (const id of unique) engine.job(id);
    return unique.map(act);
  };

  const readSettings = (): SettingsDto => ({
    defaults: engine.readSetting('defaults'),
    userExecutables: engine.readSetting('dccs.user'),
  });

  return {
    'app.info': () => ({ version: packageJson.version, mode: env.mode, dataDir: engine.dataDir, platform: process.platform }),
    'jobs.list': () => engine.listJobs(),
    'jobs.get': ({ id, frames, framesSince }) => engine.jobDetail(id, { frames, framesSince }),
    'jobs.submit': (input) => engine.submit(input),
    'jobs.pause': ({ ids, now }) => eachJob(ids, (id) => engine.pause(id, { now })),
    'jobs.resume': ({ ids }) => eachJob(ids, (id) => engine.setIntent(id, 'active')),
    'jobs.cancel': ({ ids }) => eachJob(ids, (id) => engine.setIntent(id, 'canceled')),
    'jobs.retry': ({ ids }) => eachJob(ids, (id) => engine.retry(id)),
    'jobs.duplicate': async ({ ids }) => {
      const copies = [];
      for (const id of eachJob(ids, (id) => id)) copies.push(await engine.duplicate(id));
      return copies;
    },
    'jobs.delete': ({ ids }) => ({
      deleted: eachJob(ids, (id) => {
        engine.delete(id);
        return id;
      }),
    }),
    'jobs.modify': ({ id, ...changes }) => engine.modify(id, changes),
    'batch.plan': async (source) => engine.plan({ kind: 'batch', batch: loadBatchSource(source) }),
    'batch.submit': (source) => engine.submitBatch(loadBatchSource(source)),
    'watch.list': () => engine.watchFolders(),
    'watch.add': ({ dir, defaults, allow }) => engine.watchFolder(path.resolve(dir), defaults, allow),
    'watch.remove': ({ dir }) => ({ removed: engine.unwatchFolder(path.resolve(dir)) }),
    'jobs.setPriority': ({ id, priority }) => engine.setPriority(id, priority),
    'frames.act': ({ id, action, frames, preview }) => engine.frameAction(id, action, frames, { preview }),
    'jobs.clearFinished': ({ ids }) => engine.clearFinished(ids ? eachJob(ids, (id) => id) : undefined),
    'jobs.outputFolder': async ({ id, open }) => {
      const folder = engine.outputFolder(id);
      const opened = open && folder && env.dialogs?.showFolder ? await env.dialogs.showFolder(folder) : false;
      return { folder, opened };
    },
    'jobs.log': ({ id, ...query }) => {
      env.beforeLogRead?.();
      return toLogDto(engine.readLog(id, query));
    },
    'jobs.report': ({ ids, since, format }) => ({ format, ...engine.report(format, { ids, since }) }),
    'scene.probe': ({ scene, dcc, quiet }) => quietly(quiet, () => engine.probeScene(path.resolve(scene), dcc), null),
    'scene.warm': ({ dcc }) => {
      engine.warmProbe(dcc);
      return null;
    },
    'devices.get': ({ refresh }) => hardware.get(refresh),
    'dccs.list': ({ refresh }) => dccs.get(refresh),
    'dccs.registry': () => dccRegistry(),
    'settings.get': () => readSettings(),
    'settings.set': ({ defaults, userExecutables }) => {
      userExecutables?.forEach((entry, i) => checkUserExecutable(entry, (part) => `userExecutables.${i}.${part}`));
      if (defaults) engine.writeSetting('defaults', defaults);
      if (userExecutables) {
        engine.writeSetting('dccs.user', userExecutables);
        // Re-discover now, so the DCC list shows the user's choice; a failure shows on the next list.
        dccs.get(true).catch(() => undefined);
      }
      return readSettings();
    },
    'dialog.openScene': () => env.dialogs?.openScene() ?? null,
    'dialog.openFolder': () => env.dialogs?.openFolder() ?? null,
    'files.list': ({ dir, hidden, quiet }) =>
      quietly(quiet, () => listDir(dir, sceneExtensions(), { hidden }), (): DirListingDto => ({ dir: dir ?? '', parent: null, entries: [], truncated: false })),
    'frames.image': ({ id, frame }) => frameImageInfo(engine, id, frame),
    'frames.reveal': ({ id, frame }) => {
      const file = frameImageInfo(engine, id, frame).path;
      return env.dialogs?.revealFile ? (env.dialogs.revealFile(file), true) : false;
    },
    'farms.list': () => engine.farmListing().map(toFarmDto),
    'farms.add': (input) => {
      const saved = engine.saveFarm(input);
      return toFarmDto(engine.farmListing().find((f) => f.name === saved.name)!);
    },
    'farms.test': ({ name }) => engine.testFarm(name),
    'farms.remove': ({ name }) => {
      engine.removeFarm(name);
      return { removed: name };
    },
  };
}

/**
 * A path being typed is not wrong yet: with `quiet`, the user's input error (missing, unreadable)
 * becomes an empty answer, so the page's console and the form stay calm until the user asks.
 */
async function quietly<T>(quiet: boolean | undefined, run: () => Promise<T>, empty: T | (() => T)): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!quiet || !(error instanceof InputError)) throw error;
    return typeof empty === 'function' ? (empty as () => T)() : empty;
  }
}

/** What Settings shows of a profile: never a token, nor sbatch arguments (they may name accounts). */
function toFarmDto(farm: FarmListing): FarmDto {
  const common = { name: farm.name, pathMap: farm.pathMap, hasToken: farm.hasToken };
  return farm.kind === 'slurm' ? { ...common, kind: 'slurm', partition: farm.partition } : { ...common, kind: 'flamenco', url: farm.url };
}

function toLogDto(log: ReturnType<Engine['readLog']>): LogDto {
  const attempts = log.attempts.map((a) => ({ id: a.id, number: a.number, taskId: a.taskId, reason: a.reason, logPath: a.logPath }));
  return { text: log.text, attempts, ranges: log.ranges, skippedBytes: log.skippedBytes, more: log.more };
}

function stackOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

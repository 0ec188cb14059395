import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { adapterForScene, getAdapter } from '../adapters/registry';
import { isBatchFile, mergeInputs, readBatchFile, toSubmitInput, type ParsedBatch } from '../batch/load';
import { BatchDefaultsSchema } from '../batch/schema';
import { InputError } from '../errors';
import { riskyEnvMessage, riskyEnvNames } from '../env-policy';
import { readSetting, WatchAllowSchema, writeSetting, type SettingsStore, type WatchAllow, type WatchFolder } from '../settings';
import { watchRefusal } from './allow';
import type { SubmitInput } from '../job-input';
import type { Store } from '../store';
import type { JobSummary } from '../types';
import type { JobRecord } from '../types';

/**
 * Watch folders: scenes and batch files saved into a folder are queued by themselves with that
 * folder's defaults. Polled (fs.watch misses events on network shares and differs per platform);
 * a file is queued once it stopped changing (same size and mtime for `stableMs`), and each
 * version of a file (path, size, mtime) once, even across restarts: the store records it in the
 * same transaction that queues its jobs.
 */

export type { WatchFolder };

export interface WatchEvent {
  file: string;
  jobIds: number[];
  /** Why the file was not queued (it is not tried again until it changes). */
  error: string | null;
}

export function readWatchFolders(store: SettingsStore): WatchFolder[] {
  return readSetting(store, 'watch').map((w) => ({ ...w, dir: path.resolve(w.dir) }));
}

/**
 * Adds a folder (or replaces its defaults and what it allows), validating the defaults as a batch
 * file's `defaults`. `allow` says what dropped files may bring (settings.ts WatchAllowSchema).
 */
export function saveWatchFolder(store: SettingsStore, dir: string, defaults: unknown, allow: WatchAllow = {}): WatchFolder {
  const parsed = BatchDefaultsSchema.safeParse(defaults);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(issue.path.join('.') || 'defaults', issue.message);
  }
  const [risky] = readSetting(store, 'security.allowRiskyEnv') ? [] : riskyEnvNames(toSubmitInput(parsed.data).overrides?.env);
  if (risky !== undefined) throw new InputError(`env.${risky}`, riskyEnvMessage(risky, 'a watch folder'));
  const allowed = WatchAllowSchema.safeParse(allow);
  if (!allowed.success) {
    const issue = allowed.error.issues[0]!;
    throw new InputError(['allow', ...issue.path].join('.'), issue.message);
  }
  const unknown = (allowed.data.dccs ?? []).find((dcc) => !getAdapter(dcc));
  if (unknown !== undefined) throw new InputError('allow.dccs', `Spool has no adapter "${unknown}"`);
  // Stored only when something is allowed: a folder that allows nothing reads as before.
  const opened = Object.values(allowed.data).some((v) => v === true || (Array.isArray(v) && v.length > 0));
  const folder: WatchFolder = { dir: path.resolve(dir), defaults: parsed.data, ...(opened ? { allow: allowed.data } : {}) };
  const others = readWatchFolders(store).filter((w) => w.dir !== folder.dir);
  writeSetting(store, 'watch', [...others, folder]);
  return folder;
}

export function removeWatchFolder(store: SettingsStore, dir: string): boolean {
  const all = readWatchFolders(store);
  const rest = all.filter((w) => w.dir !== path.resolve(dir));
  writeSetting(store, 'watch', rest);
  return rest.length !== all.length;
}

export interface WatchFoldersOptions {
  store: Store;
  /** Queue one job per input, all in one transaction with `inTx`. */
  submitMany(inputs: SubmitInput[], inTx: (jobs: JobRecord[]) => void): Promise<JobSummary[]>;
  submitBatch(batch: ParsedBatch, inTx: (jobs: JobRecord[]) => void): Promise<JobSummary[]>;
  onEvent(event: WatchEvent): void;
  /** Default 2 s. */
  pollMs?: number;
  /** How long a file must stay the same before it is queued. Default 1 s. */
  stableMs?: number;
}

interface Seen {
  size: number;
  mtimeMs: number;
  since: number;
}

export class WatchFolders {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly pending = new Map<string, Seen>();
  private readonly pollMs: number;
  private readonly stableMs: number;

  constructor(private readonly options: WatchFoldersOptions) {
    this.pollMs = options.pollMs ?? 2000;
    this.stableMs = options.stableMs ?? 1000;
  }

  start(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.tick().finally(() => (this.running = null));
    }, this.pollMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One look at every folder; exposed for tests. */
  async tick(now = Date.now()): Promise<void> {
    const folders = readWatchFolders(this.options.store);
    const present = new Set<string>();
    for (const folder of folders) {
      for (const file of candidates(folder)) {
        if (this.stopped) return;
        present.add(file);
        let stat;
        try {
          stat = statSync(file);
        } catch {
          continue;
        }
        if (!stat.isFile()) continue;
        const mtimeMs = Math.floor(stat.mtimeMs);
        if (this.options.store.watch.seen(file, stat.size, mtimeMs)) {
          this.pending.delete(file);
          continue;
        }
        const seen = this.pending.get(file);
        if (!seen || seen.size !== stat.size || seen.mtimeMs !== mtimeMs) {
          this.pending.set(file, { size: stat.size, mtimeMs, since: now });
          continue;
        }
        if (now - seen.since < this.stableMs || stat.size === 0) continue;
        this.pending.delete(file);
        await this.queue(folder, file, stat.size, mtimeMs);
      }
    }
    for (const file of this.pending.keys()) if (!present.has(file)) this.pending.delete(file);
  }

  private async queue(folder: WatchFolder, file: string, size: number, mtimeMs: number): Promise<void> {
    const { store } = this.options;
    const record = (jobs: JobRecord[]): void => store.watch.markSeen(file, size, mtimeMs, jobs.map((j) => j.id), null);
    const base = baseInput(folder);
    try {
      const batch = isBatchFile(file);
      const parsed = batch && folder.allow?.batch ? readBatchFile(file, { display: path.relative(folder.dir, file), base }) : null;
      const inputs = parsed ? parsed.inputs : [mergeInputs(base, { scene: file })];
      const refusal = watchRefusal(folder, inputs, { batch }, readSetting(store, 'security.allowRiskyEnv'));
      if (refusal) throw new InputError('input', refusal);
      const jobs = parsed ? await this.options.submitBatch(parsed, record) : await this.options.submitMany(inputs, record);
      this.options.onEvent({ file, jobIds: jobs.map((j) => j.id), error: null });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      store.watch.markSeen(file, size, mtimeMs, [], message);
      this.options.onEvent({ file, jobIds: [], error: message });
    }
  }
}

/** The folder's defaults as a submission; relative paths start at the folder. */
function baseInput(folder: WatchFolder): SubmitInput {
  const input = toSubmitInput(folder.defaults);
  if (typeof input.output === 'string') input.output = path.resolve(folder.dir, input.output);
  if (typeof input.scene === 'string') input.scene = path.resolve(folder.dir, input.scene);
  return input;
}

/**
 * Scene files (an extension some adapter claims, or the folder's DCC claims) and batch files;
 * never hidden files or the temporary names applications save through (`x.blend@`, `x~`, `.part`).
 */
function candidates(folder: WatchFolder): string[] {
  let names: string[];
  try {
    names = readdirSync(folder.dir);
  } catch {
    return [];
  }
  const own = folder.defaults.dcc ? (getAdapter(folder.defaults.dcc)?.extensions ?? []) : [];
  return names
    .filter((name) => !name.startsWith('.') && !/(~|@|\.tmp|\.part|\.crdownload)$/i.test(name))
    .filter((name) => isBatchFile(name) || adapterForScene(name) !== null || own.includes(path.extname(name).toLowerCase()))
    .sort()
    .map((name) => path.join(folder.dir, name));
}

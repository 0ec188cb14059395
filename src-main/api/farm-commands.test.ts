import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeManager, type FakeFlamencoManager } from '../../test/fakes/flamenco-manager';
import { tempDir } from '../../test/helpers/fake-dcc';
import type { CommandResult, FarmDto, FarmTestDto } from '../../src-preload/contract';
import { Engine } from '../engine/engine';
import { tokenFileOf } from '../engine/farm/farm-tokens';
import { createDispatcher, type Dispatcher } from './dispatch';

/**
 * Farm profiles from Settings (issue 12): farms.add / list / test / remove through the dispatcher
 * every face uses, over a real store in a temp dir. No farm runs: Slurm's test points at a
 * controller that is not there; Flamenco's at the fake Manager (written from the spec).
 */
let engine: Engine | null = null;
let manager: FakeFlamencoManager | null = null;
const slurmConf = process.env.SLURM_CONF;
afterEach(async () => {
  await engine?.stop();
  await manager?.goDown();
  engine = null;
  manager = null;
  if (slurmConf === undefined) delete process.env.SLURM_CONF;
  else process.env.SLURM_CONF = slurmConf;
});

async function setup(): Promise<{ dispatch: Dispatcher; dir: string; dataDir: string }> {
  const dir = tempDir('spool-farm-cmd-');
  const dataDir = path.join(dir, 'data');
  engine = await Engine.start({ dataDir, killGraceMs: 500 });
  const dispatch = createDispatcher(engine, { mode: 'browser', detectors: { hardware: async () => null, dccs: async () => [] }, onInternalError: () => undefined });
  return { dispatch, dir, dataDir };
}

function value<T = FarmDto>(result: CommandResult<unknown>): T {
  if (!result.ok) throw new Error(`expected a value, got ${JSON.stringify(result.error)}`);
  return result.value as T;
}

function failure(result: CommandResult<unknown>): { code: string; message: string; field?: string } {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

/** A Slurm config whose controller nobody runs: every client call answers "Unable to contact" at once. */
function deadSlurm(dir: string): string {
  const conf = path.join(dir, 'slurm.conf');
  writeFileSync(conf, 'ClusterName=gone\nSlurmctldHost=localhost\nSlurmctldPort=1\nMessageTimeout=1\nNodeName=localhost\nPartitionName=render Nodes=localhost\n');
  return conf;
}

const TOKEN = 'tok-3f9a1c77-never-shown';

describe('farm profiles from Settings', () => {
  it('adds Slurm and Flamenco profiles, lists what the card needs and keeps the token out of the store', async () => {
    const { dispatch, dataDir } = await setup();
    const slurm = value(await dispatch('farms.add', { kind: 'slurm', name: 'hpc', partition: 'gpu', sbatchArgs: ['--account=secret-project'], pathMap: [{ local: '/mnt/p', farm: '/shared/p' }] }));
    expect(slurm).toEqual({ name: 'hpc', kind: 'slurm', partition: 'gpu', pathMap: [{ local: '/mnt/p', farm: '/shared/p' }], hasToken: false });
    value(await dispatch('farms.add', { kind: 'flamenco', name: 'studio', url: 'http://manager:8080', pathMap: [{ local: '/mnt/p', farm: '/srv/p' }], token: `  ${TOKEN}\n` }));

    const listed = value(await dispatch('farms.list', {}));
    expect(listed).toEqual([
      { name: 'hpc', kind: 'slurm', partition: 'gpu', pathMap: [{ local: '/mnt/p', farm: '/shared/p' }], hasToken: false },
      { name: 'studio', kind: 'flamenco', url: 'http://manager:8080', pathMap: [{ local: '/mnt/p', farm: '/srv/p' }], hasToken: true },
    ]);
    // Neither the token nor sbatch arguments (they may name accounts) reach the page.
    expect(JSON.stringify(listed)).not.toContain(TOKEN);
    expect(JSON.stringify(listed)).not.toContain('secret-project');

    const file = tokenFileOf(dataDir, 'studio');
    expect(readFileSync(file, 'utf8')).toBe(`${TOKEN}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    // Not in the database, its journal, nor anything else of the data dir but the token file.
    await engine!.stop();
    engine = null;
    for (const name of readdirSync(dataDir)) {
      const entry = path.join(dataDir, name);
      if (statSync(entry).isFile()) expect(readFileSync(entry).includes(TOKEN), name).toBe(false);
    }
  });

  it('refuses bad input with the CLI’s messages, naming the field', async () => {
    const { dispatch } = await setup();
    const relative = failure(await dispatch('farms.add', { kind: 'slurm', name: 'hpc', pathMap: [{ local: '/mnt/p', farm: '/s' }, { local: 'here', farm: '/s2' }] }));
    expect(relative).toMatchObject({ code: 'invalid', field: 'pathMap.1.local', message: 'pathMap.1.local: the local side of a path mapping must be an absolute path' });
    expect(failure(await dispatch('farms.add', { kind: 'flamenco', name: 'studio', url: 'ftp://x' }))).toMatchObject({ field: 'url', message: 'url: url must start with http:// or https://' });
    expect(failure(await dispatch('farms.add', { kind: 'flamenco', name: 'studio', url: 'http://me:pw@manager:8080' }))).toMatchObject({ field: 'url' });
    expect(failure(await dispatch('farms.add', { kind: 'slurm', name: 'bad name' }))).toMatchObject({ field: 'name', message: expect.stringContaining('a farm name is letters') });
    expect(failure(await dispatch('farms.add', { kind: 'slurm', name: 'hpc', sbatchArgs: ['time=60'] }))).toMatchObject({ field: 'sbatchArgs.0', message: expect.stringContaining('starts with -') });
    // A token is for Flamenco only, and one line: its value is never repeated back.
    const slurmToken = failure(await dispatch('farms.add', { kind: 'slurm', name: 'hpc', token: TOKEN } as never));
    expect(slurmToken.message).toContain('"token"');
    const twoLines = failure(await dispatch('farms.add', { kind: 'flamenco', name: 'studio', url: 'http://m:8080', token: `${TOKEN}\nsecond` }));
    expect(twoLines).toMatchObject({ field: 'token', message: 'token: the token is one line' });
    expect(JSON.stringify([slurmToken, twoLines])).not.toContain(TOKEN);
    expect(value(await dispatch('farms.list', {}))).toEqual([]);
  });

  it('tests a farm: a Slurm controller that is not there is a failed check, not an error', async () => {
    const { dispatch, dir } = await setup();
    const shared = path.join(dir, 'shared');
    mkdirSync(shared);
    process.env.SLURM_CONF = deadSlurm(dir);
    value(await dispatch('farms.add', { kind: 'slurm', name: 'hpc', pathMap: [{ local: shared, farm: '/srv/shared' }] }));
    const tested = value<FarmTestDto>(await dispatch('farms.test', { name: 'hpc' }));
    expect(tested.ok).toBe(false);
    expect(tested.checks).toEqual([{ state: 'problem', text: expect.stringMatching(/^not ok: farm hpc is unreachable: .*(Unable to contact slurm controller|not installed here)/) }]);
    expect(failure(await dispatch('farms.test', { name: 'nope' }))).toMatchObject({ code: 'not-found', message: expect.stringContaining('no farm named "nope"') });
  });

  it('tests a Flamenco farm with its token, which only the Manager sees', async () => {
    const { dispatch, dir } = await setup();
    manager = await startFakeManager({ storageLocation: dir });
    value(await dispatch('farms.add', { kind: 'flamenco', name: 'studio', url: manager.url, pathMap: [{ local: dir, farm: dir }], token: TOKEN }));
    const tested = value<FarmTestDto>(await dispatch('farms.test', { name: 'studio' }));
    expect(tested.checks[0]).toEqual({ state: 'ok', text: expect.stringContaining('answers at') });
    expect(tested.checks.some((c) => c.state === 'info')).toBe(true);
    expect(JSON.stringify(tested)).not.toContain(TOKEN);
    expect(manager.requests.length).toBeGreaterThan(0);
    expect(manager.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('removes a profile and its token file; a replacement without a token drops the old one', async () => {
    const { dispatch, dataDir } = await setup();
    const studio = { kind: 'flamenco', name: 'studio', url: 'http://m:8080' } as const;
    const file = tokenFileOf(dataDir, 'studio');
    value(await dispatch('farms.add', { ...studio, token: TOKEN }));
    expect(existsSync(file)).toBe(true);
    expect(value(await dispatch('farms.add', studio)).hasToken).toBe(false);
    expect(existsSync(file)).toBe(false);
    value(await dispatch('farms.add', { ...studio, token: TOKEN }));
    expect(value(await dispatch('farms.remove', { name: 'studio' }))).toEqual({ removed: 'studio' });
    expect(existsSync(file)).toBe(false);
    expect(value(await dispatch('farms.list', {}))).toEqual([]);
    expect(failure(await dispatch('farms.remove', { name: 'studio' }))).toMatchObject({ code: 'not-found' });
  });
});

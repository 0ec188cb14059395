import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFrameTemplate, tempDir } from '../../test/helpers/fake-dcc';
import type { CommandName, CommandResult } from '../../src-preload/contract';
import { COMMAND_NAMES } from '../../src-preload/contract';
import { Engine } from '../engine/engine';
import { createDispatcher, type DispatchEnv, type Dispatcher } from './dispatch';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

const hardware = { cpu: { model: 'Test CPU', vendor: 'x', physicalCores: 2, logicalCores: 4, speedGHz: 3 }, memory: { totalBytes: 1 }, gpus: [], detectedAt: 1 };
const fakeDetectors = { hardware: async () => hardware, dccs: async () => [] };

async function setup(env: Partial<DispatchEnv> = {}): Promise<{ dispatch: Dispatcher; engine: Engine; dir: string }> {
  const dir = tempDir('spool-dispatch-');
  engine = await Engine.start({ dataDir: path.join(dir, 'data'), killGraceMs: 500 });
  const dispatch = createDispatcher(engine, { mode: 'browser', detectors: fakeDetectors, onInternalError: () => undefined, ...env });
  return { dispatch, engine, dir };
}

function expectError(result: CommandResult<unknown>, code: string): { message: string; field?: string } {
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('expected an error');
  expect(result.error.code).toBe(code);
  return result.error;
}

/** One bad input per command and the field its error must name. */
const BAD_INPUTS: Record<CommandName, { input: unknown; field?: string; mentions: string }> = {
  'app.info': { input: { extra: 1 }, mentions: '"extra"' },
  'jobs.list': { input: { all: true }, mentions: '"all"' },
  'jobs.get': { input: { id: 'seven' }, field: 'id', mentions: 'id' },
  'jobs.submit': { input: { dcc: 'command', frames: 12 }, field: 'frames', mentions: 'frames' },
  'jobs.pause': { input: { ids: [0] }, field: 'ids.0', mentions: 'ids.0' },
  'jobs.resume': { input: { ids: [] }, field: 'ids', mentions: 'ids' },
  'jobs.cancel': { input: { ids: [1.5] }, field: 'ids.0', mentions: 'ids.0' },
  'jobs.retry': { input: { ids: Array.from({ length: 10_001 }, (_, i) => i + 1) }, field: 'ids', mentions: 'ids' },
  'jobs.duplicate': { input: { id: 1 }, mentions: 'ids' },
  'jobs.delete': { input: { ids: ['1'] }, field: 'ids.0', mentions: 'ids.0' },
  'jobs.modify': { input: { id: 1, chunk: 0 }, field: 'chunk', mentions: 'chunk' },
  'batch.plan': { input: { name: 'jobs.txt', text: '' }, field: 'name', mentions: 'name' },
  'batch.submit': { input: { file: '' }, field: 'file', mentions: 'file' },
  'watch.list': { input: { dir: '/tmp' }, mentions: '"dir"' },
  'watch.add': { input: { dir: '/tmp', defaults: {}, allow: { batch: 'yes' } }, field: 'allow.batch', mentions: 'allow.batch' },
  'watch.remove': { input: { dir: '' }, field: 'dir', mentions: 'dir' },
  'jobs.setPriority': { input: { id: 1, priority: 5000 }, field: 'priority', mentions: 'priority' },
  'frames.act': { input: { id: 1, action: 'redo', frames: '1-2' }, field: 'action', mentions: 'action' },
  'jobs.clearFinished': { input: { ids: [0] }, field: 'ids.0', mentions: 'ids.0' },
  'jobs.outputFolder': { input: { id: 1, open: 'yes' }, field: 'open', mentions: 'open' },
  'jobs.log': { input: { id: 1, attemptId: -1 }, field: 'attemptId', mentions: 'attemptId' },
  'jobs.report': { input: { format: 'pdf' }, field: 'format', mentions: 'format' },
  'scene.probe': { input: { scene: '' }, field: 'scene', mentions: 'scene' },
  'scene.warm': { input: { dcc: 'Blender!' }, field: 'dcc', mentions: 'dcc' },
  'devices.get': { input: { refresh: 'yes' }, field: 'refresh', mentions: 'refresh' },
  'dccs.list': { input: { refresh: 1 }, field: 'refresh', mentions: 'refresh' },
  'dccs.registry': { input: { refresh: true }, mentions: '"refresh"' },
  'settings.get': { input: { key: 'x' }, mentions: '"key"' },
  'settings.set': {
    input: { defaults: { retries: -1, stallTimeoutSec: null, taskTimeoutSec: null } },
    field: 'defaults.retries',
    mentions: 'defaults.retries',
  },
  'dialog.openScene': { input: { path: '/etc' }, mentions: '"path"' },
  'dialog.openFolder': { input: { path: '/etc' }, mentions: '"path"' },
  'files.list': { input: { dir: '/tmp/../etc' }, field: 'dir', mentions: '..' },
  'frames.image': { input: { id: 1, frame: 1.5 }, field: 'frame', mentions: 'frame' },
  'frames.reveal': { input: { id: 1, frame: 2, path: '/etc/passwd' }, mentions: '"path"' },
  'farms.list': { input: { secrets: true }, mentions: '"secrets"' },
  'farms.add': { input: { kind: 'slurm', name: 'hpc', partition: 'a b' }, field: 'partition', mentions: 'partition' },
  'farms.test': { input: { name: '' }, field: 'name', mentions: 'name' },
  'farms.remove': { input: { name: 'x', token: 'y' }, mentions: '"token"' },
};

describe('dispatcher', () => {
  it('refuses an unknown command', async () => {
    const { dispatch } = await setup();
    const error = expectError(await dispatch('jobs.explode', {}), 'invalid');
    expect(error.message).toBe('unknown command "jobs.explode"');
    expectError(await dispatch('__proto__', {}), 'invalid');
    expectError(await dispatch('toString', {}), 'invalid');
  });

  it('refuses a "__proto__" key in a payload by its name, as JSON.parse delivers it', async () => {
    const { dispatch } = await setup();
    const payload: unknown = JSON.parse('{"dcc": "command", "frames": "1", "__proto__": [[]]}');
    expect(expectError(await dispatch('jobs.submit', payload), 'invalid').message).toContain('__proto__');
  });

  it.each(COMMAND_NAMES.map((name) => [name]))('refuses bad input to %s, naming the field', async (name) => {
    const { dispatch } = await setup();
    const bad = BAD_INPUTS[name];
    const error = expectError(await dispatch(name, bad.input), 'invalid');
    expect(error.message).toContain(bad.mentions);
    if (bad.field) expect(error.field).toBe(bad.field);
  });

  it('refuses input that is not an object', async () => {
    const { dispatch } = await setup();
    expectError(await dispatch('jobs.get', 'seven'), 'invalid');
    expectError(await dispatch('jobs.get', [1]), 'invalid');
    expect((await dispatch('jobs.list', undefined)).ok).toBe(true);
  });

  it('maps engine errors: not found, invalid with its field', async () => {
    const { dispatch, dir } = await setup();
    expect(expectError(await dispatch('jobs.get', { id: 999 }), 'not-found').message).toMatch(/999/);
    expectError(await dispatch('jobs.pause', { ids: [999] }), 'not-found');
    const missingScene = expectError(await dispatch('jobs.submit', { scene: path.join(dir, 'nope.blend'), frames: '1' }), 'invalid');
    expect(missingScene.field).toBe('scene');
    const badFrames = expectError(
      await dispatch('jobs.submit', {
        dcc: 'command',
        frames: '1-x',
        output: path.join(dir, 'out', 'f_####.png'),
        overrides: { template: fakeFrameTemplate() },
      }),
      'invalid',
    );
    expect(badFrames.field).toBe('frames');
    const badExe = expectError(await dispatch('settings.set', { userExecutables: [{ dcc: 'blender', executable: path.join(dir, 'none') }] }), 'invalid');
    expect(badExe.field).toBe('userExecutables.0.executable');
  });

  it('answers an unexpected failure with one line, never a stack', async () => {
    const reported: unknown[] = [];
    const { dispatch } = await setup({
      detectors: {
        hardware: async () => {
          throw new Error('probe blew up\n    at secret (/home/user/src/file.ts:1:1)');
        },
      },
      onInternalError: (_command, error) => reported.push(error),
    });
    const error = expectError(await dispatch('devices.get', {}), 'internal');
    expect(error.message).toBe('internal error: probe blew up');
    expect(error.message).not.toMatch(/\bat |file\.ts/);
    expect(reported).toHaveLength(1);
  });

  it('runs commands against the engine', async () => {
    const { dispatch, dir } = await setup();
    const info = await dispatch('app.info', {});
    expect(info).toMatchObject({ ok: true, value: { mode: 'browser', platform: process.platform } });

    const submitted = await dispatch('jobs.submit', {
      dcc: 'command',
      frames: '1-2',
      output: path.join(dir, 'out', 'f_####.png'),
      overrides: { template: fakeFrameTemplate('--ms-per-frame 20000') },
    });
    expect(submitted.ok).toBe(true);
    const id = (submitted as { value: { id: number } }).value.id;
    const paused = await dispatch('jobs.pause', { ids: [id, id] });
    expect(paused).toMatchObject({ ok: true, value: [{ id, intent: 'paused' }] });
    expect(await dispatch('jobs.setPriority', { id, priority: 7 })).toMatchObject({ ok: true, value: { priority: 7 } });
    // The engine's own refusal comes back naming the field: frames that cannot be requeued.
    const refused = expectError(await dispatch('frames.act', { id, action: 'requeue', frames: '1-2', preview: true }), 'invalid');
    expect(refused).toMatchObject({ field: 'frames' });
    expect(refused.message).toMatch(/^frames: nothing to requeue: frames? 1.* not requeued: /);
    const detail = await dispatch('jobs.get', { id });
    expect(detail).toMatchObject({ ok: true, value: { job: { id } } });
    // Without frames: what a job view refreshes while frame events keep its frames.
    const lean = await dispatch('jobs.get', { id, frames: false });
    expect(lean).toMatchObject({ ok: true, value: { job: { id }, frames: [], framesOmitted: true } });
    expect(detail).toMatchObject({ ok: true, value: { frames: [{ frame: 1 }, { frame: 2 }] } });
    expect(expectError(await dispatch('jobs.get', { id, frames: 'no' }), 'invalid')).toMatchObject({ field: 'frames' });
    // Since a revision: the frames changed after it, said to be a delta; a bad revision names its field.
    const rev = (detail as { value: { framesRev: number } }).value.framesRev;
    expect(await dispatch('jobs.get', { id, framesSince: rev })).toMatchObject({ ok: true, value: { job: { id }, framesSince: rev } });
    expect(expectError(await dispatch('jobs.get', { id, framesSince: -1 }), 'invalid')).toMatchObject({ field: 'framesSince' });
    expect(expectError(await dispatch('jobs.get', { id, framesSince: 1.5 }), 'invalid')).toMatchObject({ field: 'framesSince' });
    expect(expectError(await dispatch('jobs.get', { id, frames: false, framesSince: rev }), 'invalid')).toMatchObject({ field: 'framesSince' });
    expect(await dispatch('jobs.list', {})).toMatchObject({ ok: true, value: [{ id }] });
    expect(await dispatch('jobs.cancel', { ids: [id] })).toMatchObject({ ok: true, value: [{ id, intent: 'canceled' }] });
    await engine!.untilIdle();
    expect(await dispatch('jobs.delete', { ids: [id] })).toEqual({ ok: true, value: { deleted: [id] } });
    expect(await dispatch('dialog.openScene', {})).toEqual({ ok: true, value: null });
  });

  it('lists farm profiles without their tokens or sbatch arguments', async () => {
    const { dispatch, engine: started } = await setup();
    expect(await dispatch('farms.list', {})).toEqual({ ok: true, value: [] });
    started.saveFarm({ kind: 'flamenco', name: 'studio', url: 'http://manager:8080', pathMap: [{ local: '/mnt/projects', farm: '/shared/projects' }] });
    started.saveFarm({ kind: 'slurm', name: 'hpc', partition: 'gpu', sbatchArgs: ['--account=secret-project'] });
    // Settings shows where each farm is and its mapping; sbatch arguments (accounts) stay in main.
    expect(await dispatch('farms.list', {})).toEqual({
      ok: true,
      value: [
        { name: 'hpc', kind: 'slurm', partition: 'gpu', pathMap: [], hasToken: false },
        { name: 'studio', kind: 'flamenco', url: 'http://manager:8080', pathMap: [{ local: '/mnt/projects', farm: '/shared/projects' }], hasToken: false },
      ],
    });
  });

  it('keeps settings in the store', async () => {
    const { dispatch } = await setup();
    expect(await dispatch('settings.get', {})).toEqual({
      ok: true,
      value: { defaults: { retries: 2, stallTimeoutSec: null, taskTimeoutSec: null }, userExecutables: [] },
    });
    const defaults = { retries: 5, stallTimeoutSec: 600, taskTimeoutSec: null };
    const userExecutables = [{ dcc: 'command', executable: process.execPath }];
    expect(await dispatch('settings.set', { defaults, userExecutables })).toEqual({ ok: true, value: { defaults, userExecutables } });
    expect(await dispatch('settings.get', {})).toEqual({ ok: true, value: { defaults, userExecutables } });
  });

  it('probes the machine once and again only on refresh', async () => {
    const probe = vi.fn(async () => hardware);
    const { dispatch } = await setup({ detectors: { hardware: probe, dccs: async () => [] } });
    expect(await dispatch('devices.get', {})).toEqual({ ok: true, value: hardware });
    await dispatch('devices.get', {});
    expect(probe).toHaveBeenCalledTimes(1);
    await dispatch('devices.get', { refresh: true });
    expect(probe).toHaveBeenCalledTimes(2);
  });

  it("answers devices from the engine's stored detection, without GPU UUIDs", async () => {
    const dir = tempDir('spool-dispatch-');
    engine = await Engine.start({ dataDir: path.join(dir, 'data'), detect: false });
    const gpu = { index: 0, vendor: 'NVIDIA', model: 'Test GPU', vramBytes: 1024, driver: '1', uuid: 'GPU-secret' };
    engine.store.settings.set('cache.hardware', { ...hardware, gpus: [gpu] });
    const dispatch = createDispatcher(engine, { mode: 'browser' });
    const { uuid: _uuid, ...shown } = gpu;
    expect(await dispatch('devices.get', {})).toEqual({ ok: true, value: { ...hardware, gpus: [shown] } });
  });

  it('uses native dialogs when the face has them', async () => {
    const { dispatch } = await setup({
      mode: 'electron',
      dialogs: { openScene: async () => '/scenes/a.blend', openFolder: async () => null },
    });
    expect(await dispatch('dialog.openScene', {})).toEqual({ ok: true, value: '/scenes/a.blend' });
    expect(await dispatch('dialog.openFolder', {})).toEqual({ ok: true, value: null });
  });
});

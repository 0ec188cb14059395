import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/fake-dcc';
import type { CommandResult, DirListingDto } from '../../src-preload/contract';
import { Engine } from '../engine/engine';
import { createDispatcher, type Dispatcher } from './dispatch';

/** scene.probe and files.list through the dispatcher every face uses (the HTTP side: test/security/file-browser.test.ts). */
let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

async function setup(): Promise<{ dispatch: Dispatcher; dir: string }> {
  const dir = tempDir('spool-scene-cmd-');
  engine = await Engine.start({ dataDir: path.join(dir, 'data'), killGraceMs: 500 });
  const dispatch = createDispatcher(engine, { mode: 'browser', detectors: { hardware: async () => null, dccs: async () => [] }, onInternalError: () => undefined });
  return { dispatch, dir };
}

function failure(result: CommandResult<unknown>): { code: string; message: string; field?: string } {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('scene.probe answers', () => {
  it('a missing scene is bad input on the scene field, not an internal error', async () => {
    const { dispatch, dir } = await setup();
    for (const scene of [path.join(dir, 'nope.blend'), path.join(dir, 'nope.pov'), path.join(dir, 'data')]) {
      const error = failure(await dispatch('scene.probe', { scene }));
      expect(error).toMatchObject({ code: 'invalid', field: 'scene' });
      expect(error.message).toMatch(/^scene: (no such file|not a file): /);
    }
  });

  it('quiet (a path still being typed): a missing file answers null, not an error', async () => {
    const { dispatch, dir } = await setup();
    expect(await dispatch('scene.probe', { scene: path.join(dir, 'nope.blend'), quiet: true })).toEqual({ ok: true, value: null });
    const missingDir = path.join(dir, 'not', 'yet');
    expect(await dispatch('files.list', { dir: missingDir, quiet: true })).toEqual({ ok: true, value: { dir: missingDir, parent: null, entries: [], truncated: false } });
    // Quiet hides only what a half-typed path explains: a path with .. is still refused.
    expect(failure(await dispatch('files.list', { dir: `${dir}/..`, quiet: true }))).toMatchObject({ field: 'dir' });
  });

  it('a .pov says what it holds, not that POV-Ray cannot be found', async () => {
    const { dispatch, dir } = await setup();
    const scene = path.join(dir, 'spin.pov');
    writeFileSync(scene, 'sphere { 0, 1 rotate y*360*clock }\n');
    const result = await dispatch('scene.probe', { scene });
    expect(result).toEqual({ ok: true, value: { note: expect.stringMatching(/^A \.pov file holds no frame range/) } });
  });

  it('an unknown type answers null', async () => {
    const { dispatch, dir } = await setup();
    const scene = path.join(dir, 'notes.txt');
    writeFileSync(scene, 'x');
    expect(await dispatch('scene.probe', { scene })).toEqual({ ok: true, value: null });
  });
});

describe('files.list answers', () => {
  it('lists folders first, then scene files of every registered DCC, and nothing else', async () => {
    const { dispatch, dir } = await setup();
    const root = path.join(dir, 'shots');
    mkdirSync(path.join(root, 'sq010'), { recursive: true });
    mkdirSync(path.join(root, '.cache'));
    for (const f of ['b.blend', 'A.pov', 'c.ma', 'notes.txt', 'render.png', '.hidden.blend']) writeFileSync(path.join(root, f), 'x');
    const result = (await dispatch('files.list', { dir: root })) as CommandResult<DirListingDto>;
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value).toEqual({
      dir: root,
      parent: dir,
      truncated: false,
      entries: [
        { name: 'sq010', path: path.join(root, 'sq010'), kind: 'dir' },
        { name: 'A.pov', path: path.join(root, 'A.pov'), kind: 'scene' },
        { name: 'b.blend', path: path.join(root, 'b.blend'), kind: 'scene' },
        { name: 'c.ma', path: path.join(root, 'c.ma'), kind: 'scene' },
      ],
    });
    const hidden = (await dispatch('files.list', { dir: root, hidden: true })) as CommandResult<DirListingDto>;
    expect(hidden.ok && hidden.value.entries.map((e) => e.name)).toEqual(['.cache', 'sq010', '.hidden.blend', 'A.pov', 'b.blend', 'c.ma']);
  });

  it('names the dir field for a relative, missing or file path', async () => {
    const { dispatch, dir } = await setup();
    writeFileSync(path.join(dir, 'f.blend'), 'x');
    expect(failure(await dispatch('files.list', { dir: 'relative/path' }))).toMatchObject({ code: 'invalid', field: 'dir', message: expect.stringMatching(/absolute/) });
    expect(failure(await dispatch('files.list', { dir: path.join(dir, 'gone') }))).toMatchObject({ code: 'invalid', field: 'dir', message: expect.stringMatching(/no such folder/) });
    expect(failure(await dispatch('files.list', { dir: path.join(dir, 'f.blend') }))).toMatchObject({ code: 'invalid', field: 'dir', message: expect.stringMatching(/not a folder/) });
  });
});

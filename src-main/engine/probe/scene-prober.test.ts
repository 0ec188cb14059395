import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BLENDER, makeBlenderScene } from '../../../test/helpers/blender';
import { blenderAdapter } from '../adapters/blender';
import { povrayAdapter } from '../adapters/povray';
import { InputError } from '../errors';
import { SceneProber } from './scene-prober';
import { WarmProber } from './warm-prober';

describe('scene files a probe refuses', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spool-probe-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the scene field for a missing file or a folder, without starting the DCC', async () => {
    const prober = new SceneProber();
    const missing = prober.probe(blenderAdapter, path.join(dir, 'gone.blend'), BLENDER);
    await expect(missing).rejects.toBeInstanceOf(InputError);
    await expect(missing).rejects.toMatchObject({ field: 'scene', message: expect.stringMatching(/^scene: no such file: .*gone\.blend$/) });
    await expect(prober.probe(blenderAdapter, dir, BLENDER)).rejects.toMatchObject({ field: 'scene', message: expect.stringMatching(/not a file/) });
    expect(prober.warmPid).toBeUndefined();
  });

  it('says what a .pov can tell: no frame range, and whether it reads clock', async () => {
    const still = path.join(dir, 'still.pov');
    const animated = path.join(dir, 'spin.pov');
    writeFileSync(still, '// the clock is not used here\ncamera { location <0,0,-3> look_at 0 }\n');
    writeFileSync(animated, 'camera { location <0,0,-3> look_at 0 }\nsphere { 0, 1 rotate y*360*clock }\n');
    const prober = new SceneProber();
    expect(await prober.probe(povrayAdapter, animated, '/usr/bin/povray')).toEqual({ note: expect.stringMatching(/holds no frame range.*clock runs 0 → 1/) });
    expect((await prober.probe(povrayAdapter, still, '/usr/bin/povray')).note).toMatch(/never reads clock/);
  });
});

describe.skipIf(!existsSync(BLENDER))('warm Blender prober', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spool-warm-probe-'));
  let first: string;
  let second: string;
  const prober = new SceneProber({ idleMs: 60_000, timeoutMs: 30_000, maxRequests: 200 });

  beforeAll(async () => {
    [first, second] = await Promise.all([
      makeBlenderScene(dir, { file: 'first ☃.blend', start: 1, end: 24 }),
      makeBlenderScene(dir, { file: 'second.blend', start: 5, end: 5, resolution: [40, 20] }),
    ]);
  }, 60_000);
  afterAll(() => {
    prober.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads scene after scene in one Blender, as the cold probe does', async () => {
    const cold = await blenderAdapter.probeScene!(first, BLENDER);
    expect(await prober.probe(blenderAdapter, first, BLENDER)).toEqual(cold);
    const pid = prober.warmPid;
    expect(pid).toBeGreaterThan(0);
    expect(await prober.probe(blenderAdapter, second, BLENDER)).toMatchObject({ frameStart: 5, frameEnd: 5, resolution: { x: 40, y: 20 } });
    expect(prober.warmPid).toBe(pid);
  }, 60_000);

  it('answers an unchanged file from the cache, and never a changed one', async () => {
    const asked = vi.spyOn(WarmProber.prototype, 'request');
    try {
      expect(await prober.probe(blenderAdapter, first, BLENDER)).toMatchObject({ frameEnd: 24 });
      expect(asked).not.toHaveBeenCalled();
      // The same path saved again with another range, even with its old mtime put back.
      const before = (await import('node:fs')).statSync(first);
      await makeBlenderScene(dir, { file: 'first ☃.blend', start: 1, end: 12 });
      utimesSync(first, before.atime, before.mtime);
      expect(await prober.probe(blenderAdapter, first, BLENDER)).toMatchObject({ frameStart: 1, frameEnd: 12 });
      expect(asked).toHaveBeenCalledTimes(1);
    } finally {
      asked.mockRestore();
    }
  }, 60_000);

  it('turns Blender refusing a file into a scene error, and starts again after the process dies', async () => {
    const fake = path.join(dir, 'fake.blend');
    writeFileSync(fake, 'not a blend file\n');
    await expect(prober.probe(blenderAdapter, fake, BLENDER)).rejects.toMatchObject({ field: 'scene', message: expect.stringMatching(/not a \.blend file Blender can read/) });
    const pid = prober.warmPid!;
    process.kill(pid, 'SIGKILL');
    await vi.waitFor(() => expect(prober.warmPid).not.toBe(pid));
    const copy = path.join(dir, 'copy.blend');
    writeFileSync(copy, (await import('node:fs')).readFileSync(second));
    expect(await prober.probe(blenderAdapter, copy, BLENDER)).toMatchObject({ frameEnd: 5 });
    expect(prober.warmPid).toBeGreaterThan(0);
    expect(prober.warmPid).not.toBe(pid);
  }, 60_000);
});

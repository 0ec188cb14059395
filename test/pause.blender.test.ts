import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src-main/engine/engine';
import { isCompleteImage } from '../src-main/engine/image-check';
import { makeBlenderScene } from './helpers/blender';
import { tempDir } from './helpers/fake-dcc';

/** "Pause after the current frame" with real Blender: its `Saved:` line is the frame boundary. */
let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

let dir: string;
let scene: string;
beforeAll(async () => {
  dir = tempDir('spool-pause-blender-');
  // Enough samples for a few tenths of a second a frame: a pause lands inside a frame.
  scene = await makeBlenderScene(dir, { file: 'slow.blend', start: 1, end: 8, resolution: [160, 90], samples: 48 });
}, 120_000);

/** How many times each frame was saved, by the `Saved:` lines of all the job's attempts' logs. */
function savedCounts(e: Engine, id: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (const attempt of e.jobDetail(id).attempts) {
    const text = existsSync(attempt.logPath) ? readFileSync(attempt.logPath, 'utf8') : '';
    for (const m of text.matchAll(/Saved: '.*?(\d+)\.png'/g)) counts.set(Number(m[1]), (counts.get(Number(m[1])) ?? 0) + 1);
  }
  return counts;
}

describe('pause with real Blender', () => {
  it('stops right after the frame in progress is saved; resume renders the rest, no frame twice', async () => {
    engine = await Engine.start({ dataDir: path.join(dir, 'data'), detect: false, watchPollMs: 0, killGraceMs: 1000 });
    const e = engine;
    const job = await e.submit({ scene, frames: '1-8', chunk: 8, retries: 0, output: path.join(dir, 'render', 'f_####') });
    const deadline = Date.now() + 60_000;
    while (e.jobDetail(job.id).job.framesDone < 1) {
      if (Date.now() > deadline) throw new Error('Blender never saved a frame');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const doneAtPause = e.jobDetail(job.id).job.framesDone;
    e.pause(job.id);
    await e.untilIdle();

    const paused = e.jobDetail(job.id);
    expect(paused.job.status).toBe('paused');
    // The frame that was rendering when the pause came was let finish: done, its file whole.
    expect(paused.job.framesDone).toBeGreaterThan(doneAtPause);
    expect(paused.job.framesDone).toBeLessThan(8);
    for (const frame of paused.frames.filter((f) => f.state === 'done')) expect(isCompleteImage(frame.output!)).toBe(true);
    expect(paused.frames.filter((f) => f.state !== 'done').every((f) => f.state === 'queued')).toBe(true);
    expect(paused.attempts.map((a) => a.outcome)).toEqual(['paused']);
    expect(paused.tasks[0]).toMatchObject({ state: 'queued', failures: 0 });

    e.setIntent(job.id, 'active');
    await e.untilIdle();
    const done = e.jobDetail(job.id);
    expect(done.job.status).toBe('succeeded');
    expect(done.attempts.map((a) => a.outcome)).toEqual(['paused', 'succeeded']);
    const saved = savedCounts(e, job.id);
    expect([...saved.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const [, n] of saved) expect(n).toBe(1);
  }, 60_000);
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCompleteImage } from '../src-main/engine/image-check';
import { savedCountsOf, slowBlenderSuite, untilFirstFrame } from './helpers/slow-blender';

/** "Pause after the current frame" with real Blender: its `Saved:` line is the frame boundary. */
const suite = slowBlenderSuite('spool-pause-blender-');

describe('pause with real Blender', () => {
  it('stops right after the frame in progress is saved; resume renders the rest, no frame twice', async () => {
    const { dir, scene } = suite;
    const e = await suite.startEngine();
    const job = await e.submit({ scene, frames: '1-8', chunk: 8, retries: 0, output: path.join(dir, 'render', 'f_####') });
    await untilFirstFrame(e, job.id);
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
    const saved = savedCountsOf(e, job.id);
    expect([...saved.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const [, n] of saved) expect(n).toBe(1);
  }, 60_000);
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCompleteImage } from '../src-main/engine/image-check';
import { savedCountsOf, slowBlenderSuite, untilFirstFrame } from './helpers/slow-blender';

/**
 * Elastic chunks with real Blender (issue 16): a higher-priority job arriving shortens the running
 * chunk at its next `Saved:` line, the same stop-after-frame as a gentle pause.
 */
const suite = slowBlenderSuite('spool-shorten-blender-');

describe('shortening a running chunk with real Blender', () => {
  it('gives way to a priority job after a saved frame; the rest renders later as a new chunk, no frame twice', async () => {
    const { dir, scene } = suite;
    const e = await suite.startEngine();
    const low = await e.submit({ scene, frames: '1-8', chunk: 8, retries: 0, output: path.join(dir, 'low', 'f_####') });
    await untilFirstFrame(e, low.id);
    const high = await e.submit({ scene, frames: '1-2', chunk: 2, priority: 10, retries: 0, output: path.join(dir, 'high', 'f_####') });
    await e.untilIdle();

    const lowDone = e.jobDetail(low.id);
    const highDone = e.jobDetail(high.id);
    expect(lowDone.job.status).toBe('succeeded');
    expect(highDone.job.status).toBe('succeeded');
    // Shortened, not failed and not a retry: the first chunk kept the frames it saved.
    expect(lowDone.attempts.map((a) => a.outcome)).toEqual(['shortened', 'succeeded']);
    expect(lowDone.tasks[0]).toMatchObject({ state: 'succeeded', failures: 0 });
    expect(lowDone.tasks).toHaveLength(2);
    // The priority job ran in between: it started before the low job's second chunk.
    expect(highDone.attempts[0]!.startedAt).toBeLessThan(lowDone.attempts[1]!.startedAt);
    expect(highDone.attempts[0]!.startedAt).toBeGreaterThanOrEqual(lowDone.attempts[0]!.endedAt!);

    for (const [id, frames] of [[low.id, 8], [high.id, 2]] as const) {
      const saved = savedCountsOf(e, id);
      expect([...saved.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: frames }, (_, i) => i + 1));
      for (const [, n] of saved) expect(n).toBe(1);
      for (const frame of e.jobDetail(id).frames) expect(isCompleteImage(frame.output!)).toBe(true);
    }
  }, 90_000);
});

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src-main/engine/engine';
import { isCompleteImage } from '../src-main/engine/image-check';
import { makeBlenderScene } from './helpers/blender';
import { tempDir } from './helpers/fake-dcc';

/**
 * Elastic chunks with real Blender (issue 16): a higher-priority job arriving shortens the running
 * chunk at its next `Saved:` line, the same stop-after-frame as a gentle pause.
 */
let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

let dir: string;
let scene: string;
beforeAll(async () => {
  dir = tempDir('spool-shorten-blender-');
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

describe('shortening a running chunk with real Blender', () => {
  it('gives way to a priority job after a saved frame; the rest renders later as a new chunk, no frame twice', async () => {
    engine = await Engine.start({ dataDir: path.join(dir, 'data'), detect: false, watchPollMs: 0, killGraceMs: 1000 });
    const e = engine;
    const low = await e.submit({ scene, frames: '1-8', chunk: 8, retries: 0, output: path.join(dir, 'low', 'f_####') });
    const deadline = Date.now() + 60_000;
    while (e.jobDetail(low.id).job.framesDone < 1) {
      if (Date.now() > deadline) throw new Error('Blender never saved a frame');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
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
      const saved = savedCounts(e, id);
      expect([...saved.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: frames }, (_, i) => i + 1));
      for (const [, n] of saved) expect(n).toBe(1);
      for (const frame of e.jobDetail(id).frames) expect(isCompleteImage(frame.output!)).toBe(true);
    }
  }, 90_000);
});

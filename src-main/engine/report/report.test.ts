import { describe, expect, it } from 'vitest';
import { adviseJob, classifyReason, stats, type JobReport } from './build';
import { chart } from './html';

const job = (over: Partial<JobReport>): JobReport => ({
  id: 12,
  name: 'lighting',
  status: 'failed',
  reason: null,
  dcc: 'blender',
  scene: '/s.blend',
  framesText: '1-10',
  tags: [],
  frameCount: 10,
  framesDone: 7,
  framesFailed: 3,
  framesCanceled: 0,
  framesSuspended: 0,
  framesLeft: 0,
  createdAt: 0,
  startedAt: 0,
  finishedAt: 1,
  wallMs: 1,
  renderTime: null,
  frames: [],
  attempts: { total: 2, failed: 1 },
  failures: [],
  devices: [],
  output: { pattern: null, folder: null, first: null, last: null },
  steps: [],
  after: [],
  nextSteps: [],
  ...over,
});

describe('report pieces', () => {
  it('says what to do next for each kind of failure', () => {
    const advice = adviseJob(
      job({
        failures: [
          { reason: 'licence: Error: [Redshift] License error (not retried)', kind: 'licence', frames: [1, 2, 3], frameSet: '1-3', notRetried: true },
          { reason: 'no output for 30 s (after 3 attempts)', kind: 'stall', frames: [4], frameSet: '4', notRetried: false },
        ],
        steps: [{ index: 0, kind: 'preview', state: 'failed', attempts: 2, reason: 'ffmpeg exited with code 1', outputs: [] }],
      }),
    );
    expect(advice).toEqual([
      '3 frames failed with a licence error — not retried: fix the licence and run `spool retry 12`',
      '1 frame stalled (no output for 30 s): check the scene, or raise stall_timeout, then run `spool retry 12`',
      'the preview step failed: ffmpeg exited with code 1 — fix it and run `spool retry 12` (done frames are kept; only the step runs again)',
    ]);
    expect(adviseJob(job({ status: 'canceled', failures: [], framesDone: 4 }))).toEqual(['canceled with 6 frames not rendered: `spool retry 12` renders them']);
  });

  it('classifies reasons and computes min / median / max', () => {
    expect(classifyReason('exited with code 1: CUDA error: out of memory')).toBe('memory');
    expect(classifyReason('ran longer than the 2 h limit')).toBe('timeout');
    expect(classifyReason('scene file not found: /x.blend (not retried)')).toBe('missing');
    expect(classifyReason('crashed: killed by SIGSEGV')).toBe('crash');
    expect(stats([])).toBeNull();
    expect(stats([30, 10, 20, 40])).toEqual({ count: 4, totalMs: 100, minMs: 10, medianMs: 25, maxMs: 40 });
  });

  it('charts at most 400 bars, the slowest of each bucket, failed frames marked', () => {
    const frames = Array.from({ length: 1000 }, (_, i) => ({ frame: i + 1, state: i === 500 ? ('failed' as const) : ('done' as const), renderMs: i === 10 ? 9000 : 100, output: null }));
    const svg = chart(job({ frames, renderTime: stats(frames.map((f) => f.renderMs)) }));
    expect((svg.match(/<rect /g) ?? []).length).toBe(334);
    expect(svg).toContain('<title>frames 10–12: 9 s</title>');
    expect((svg.match(/class="failed"/g) ?? []).length).toBe(1);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import type { JobSummary } from '../../../src-main/engine/types';
import { partialOf, useJobs } from './jobs-store';

const job = (id: number, extra: Partial<JobSummary> = {}): JobSummary =>
  ({ id, priority: 0, status: 'running', frameCount: 10, framesDone: 2, framesFailed: 0, framesRunning: 2, ...extra }) as JobSummary;

const frame = (jobId: number, f: number, state: 'done' | 'failed' | 'running') => ({ jobId, frame: f, state, output: null, renderMs: null });

describe('jobs store', () => {
  beforeEach(() => useJobs.getState().replaceAll([job(1), job(2, { priority: 5 })]));

  it('orders like the scheduler and re-sorts when a priority changes', () => {
    expect(useJobs.getState().order).toEqual([2, 1]);
    useJobs.getState().applyBatch({ upserts: [job(1, { priority: 9 })], removed: [], progress: [] });
    expect(useJobs.getState().order).toEqual([1, 2]);
    useJobs.getState().applyBatch({ upserts: [], removed: [2], progress: [] });
    expect(useJobs.getState().order).toEqual([1]);
  });

  it('advances frame counts between summaries, but trusts a summary in the same batch', () => {
    useJobs.getState().applyBatch({ upserts: [], removed: [], progress: [], frames: [frame(1, 3, 'done'), frame(1, 4, 'failed')] });
    expect(useJobs.getState().byId.get(1)).toMatchObject({ framesDone: 3, framesFailed: 1, framesRunning: 0 });
    useJobs.getState().applyBatch({ upserts: [job(1, { framesDone: 5 })], removed: [], progress: [], frames: [frame(1, 5, 'done')] });
    expect(useJobs.getState().byId.get(1)!.framesDone).toBe(5);
  });

  it('keeps in-flight fractions per task until the job stops running', () => {
    useJobs.getState().applyBatch({
      upserts: [],
      removed: [],
      progress: [
        { jobId: 1, taskId: 7, frame: 3, fraction: 0.5 },
        { jobId: 1, taskId: 8, frame: 9, fraction: 0.25 },
      ],
    });
    expect(partialOf(useJobs.getState().partial, 1)).toBe(0.75);
    useJobs.getState().applyBatch({ upserts: [job(1, { status: 'paused', framesRunning: 0 })], removed: [], progress: [] });
    expect(partialOf(useJobs.getState().partial, 1)).toBe(0);
  });
});

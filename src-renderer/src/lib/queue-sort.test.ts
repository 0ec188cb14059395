import { describe, expect, it } from 'vitest';
import type { JobStatus, JobSummary } from '../../../src-main/engine/types';
import { finishedInQueue, nextSort, QUEUE_ORDER, sortJobs } from './queue-sort';

const job = (id: number, status: JobStatus, extra: Partial<JobSummary> = {}): JobSummary =>
  ({ id, name: `job ${id}`, dcc: 'blender', status, priority: 0, frameCount: 10, framesDone: 0, startedAt: null, finishedAt: null, pausedMs: 0, pausedAt: null, archivedAt: null, ...extra }) as JobSummary;

const ids = (jobs: readonly JobSummary[]) => jobs.map((j) => j.id);

describe('queue sorting and grouping', () => {
  const jobs = [
    job(1, 'succeeded', { priority: 9, name: 'beta', framesDone: 10 }),
    job(2, 'queued', { name: 'Alpha 10' }),
    job(3, 'running', { priority: 5, name: 'alpha 9', framesDone: 4 }),
    job(4, 'failed', { name: 'gamma', framesDone: 2 }),
    job(5, 'blocked', { priority: -1, name: 'delta' }),
  ];

  it('groups live jobs above finished ones, each in queue order, by default', () => {
    expect(ids(sortJobs(jobs, QUEUE_ORDER, true, 0))).toEqual([3, 2, 5, 1, 4]);
    expect(ids(sortJobs(jobs, QUEUE_ORDER, false, 0))).toEqual([1, 3, 2, 4, 5]);
  });

  it('sorts by a column within each group, either way, ties in queue order', () => {
    expect(ids(sortJobs(jobs, { key: 'name', dir: 'asc' }, true, 0))).toEqual([3, 2, 5, 1, 4]);
    expect(ids(sortJobs(jobs, { key: 'name', dir: 'asc' }, false, 0))).toEqual([3, 2, 1, 5, 4]);
    expect(ids(sortJobs(jobs, { key: 'name', dir: 'desc' }, false, 0))).toEqual([4, 5, 1, 2, 3]);
    expect(ids(sortJobs(jobs, { key: 'frames', dir: 'desc' }, false, 0))).toEqual([1, 3, 4, 2, 5]);
    expect(ids(sortJobs(jobs, { key: 'status', dir: 'asc' }, false, 0))).toEqual([3, 2, 5, 4, 1]);
  });

  it('puts jobs with no elapsed time last in either direction', () => {
    const timed = [job(1, 'succeeded', { startedAt: 0, finishedAt: 5000 }), job(2, 'queued'), job(3, 'succeeded', { startedAt: 0, finishedAt: 9000 })];
    expect(ids(sortJobs(timed, { key: 'elapsed', dir: 'asc' }, false, 0))).toEqual([1, 3, 2]);
    expect(ids(sortJobs(timed, { key: 'elapsed', dir: 'desc' }, false, 0))).toEqual([3, 1, 2]);
  });

  it('cycles a header: ascending, descending, queue order', () => {
    const a = nextSort(QUEUE_ORDER, 'name');
    expect(a).toEqual({ key: 'name', dir: 'asc' });
    const b = nextSort(a, 'name');
    expect(b).toEqual({ key: 'name', dir: 'desc' });
    expect(nextSort(b, 'name')).toEqual(QUEUE_ORDER);
    expect(nextSort(b, 'eta')).toEqual({ key: 'eta', dir: 'asc' });
  });

  it('lists finished jobs still in the queue for "Clear finished"', () => {
    expect(finishedInQueue([...jobs, job(6, 'canceled', { archivedAt: 1 })])).toEqual([1, 4]);
  });
});

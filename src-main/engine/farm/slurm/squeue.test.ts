import { describe, expect, it } from 'vitest';
import { arrayIdForTag, decodeWaitStatus, elementsOf, expandIndexes, parseSqueue, SqueueError } from './squeue';

/** Shapes as Slurm 22.05.8's squeue --json (openapi/v0.0.38) printed them (reference §3.2). */
const RECORDED = JSON.stringify({
  meta: { plugin: { type: 'openapi/v0.0.38' } },
  errors: [],
  jobs: [
    { job_id: 8, array_job_id: 7, array_task_id: 0, job_state: 'COMPLETED', state_reason: 'None', exit_code: 0, name: 'spool-j1-x', comment: 'spool-j1-x' },
    { job_id: 9, array_job_id: 7, array_task_id: 1, job_state: 'FAILED', state_reason: 'NonZeroExitCode', exit_code: 1792, name: 'spool-j1-x', comment: 'spool-j1-x' },
    { job_id: 10, array_job_id: 7, array_task_id: 2, job_state: 'CANCELLED', state_reason: 'None', exit_code: 15, name: 'spool-j1-x', comment: 'spool-j1-x' },
    { job_id: 7, array_job_id: 7, array_task_id: null, array_task_string: '3-5%2', job_state: 'PENDING', state_reason: 'JobArrayTaskLimit', exit_code: 0, name: 'spool-j1-x', comment: 'spool-j1-x' },
    { job_id: 12, array_job_id: 0, array_task_id: null, job_state: 'RUNNING', state_reason: 'None', exit_code: 0, name: 'other', comment: '' },
  ],
});

describe('squeue --json (22.05)', () => {
  it('decodes the raw wait status: exit 7 is 1792, SIGTERM is 15', () => {
    expect(decodeWaitStatus(1792)).toEqual({ code: 7, signal: null });
    expect(decodeWaitStatus(36608)).toEqual({ code: 143, signal: null });
    expect(decodeWaitStatus(15)).toEqual({ code: null, signal: 15 });
    expect(decodeWaitStatus(0)).toEqual({ code: 0, signal: null });
  });

  it('expands array_task_string, throttle suffix dropped', () => {
    expect(expandIndexes('1-4%1')).toEqual([1, 2, 3, 4]);
    expect(expandIndexes('0,6,16-18')).toEqual([0, 6, 16, 17, 18]);
    expect(expandIndexes('0-6:3%2')).toEqual([0, 3, 6]);
  });

  it('filters client side: one array by tag, its started and waiting elements', () => {
    const jobs = parseSqueue(RECORDED);
    expect(arrayIdForTag(jobs, 'spool-j1-x')).toBe('7');
    expect(arrayIdForTag(jobs, 'spool-j2-y')).toBeNull();
    expect(elementsOf(jobs, '7').map((e) => [e.index, e.state, e.exitCode, e.signal])).toEqual([
      [0, 'done', 0, null],
      [1, 'failed', 7, null],
      [2, 'canceled', null, 15],
      [3, 'queued', null, null],
      [4, 'queued', null, null],
      [5, 'queued', null, null],
    ]);
  });

  it('a controller that does not answer is an error even though squeue exits 0', () => {
    expect(() => parseSqueue(JSON.stringify({ errors: [{ description: 'Failed w err: Unable to contact slurm controller (connect failure)' }], jobs: [] }))).toThrow(SqueueError);
  });
});

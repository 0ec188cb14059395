import { describe, expect, it } from 'vitest';
import type { JobIntent, TaskCounts } from '../types';
import { deriveJobStatus as derive, NO_TASKS, type DepGate } from './job-status';

const tasks = (t: Partial<TaskCounts>): TaskCounts => ({ ...NO_TASKS, ...t });
// Steps are tasks now: a step that has not started is `queued` (it was `pending`).
const steps = tasks;
const NO_STEPS = NO_TASKS;
const deriveJobStatus = (intent: JobIntent, renders: TaskCounts, unassignedFrames: number, started: boolean, stepCounts = NO_TASKS, deps: DepGate = 'clear') =>
  derive({ intent, renders, unassignedFrames, started, steps: stepCounts, deps });

describe('derived job status with steps and dependencies', () => {
  it('keeps a job running while its after-render steps run or wait, failed when one failed', () => {
    const done = tasks({ succeeded: 3 });
    expect(deriveJobStatus('active', done, 0, true)).toBe('succeeded');
    expect(deriveJobStatus('active', done, 0, true, steps({ queued: 1 }))).toBe('running');
    expect(deriveJobStatus('active', done, 0, true, steps({ succeeded: 1, running: 1 }))).toBe('running');
    expect(deriveJobStatus('active', done, 0, true, steps({ waiting: 1 }))).toBe('running');
    expect(deriveJobStatus('paused', done, 0, true, steps({ queued: 1 }))).toBe('paused');
    expect(deriveJobStatus('active', done, 0, true, steps({ succeeded: 1, failed: 1 }))).toBe('failed');
    expect(deriveJobStatus('active', done, 0, true, steps({ succeeded: 2 }))).toBe('succeeded');
    expect(deriveJobStatus('canceled', done, 0, true, steps({ queued: 1 }))).toBe('canceled');
  });

  it('is blocked when a job it waits for failed, queued while it waits, never blocked once running', () => {
    const queued = tasks({ queued: 2 });
    expect(deriveJobStatus('active', queued, 0, false, NO_STEPS, 'waiting')).toBe('queued');
    expect(deriveJobStatus('active', queued, 5, false, NO_STEPS, 'blocked')).toBe('blocked');
    expect(deriveJobStatus('active', tasks({ running: 1, queued: 1 }), 0, true, NO_STEPS, 'blocked')).toBe('running');
    expect(deriveJobStatus('paused', queued, 0, false, NO_STEPS, 'blocked')).toBe('paused');
    expect(deriveJobStatus('canceled', queued, 0, false, NO_STEPS, 'blocked')).toBe('canceled');
  });
});

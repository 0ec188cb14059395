import type { JobIntent, JobStatus, StepCounts, TaskCounts } from '../types';

export type { TaskCounts, StepCounts };

/**
 * Where the jobs a job waits for (`after`) stand: `clear` when all succeeded (or it waits for
 * none), `waiting` while one is unfinished, `blocked` when one failed, was canceled or is blocked.
 */
export type DepGate = 'clear' | 'waiting' | 'blocked';

export const NO_STEPS: StepCounts = { pending: 0, waiting: 0, running: 0, succeeded: 0, failed: 0, canceled: 0 };

/**
 * A job's status is never stored: it follows from what the user asked (intent), where its tasks
 * are, its after-render steps and the jobs it waits for, so it can never disagree with them.
 */
export function deriveJobStatus(
  intent: JobIntent,
  tasks: TaskCounts,
  unassignedFrames: number,
  started: boolean,
  steps: StepCounts = NO_STEPS,
  deps: DepGate = 'clear',
): JobStatus {
  if (intent === 'canceled') return 'canceled';
  const pending = tasks.queued + tasks.waiting + unassignedFrames;
  const total = tasks.queued + tasks.waiting + tasks.running + tasks.succeeded + tasks.failed + tasks.canceled;
  if (total > 0 && tasks.succeeded === total && unassignedFrames === 0) {
    // Every frame is done: the steps decide.
    const stepsLeft = steps.pending + steps.waiting;
    if (steps.running > 0) return 'running';
    if (stepsLeft > 0) return intent === 'paused' ? 'paused' : 'running';
    if (steps.failed > 0) return 'failed';
    if (steps.canceled > 0) return 'canceled';
    return 'succeeded';
  }
  if (intent === 'paused' && tasks.running === 0) return 'paused';
  if (tasks.running > 0) return 'running';
  if (pending > 0) {
    if (deps === 'blocked') return 'blocked';
    return started ? 'running' : 'queued';
  }
  return tasks.failed > 0 ? 'failed' : 'canceled';
}

/** Statuses that stay as they are until a user acts (a retry, a resume, a dependency's retry). */
export const TERMINAL_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'canceled', 'blocked'];

/** Statuses that end a job for good, written as finished_at. */
export const FINAL_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'canceled'];

import type { JobIntent, JobStatus, TaskCounts } from '../types';

/**
 * Where the jobs a job waits for (`after`) stand: `clear` when all succeeded (or it waits for
 * none), `waiting` while one is unfinished, `blocked` when one failed, was canceled or is blocked.
 */
export type DepGate = 'clear' | 'waiting' | 'blocked';

export const NO_TASKS: TaskCounts = { queued: 0, waiting: 0, running: 0, succeeded: 0, failed: 0, canceled: 0 };

/** Everything a job's status is derived from; the store counts it in one query (store/summaries.ts). */
export interface JobFacts {
  intent: JobIntent;
  /** Render tasks by state. */
  renders: TaskCounts;
  /** Frames not yet compiled into a render task (automatic chunking waits for a measurement). */
  unassignedFrames: number;
  started: boolean;
  /** After-render step tasks by state. */
  steps: TaskCounts;
  deps: DepGate;
}

/**
 * A job's status is never stored: it follows from what the user asked (intent), where its tasks
 * are, its after-render steps and the jobs it waits for, so it can never disagree with them.
 * Frames the user suspended are neither pending nor failed: they are in no task's work, so a job
 * whose other frames are done succeeds ("done with N suspended", frame-actions.ts suspendedNote).
 */
export function deriveJobStatus(facts: JobFacts): JobStatus {
  const { intent, renders: tasks, unassignedFrames, started, steps, deps } = facts;
  if (intent === 'canceled') return 'canceled';
  const pending = tasks.queued + tasks.waiting + unassignedFrames;
  const total = tasks.queued + tasks.waiting + tasks.running + tasks.succeeded + tasks.failed + tasks.canceled;
  if (total > 0 && tasks.succeeded === total && unassignedFrames === 0) {
    // Every frame is done: the steps decide.
    const stepsLeft = steps.queued + steps.waiting;
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

/** Statuses that end a job for good, written as finished_at. */
export function isFinal(status: JobStatus): boolean {
  switch (status) {
    case 'succeeded':
    case 'failed':
    case 'canceled':
      return true;
    case 'queued':
    case 'running':
    case 'paused':
    case 'blocked':
      return false;
  }
}

/** Statuses that stay as they are until a user acts (a retry, a resume, a dependency's retry). */
export function isSettled(status: JobStatus): boolean {
  return isFinal(status) || status === 'blocked';
}

/** The cached outcome jobs that wait for this one read (jobs.outcome); null while it is live. */
export function cachedOutcome(status: JobStatus): 'succeeded' | 'failed' | 'canceled' | 'blocked' | null {
  switch (status) {
    case 'succeeded':
    case 'failed':
    case 'canceled':
    case 'blocked':
      return status;
    case 'queued':
    case 'running':
    case 'paused':
      return null;
  }
}

import type { FarmTaskState } from '../backend';
import type { JobStatus, TaskStatus } from './schemas';

/**
 * What Flamenco's statuses mean to Spool, and the job status each action asks for. Which change
 * is allowed from which status is the Manager's call (422 otherwise), not Spool's: a newer
 * Manager may allow more. Pure tables, no I/O.
 */

export function taskState(status: TaskStatus): FarmTaskState {
  switch (status) {
    // soft-failed: "like queued, but a worker already failed it once"; another worker retries it.
    case 'queued':
    case 'soft-failed':
      return 'queued';
    case 'paused':
      return 'held';
    case 'active':
      return 'running';
    case 'completed':
      return 'done';
    case 'failed':
      return 'failed';
    case 'canceled':
      return 'canceled';
  }
}

export type JobAction = 'cancel' | 'pause' | 'requeue';

export const ACTION_STATUS: Record<JobAction, JobStatus> = {
  cancel: 'cancel-requested',
  pause: 'pause-requested',
  requeue: 'requeueing',
};

/** Statuses in which the action has already been asked for: asking again changes nothing. */
export const ACTION_DONE: Record<JobAction, readonly JobStatus[]> = {
  cancel: ['cancel-requested', 'canceled'],
  pause: ['pause-requested', 'paused'],
  requeue: ['requeueing'],
};

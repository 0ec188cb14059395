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

export type JobAction = 'cancel' | 'pause' | 'resume' | 'requeue';

/** Flamenco has no "resume": its web UI requeues a paused job, which queues its paused tasks again. */
export const ACTION_STATUS: Record<JobAction, JobStatus> = {
  cancel: 'cancel-requested',
  pause: 'pause-requested',
  resume: 'requeueing',
  requeue: 'requeueing',
};

/** Job statuses in which the action has nothing to do (asked for already, or nothing it applies to). */
export const ACTION_NOOP: Record<JobAction, readonly JobStatus[]> = {
  cancel: ['cancel-requested', 'canceled'],
  pause: ['pause-requested', 'paused'],
  // Only a paused (or pausing) job is held; requeueing any other would run failed work again.
  resume: ['active', 'queued', 'requeueing', 'completed', 'failed', 'canceled', 'cancel-requested', 'under-construction'],
  // A completed job has nothing unfinished: requeueing it would render every frame again.
  requeue: ['completed', 'requeueing'],
};

/**
 * Statuses in which a job-level requeue is not Flamenco's way: the job is still running, so its
 * failed and canceled tasks are queued one by one (`POST /tasks/{id}/setstatus`).
 */
export const REQUEUE_BY_TASK: readonly JobStatus[] = ['active', 'queued'];

import type { JobIntent, JobStatus, TaskCounts } from '../types';

export type { TaskCounts };

/**
 * A job's status is never stored: it follows from what the user asked (intent) and where its
 * tasks are, so it can never disagree with them.
 */
export function deriveJobStatus(
  intent: JobIntent,
  tasks: TaskCounts,
  unassignedFrames: number,
  started: boolean,
): JobStatus {
  if (intent === 'canceled') return 'canceled';
  const pending = tasks.queued + tasks.waiting + unassignedFrames;
  const total = tasks.queued + tasks.waiting + tasks.running + tasks.succeeded + tasks.failed + tasks.canceled;
  if (total > 0 && tasks.succeeded === total && unassignedFrames === 0) return 'succeeded';
  if (intent === 'paused' && tasks.running === 0) return 'paused';
  if (tasks.running > 0) return 'running';
  if (pending > 0) return started ? 'running' : 'queued';
  return tasks.failed > 0 ? 'failed' : 'canceled';
}

export const TERMINAL_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'canceled'];

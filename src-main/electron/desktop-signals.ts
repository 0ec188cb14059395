import type { JobSummary } from '../../src-preload/contract';
import type { JobStatus } from '../engine/types';

/**
 * What the desktop shows about the queue outside the window: the taskbar/dock progress, whether
 * the machine may sleep, and which jobs just finished. Pure functions over job summaries.
 */

const ACTIVE: ReadonlySet<JobStatus> = new Set(['queued', 'running']);

/** Frames done over frames wanted across jobs still to finish; -1 (no bar) when none is. */
export function queueProgress(jobs: readonly JobSummary[]): number {
  let done = 0;
  let total = 0;
  for (const job of jobs) {
    if (!ACTIVE.has(job.status)) continue;
    done += job.framesDone;
    total += job.frameCount;
  }
  return total > 0 ? Math.min(1, done / total) : -1;
}

export function isRendering(jobs: readonly JobSummary[]): boolean {
  return jobs.some((job) => job.status === 'running');
}

/**
 * Remembers each job's status and answers when a job has just succeeded or failed, so a desktop
 * notification is shown once per finish, not for jobs that had already finished at start-up.
 */
export function finishWatcher(initial: readonly JobSummary[]): (job: JobSummary) => 'succeeded' | 'failed' | null {
  const last = new Map<number, JobStatus>(initial.map((job) => [job.id, job.status]));
  return (job) => {
    const before = last.get(job.id);
    last.set(job.id, job.status);
    if (before === job.status) return null;
    return job.status === 'succeeded' || job.status === 'failed' ? job.status : null;
  };
}

import type { JobSummary } from '../../src-preload/contract';
import { queueGlance } from '../../src-preload/job-feedback';

/**
 * What the desktop shows about the queue outside the window: the taskbar/dock progress, whether
 * the machine may sleep. Pure functions over job summaries (which jobs just finished: src-preload/job-feedback.ts).
 */

/** Frames done over frames wanted across jobs still to finish; -1 (no bar) when none is. */
export function queueProgress(jobs: readonly JobSummary[]): number {
  return queueGlance(jobs, Infinity).progress ?? -1;
}

export function isRendering(jobs: readonly JobSummary[]): boolean {
  return jobs.some((job) => job.status === 'running');
}

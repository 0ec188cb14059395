import type { JobStatus } from '../types';
import { isFinal } from './job-status';

/** A job's paused time: what is behind it, and when the pause going on now began. */
export interface PausedClock {
  pausedMs: number;
  pausedAt: number | null;
}

/**
 * The paused clock after a job settles to `status` at `now`; null when it does not change. It runs
 * while the job stands paused (its work stopped), from its first start: a job paused before it
 * ever ran has no elapsed time to take the pause from, and work that renders on to the end of its
 * frame after a pause is asked for still counts as elapsed.
 */
export function nextPausedClock(status: JobStatus, job: PausedClock & { startedAt: number | null }, now: number): PausedClock | null {
  const paused = status === 'paused' && job.startedAt !== null;
  if (paused && job.pausedAt === null) return { pausedMs: job.pausedMs, pausedAt: now };
  if (!paused && job.pausedAt !== null) return { pausedMs: job.pausedMs + Math.max(0, now - job.pausedAt), pausedAt: null };
  return null;
}

/**
 * The one definition of a job's elapsed time for every face: from its first start to its end (or
 * now), less the time it stood paused. Null before it started.
 */
export function activeElapsedMs(
  // Optional: a summary from an engine older than the paused clock has no paused time to take off.
  job: Partial<PausedClock> & { status: JobStatus; startedAt: number | null; finishedAt: number | null },
  now: number,
): number | null {
  if (job.startedAt === null) return null;
  const end = isFinal(job.status) ? (job.finishedAt ?? now) : now;
  const pausing = job.pausedAt == null ? 0 : Math.max(0, end - job.pausedAt);
  return Math.max(0, end - job.startedAt - (job.pausedMs ?? 0) - pausing);
}

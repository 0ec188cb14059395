import type { JobStatus, JobSummary } from '../src-main/engine/types';

/**
 * What to tell the user about the queue when they are not looking at it: one notice per job that
 * has just finished, and a one-line state for a tab title or a badge. Pure, so Electron's
 * notifications and the browser tab's notifications, title and favicon follow the same rules.
 */

export interface JobNotice {
  jobId: number;
  outcome: 'succeeded' | 'failed';
  title: string;
  body: string;
  /** A success need not make a sound; a failure asks for attention. */
  silent: boolean;
}

/**
 * The notice for a job that went from `before` (undefined: a job not known yet, submitted since)
 * to its status now; null when nothing is worth telling.
 */
export function jobNotice(before: JobStatus | undefined, job: JobSummary): JobNotice | null {
  if (before === job.status) return null;
  if (job.status === 'succeeded') {
    return { jobId: job.id, outcome: 'succeeded', title: `${job.name} finished`, body: `${job.framesDone} of ${job.frameCount} frames rendered.`, silent: true };
  }
  if (job.status === 'failed') {
    const body = `${job.framesFailed} ${job.framesFailed === 1 ? 'frame' : 'frames'} failed${job.reason ? `: ${job.reason}` : '.'}`;
    return { jobId: job.id, outcome: 'failed', title: `${job.name} failed`, body, silent: false };
  }
  return null;
}

/** Remembers each job's status, so each finish is told once, and not for jobs already finished at the start. */
export function noticeWatcher(initial: readonly JobSummary[]): (job: JobSummary) => JobNotice | null {
  const last = new Map<number, JobStatus>(initial.map((job) => [job.id, job.status]));
  return (job) => {
    const before = last.get(job.id);
    last.set(job.id, job.status);
    return jobNotice(before, job);
  };
}

export interface QueueGlance {
  running: number;
  /** Jobs failed since `since` and still failed (a retry or a delete clears them). */
  failed: number;
  /** Frames done over frames wanted across queued and running jobs, 0..1; null when none is. */
  progress: number | null;
  /** e.g. "✖ 1 failed · ▶ 3 running · 45% — Spool". */
  title: string;
  /** The favicon's badge: failures first, then work in progress. */
  badge: 'failed' | 'running' | null;
}

const ACTIVE: ReadonlySet<JobStatus> = new Set(['queued', 'running']);

export function queueGlance(jobs: readonly JobSummary[], since: number, app = 'Spool'): QueueGlance {
  let running = 0;
  let failed = 0;
  let done = 0;
  let total = 0;
  for (const job of jobs) {
    if (job.status === 'running') running++;
    if (job.status === 'failed' && (job.finishedAt ?? 0) >= since) failed++;
    if (ACTIVE.has(job.status)) {
      done += job.framesDone;
      total += job.frameCount;
    }
  }
  const progress = total > 0 ? Math.min(1, done / total) : null;
  const parts: string[] = [];
  if (failed > 0) parts.push(`✖ ${failed} failed`);
  if (running > 0) parts.push(`▶ ${running} running`);
  if (running > 0 && progress !== null) parts.push(`${Math.floor(progress * 100)}%`);
  return {
    running,
    failed,
    progress,
    title: parts.length > 0 ? `${parts.join(' · ')} — ${app}` : app,
    badge: failed > 0 ? 'failed' : running > 0 ? 'running' : null,
  };
}

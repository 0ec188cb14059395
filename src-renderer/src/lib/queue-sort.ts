import { isFinal } from '../../../src-main/engine/lifecycle/job-status';
import type { JobStatus, JobSummary } from '../../../src-main/engine/types';
import { compareQueue, elapsedMs, etaMs } from './queue';

/** `queue`: the scheduler's order (what runs next first); the others are the table's columns. */
export type SortKey = 'queue' | 'name' | 'dcc' | 'frames' | 'status' | 'priority' | 'elapsed' | 'eta';
export interface QueueSort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

export const QUEUE_ORDER: QueueSort = { key: 'queue', dir: 'asc' };

/** Live work first in the status column, in the order a user scans for it. */
const STATUS_RANK: Record<JobStatus, number> = { running: 0, paused: 1, queued: 2, blocked: 3, failed: 4, canceled: 5, succeeded: 6 };

type Compare = (a: JobSummary, b: JobSummary) => number;

/** A column's order; values a job does not have yet (no elapsed time before it starts) go last either way. */
function columnCompare(key: Exclude<SortKey, 'queue'>, sign: number, now: number): Compare {
  const by = (f: (a: JobSummary, b: JobSummary) => number): Compare => (a, b) => sign * f(a, b);
  const nullsLast = (f: (j: JobSummary) => number | null): Compare => (a, b) => {
    const x = f(a);
    const y = f(b);
    if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
    return sign * (x - y);
  };
  switch (key) {
    case 'name':
      return by((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' }));
    case 'dcc':
      return by((a, b) => a.dcc.localeCompare(b.dcc));
    case 'frames':
      // By progress, then by size: "how far along" is what the column shows.
      return by((a, b) => a.framesDone / Math.max(1, a.frameCount) - b.framesDone / Math.max(1, b.frameCount) || a.frameCount - b.frameCount);
    case 'status':
      return by((a, b) => (STATUS_RANK[a.status] ?? 9) - (STATUS_RANK[b.status] ?? 9));
    case 'priority':
      return by((a, b) => a.priority - b.priority);
    case 'elapsed':
      return nullsLast((j) => elapsedMs(j, j.finishedAt ?? now));
    case 'eta':
      return nullsLast((j) => etaMs(j, now));
  }
}

/**
 * The rows as shown: with `grouped`, running, queued, paused and blocked jobs above finished ones,
 * each group in the chosen order; ties fall back to the queue's own order so rows never jump
 * between equal keys. A new array; `jobs` is left as it is.
 */
export function sortJobs(jobs: readonly JobSummary[], sort: QueueSort, grouped: boolean, now: number): JobSummary[] {
  const column = sort.key === 'queue' ? null : columnCompare(sort.key, sort.dir === 'desc' ? -1 : 1, now);
  return [...jobs].sort((a, b) => {
    const group = grouped ? Number(isFinal(a.status)) - Number(isFinal(b.status)) : 0;
    return group || (column ? column(a, b) : 0) || compareQueue(a, b);
  });
}

/** A header click: ascending, then descending, then back to queue order. */
export function nextSort(current: QueueSort, key: Exclude<SortKey, 'queue'>): QueueSort {
  if (current.key !== key) return { key, dir: 'asc' };
  return current.dir === 'asc' ? { key, dir: 'desc' } : QUEUE_ORDER;
}

/** Finished jobs still shown in the queue (not yet moved to History). */
export function finishedInQueue(jobs: Iterable<JobSummary>): number[] {
  const out: number[] = [];
  for (const j of jobs) if (isFinal(j.status) && j.archivedAt === null) out.push(j.id);
  return out;
}

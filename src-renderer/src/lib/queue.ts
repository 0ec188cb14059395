import { activeElapsedMs } from '../../../src-main/engine/lifecycle/paused-clock';
import { PRIORITY } from '../../../src-main/engine/limits';
import type { JobStatus, JobSummary } from '../../../src-main/engine/types';

export type StatusFilter = 'all' | JobStatus;

export const STATUS_FILTERS: readonly { id: StatusFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'queued', label: 'Queued' },
  { id: 'running', label: 'Running' },
  { id: 'paused', label: 'Paused' },
  { id: 'blocked', label: 'Blocked' },
  { id: 'succeeded', label: 'Done' },
  { id: 'failed', label: 'Failed' },
  { id: 'canceled', label: 'Canceled' },
];

export const STATUS_LABEL: Record<JobStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  paused: 'Paused',
  blocked: 'Blocked',
  succeeded: 'Done',
  failed: 'Failed',
  canceled: 'Canceled',
};

export const { min: PRIORITY_MIN, max: PRIORITY_MAX } = PRIORITY;

/** The scheduler's order (store.runnableTasks): higher priority first, then the older job. */
export function compareQueue(a: Pick<JobSummary, 'priority' | 'id'>, b: Pick<JobSummary, 'priority' | 'id'>): number {
  return b.priority - a.priority || a.id - b.id;
}

/**
 * The status a person reads: a queued job still waiting for the jobs it depends on is Blocked
 * until they are done (the engine calls it queued, as it starts by itself then).
 */
export function shownStatus(job: Pick<JobSummary, 'status' | 'depGate'>): JobStatus {
  return job.status === 'queued' && job.depGate === 'waiting' ? 'blocked' : job.status;
}

export function matchesFilter(job: JobSummary, filter: StatusFilter): boolean {
  return filter === 'all' || shownStatus(job) === filter;
}

export function countByStatus(jobs: Iterable<JobSummary>): Record<StatusFilter, number> {
  const counts: Record<StatusFilter, number> = { all: 0, queued: 0, running: 0, paused: 0, blocked: 0, succeeded: 0, failed: 0, canceled: 0 };
  for (const job of jobs) {
    counts.all++;
    // A status this build does not know yet still counts under All.
    const status = shownStatus(job);
    if (status in counts) counts[status]++;
  }
  return counts;
}

/** `pause` waits for the frame in progress to be saved (where the renderer reports saves); `pauseNow` does not. */
export type QueueAction = 'pause' | 'pauseNow' | 'resume' | 'cancel' | 'retry' | 'duplicate' | 'delete' | 'priorityUp' | 'priorityDown';

/**
 * Whether an action applies to at least one selected job. The engine decides which actions a job
 * takes (lifecycle/actions.ts, sent with each summary); only priority bounds are checked here.
 */
export function canApply(action: QueueAction, jobs: readonly JobSummary[]): boolean {
  if (jobs.length === 0) return false;
  switch (action) {
    case 'delete':
      return jobs.every((j) => j.actions.includes('delete'));
    case 'priorityUp':
      return jobs.some((j) => j.priority < PRIORITY_MAX);
    case 'priorityDown':
      return jobs.some((j) => j.priority > PRIORITY_MIN);
    case 'pause':
      // A pause already waiting for its frame is not asked again; "Pause now" hurries it.
      return jobs.some((j) => j.actions.includes('pause') && j.intent !== 'paused');
    case 'pauseNow':
      return jobs.some((j) => j.actions.includes('pause'));
    case 'resume':
    case 'cancel':
    case 'retry':
    case 'duplicate':
      return jobs.some((j) => j.actions.includes(action));
  }
}

/** Which selected jobs an action should be sent for, so one finished job does not fail a batch. */
export function applicableIds(action: QueueAction, jobs: readonly JobSummary[]): number[] {
  return jobs.filter((j) => canApply(action, [j])).map((j) => j.id);
}

/** Time spent on the job, not counting the time it stood paused (the engine's one definition). */
export function elapsedMs(job: JobSummary, now: number): number | null {
  return activeElapsedMs(job, now);
}

/**
 * Naive but honest: time so far per finished frame, times what is left. Only while running and
 * once a frame finished; `partial` is the fraction of frames in flight, which smooths the start.
 */
export function etaMs(job: JobSummary, now: number, partial = 0): number | null {
  if (job.status !== 'running' || job.startedAt === null) return null;
  const done = job.framesDone + partial;
  if (done <= 0) return null;
  const remaining = job.frameCount - job.framesDone - partial;
  if (remaining <= 0) return 0;
  return ((activeElapsedMs(job, now) ?? 0) / done) * remaining;
}

/**
 * The priority that makes `draggedId` run just before the job shown at `targetIndex` of `order`
 * (dropping at `order.length` means "at the end"). Ties break by id, so the same priority works
 * when the ids fall in between; otherwise one more than the target's still puts it ahead of the
 * target, which is the promise the drop made.
 */
export function priorityForDrop(
  order: readonly Pick<JobSummary, 'id' | 'priority'>[],
  draggedId: number,
  targetIndex: number,
): number | null {
  const slot = dropSlot(order, draggedId, targetIndex);
  if (!slot) return null;
  const { dragged, above, below, fits } = slot;
  if (!below) {
    // To the end: below the last job.
    if (!above || fits(dragged.priority)) return dragged.priority;
    if (fits(above.priority)) return above.priority;
    return clamp(above.priority - 1);
  }
  if (fits(dragged.priority)) return dragged.priority;
  if (fits(below.priority)) return below.priority;
  if (fits(below.priority + 1)) return clamp(below.priority + 1);
  if (above && fits(above.priority)) return above.priority;
  return clamp(below.priority + 1);
}

const clamp = (p: number): number => Math.max(PRIORITY_MIN, Math.min(PRIORITY_MAX, p));

/** The jobs the dragged one would sit between, and whether a priority puts it there. */
function dropSlot(order: readonly Pick<JobSummary, 'id' | 'priority'>[], draggedId: number, targetIndex: number) {
  const dragged = order.find((j) => j.id === draggedId);
  if (!dragged) return null;
  const rest = order.filter((j) => j.id !== draggedId);
  const originalIndex = order.indexOf(dragged);
  const index = targetIndex > originalIndex ? targetIndex - 1 : targetIndex;
  const above = index > 0 ? rest[index - 1] : undefined;
  const below = rest[index];
  const fits = (p: number): boolean => {
    const candidate = { id: draggedId, priority: p };
    return (!above || compareQueue(above, candidate) < 0) && (!below || compareQueue(candidate, below) < 0);
  };
  return { dragged, above, below, fits };
}

/**
 * Like priorityForDrop, but the lowest priority that fits, so the room above is left to the
 * `reserve` jobs still to be placed above this one (at the end of the queue, room is made below).
 */
function lowestPriorityForDrop(
  order: readonly Pick<JobSummary, 'id' | 'priority'>[],
  draggedId: number,
  targetIndex: number,
  reserve: number,
): number | null {
  const slot = dropSlot(order, draggedId, targetIndex);
  if (!slot) return null;
  const { dragged, above, below, fits } = slot;
  if (fits(dragged.priority) || (!above && !below)) return dragged.priority;
  const low = clamp(below ? below.priority : above!.priority - 1 - reserve);
  const high = clamp(above ? above.priority : below!.priority + 1);
  for (let p = low; p <= high; p++) if (fits(p)) return p;
  return priorityForDrop(order, draggedId, targetIndex);
}

/**
 * Several selected jobs dropped together above the job at `targetIndex`. They are placed from the
 * last up, each right above the one placed before it, among the jobs not in the group: the group
 * lands together and in its order wherever the priorities leave room (the first placed takes the
 * lowest priority that fits, leaving the room above it to the others). Returns only the changes.
 */
export function prioritiesForGroupDrop(
  order: readonly Pick<JobSummary, 'id' | 'priority'>[],
  ids: ReadonlySet<number>,
  targetIndex: number,
): Map<number, number> {
  const group = order.filter((j) => ids.has(j.id));
  let work = order.filter((j) => !ids.has(j.id)).map((j) => ({ id: j.id, priority: j.priority }));
  // Dropped onto one of its own members: the group goes above the next job that is not in it.
  let below = order.slice(targetIndex).find((j) => !ids.has(j.id))?.id ?? null;
  const changed = new Map<number, number>();
  for (const [placed, job] of [...group].reverse().entries()) {
    work = [...work, { id: job.id, priority: job.priority }].sort(compareQueue);
    const target = below === null ? work.length : work.findIndex((j) => j.id === below);
    const priority = lowestPriorityForDrop(work, job.id, target, group.length - 1 - placed) ?? job.priority;
    if (priority !== job.priority) changed.set(job.id, priority);
    work = work.map((j) => (j.id === job.id ? { id: job.id, priority } : j)).sort(compareQueue);
    below = job.id;
  }
  return changed;
}

import { isNotReached } from '../../../../src-main/engine/lifecycle/not-reached';
import type { FrameRecord } from '../../../../src-main/engine/types';

/**
 * One state per frame, as it really is: a frame of a running chunk is `rendering` only while the
 * renderer says it works on it (its current-frame line, e.g. Blender's `Fra:N`, arrives as a
 * progress event); the chunk's other frames are `waiting` their turn. `notreached`: queued again,
 * a failed chunk never got to it.
 */
export type CellKind = 'queued' | 'waiting' | 'rendering' | 'done' | 'failed' | 'suspended' | 'notreached' | 'canceled';

export const CELL_KINDS: readonly CellKind[] = ['queued', 'waiting', 'rendering', 'done', 'failed', 'suspended', 'notreached', 'canceled'];

const LABELS: Record<CellKind, string> = {
  queued: 'queued',
  waiting: 'waiting in chunk',
  rendering: 'rendering now',
  done: 'done',
  failed: 'failed',
  suspended: 'suspended',
  notreached: 'not reached',
  canceled: 'canceled',
};

export const cellLabel = (kind: CellKind): string => LABELS[kind];

/** Which frame each running chunk (task id) renders now, from the renderer's current-frame lines. */
export type CurrentFrames = ReadonlyMap<number, number>;

/**
 * `current`: the frame each running task said it started last. A running chunk that said nothing
 * yet renders its frame if it has only one (a one-frame chunk cannot be waiting on another).
 */
export function cellKind(record: Pick<FrameRecord, 'frame' | 'state' | 'reason' | 'taskId'> | undefined, current: CurrentFrames, singleRunning: ReadonlySet<number> = new Set()): CellKind {
  if (!record) return 'queued';
  if (isNotReached(record)) return 'notreached';
  if (record.state !== 'running') return record.state;
  const task = record.taskId;
  if (task === null) return 'waiting';
  const now = current.get(task);
  if (now === undefined) return singleRunning.has(task) ? 'rendering' : 'waiting';
  return now === record.frame ? 'rendering' : 'waiting';
}

/** Tasks with exactly one running frame (see cellKind). */
export function singleRunningTasks(frames: Iterable<Pick<FrameRecord, 'state' | 'taskId'>>): Set<number> {
  const counts = new Map<number, number>();
  for (const f of frames) if (f.state === 'running' && f.taskId !== null) counts.set(f.taskId, (counts.get(f.taskId) ?? 0) + 1);
  return new Set([...counts].filter(([, n]) => n === 1).map(([task]) => task));
}

/**
 * Every frame counted by what it really is: the header's numbers. `single`: the tasks with one
 * running frame when the caller keeps them (FrameTable does), so 100,000 frames are not copied to find them.
 */
export function countKinds(frames: Iterable<FrameRecord>, current: CurrentFrames, single?: ReadonlySet<number>): Record<CellKind, number> {
  if (single) return tally(frames, current, single);
  const list = [...frames];
  return tally(list, current, singleRunningTasks(list));
}

function tally(frames: Iterable<FrameRecord>, current: CurrentFrames, single: ReadonlySet<number>): Record<CellKind, number> {
  const counts = Object.fromEntries(CELL_KINDS.map((k) => [k, 0])) as Record<CellKind, number>;
  for (const f of frames) counts[cellKind(f, current, single)]++;
  return counts;
}

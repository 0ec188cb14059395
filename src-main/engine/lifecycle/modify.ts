import type { FrameState, TaskState } from '../types';
import { frameSources } from './frame';
import { nextTaskState, type TaskEvent } from './task';

/**
 * What modifying a job (new frames, chunk size, settings) does to the work it already has. The
 * job is queued, blocked or paused (actions.ts), so none of it runs:
 * - done frames stay done in the chunk that rendered them, unless the new frame set leaves them
 *   out: then they leave the job (their files stay on disk);
 * - every other frame goes back to the queue (a failed or canceled one as a retry would) and is
 *   chunked again with the new chunk size;
 * - a chunk that never ran is replaced; one that ran keeps its attempts as history and ends
 *   with what it finished (`supersedeTask`).
 */
export const MODIFY_REQUEUES_FRAMES: readonly FrameState[] = ['queued', ...frameSources('retry', 'queued')];

/**
 * The table's way from a task's state to `succeeded` once its unfinished frames moved to new
 * chunks: a queued chunk has nothing left to run; a waiting, failed or canceled one is retried
 * first. Null: the state has no such way (a running task is never superseded).
 */
export function supersedeTask(state: TaskState): TaskEvent[] | null {
  if (state === 'succeeded') return [];
  if (state === 'running') return null;
  const direct = nextTaskState(state, 'succeed');
  if (direct.ok && direct.to === 'succeeded') return ['succeed'];
  const retried = nextTaskState(state, 'retry');
  if (!retried.ok) return null;
  const then = nextTaskState(retried.to, 'succeed');
  return then.ok && then.to === 'succeeded' ? ['retry', 'succeed'] : null;
}

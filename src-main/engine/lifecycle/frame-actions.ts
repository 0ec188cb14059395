import { formatFrameSet } from '../frames/format';
import type { FrameState, JobStatus, TaskState } from '../types';
import { nextFrameState, type FrameEvent } from './frame';
import { isTaskFinished } from './task';

/** What a user does to frames of a job (the grid's menu, `spool frames JOB ACTION SET`). */
export type FrameAction = 'requeue' | 'suspend' | 'resume' | 'complete';

export const FRAME_ACTIONS: readonly FrameAction[] = ['requeue', 'suspend', 'resume', 'complete'];

const EVENT: Record<FrameAction, FrameEvent> = { requeue: 'rerender', suspend: 'suspend', resume: 'unsuspend', complete: 'accept' };

/** The reason a moved frame carries: a requeued or resumed frame starts clean. */
const REASON: Record<FrameAction, string | null> = {
  requeue: null,
  suspend: 'suspended by user',
  resume: null,
  complete: 'marked complete by user (file not checked)',
};

/** A frame as the planner sees it: its state and its task's (null: not in a chunk yet). */
export interface FrameFacts {
  frame: number;
  state: FrameState;
  task: { state: TaskState; index: number } | null;
}

export interface FrameActionPlan {
  action: FrameAction;
  /** The frame table's event it is. */
  event: FrameEvent;
  to: FrameState;
  reason: string | null;
  /** Frames that move, in the job's order. */
  frames: number[];
  /**
   * Of `frames`, those going back to the queue whose chunk has ended: they leave it for a new chunk
   * (the old chunk keeps its history and its other frames), so only they render again.
   */
  newChunk: number[];
  /** Frames asked for that do not move, grouped by why (a frame set and a phrase). */
  skipped: { frames: string; count: number; why: string }[];
}

/** States whose frames still have something to render: a failed task with none of them has nothing left. */
export const FRAME_STATES_WITH_WORK: readonly FrameState[] = ['queued', 'running', 'failed', 'canceled'];

/**
 * Which of the asked frames move and where, and why the others do not. A frame whose chunk is
 * rendering now never moves (its child has the frame on its command line already): the user waits
 * for the chunk to end, or pauses the job, and acts then. `missing`: asked for, not in the job.
 */
export function planFrameAction(action: FrameAction, facts: readonly FrameFacts[], missing: readonly number[] = []): FrameActionPlan {
  const event = EVENT[action];
  const moved: number[] = [];
  const newChunk: number[] = [];
  const skipped = new Map<string, number[]>();
  const skip = (why: string, frame: number): void => {
    const list = skipped.get(why);
    if (list) list.push(frame);
    else skipped.set(why, [frame]);
  };
  let to: FrameState | null = null;
  for (const f of facts) {
    if (f.task?.state === 'running') {
      skip(`in chunk ${f.task.index + 1}, which is rendering now (wait for it to end, or pause the job)`, f.frame);
      continue;
    }
    const next = nextFrameState(f.state, event);
    if (!next.ok) {
      skip(refusal(action, f.state), f.frame);
      continue;
    }
    to = next.to;
    moved.push(f.frame);
    if (next.to === 'queued' && (f.task === null || isTaskFinished(f.task.state))) newChunk.push(f.frame);
  }
  for (const frame of missing) skip('not in this job', frame);
  return {
    action,
    event,
    to: to ?? targetOf(action),
    reason: REASON[action],
    frames: moved,
    newChunk,
    skipped: [...skipped].map(([why, frames]) => ({ frames: formatFrameSet(frames), count: frames.length, why })),
  };
}

function targetOf(action: FrameAction): FrameState {
  switch (action) {
    case 'requeue':
    case 'resume':
      return 'queued';
    case 'suspend':
      return 'suspended';
    case 'complete':
      return 'done';
  }
}

/** Why a frame in `state` does not take `action`, as the user reads it after "frames 3-4: ". */
function refusal(action: FrameAction, state: FrameState): string {
  if (state === 'canceled') return 'canceled with their job (retry the job first)';
  switch (action) {
    case 'requeue':
      return state === 'suspended' ? 'suspended (resume them instead)' : 'already queued';
    case 'suspend':
      return state === 'done' ? 'already done' : 'already suspended';
    case 'resume':
      return 'not suspended';
    case 'complete':
      return 'already done';
  }
}

/** The one-line summary every face shows after a frame action. */
export function describeFrameAction(plan: Pick<FrameActionPlan, 'action' | 'frames' | 'skipped'>, overwrites: number): string {
  const verb: Record<FrameAction, string> = { requeue: 'requeued', suspend: 'suspended', resume: 'resumed', complete: 'marked complete' };
  const parts: string[] = [];
  const framesOf = (n: number, set: string): string => `${n === 1 ? 'frame' : 'frames'} ${set}`;
  if (plan.frames.length) parts.push(`${verb[plan.action]} ${framesOf(plan.frames.length, formatFrameSet(plan.frames))}`);
  if (overwrites > 0) parts.push(`${overwrites} rendered ${overwrites === 1 ? 'file' : 'files'} will be overwritten`);
  for (const s of plan.skipped) parts.push(`${framesOf(s.count, s.frames)} not ${verb[plan.action]}: ${s.why}`);
  return parts.join('; ');
}

/**
 * Suspended frames are set aside, not failed: a job whose other frames are all done has succeeded
 * (final, its dependents run, its steps run on the frames it has), and says what it left out.
 * Resuming them makes it live again.
 */
export function suspendedNote(status: JobStatus, suspended: number): string | null {
  return status === 'succeeded' && suspended > 0 ? `done with ${suspended} suspended` : null;
}

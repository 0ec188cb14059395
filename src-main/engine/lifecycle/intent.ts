import type { FrameState, JobIntent, PauseMode, TaskState } from '../types';
import { frameMove, taskMove, type StateMove, type StopRequest } from './outcome';
import { transition, type Table } from './table';

/** What a user asks of a job; its status follows from this plus its tasks (job-status.ts). */
export type IntentEvent = 'pause' | 'resume' | 'cancel' | 'retry';

export const INTENT_EVENTS: readonly IntentEvent[] = ['pause', 'resume', 'cancel', 'retry'];
export const INTENTS: readonly JobIntent[] = ['active', 'paused', 'canceled'];

/** A canceled job comes back only through retry, which renders what is left. */
export const INTENT_TABLE: Table<JobIntent, IntentEvent> = {
  active: { pause: 'paused', resume: 'active', cancel: 'canceled', retry: 'active' },
  paused: { pause: 'paused', resume: 'active', cancel: 'canceled', retry: 'active' },
  canceled: { cancel: 'canceled', retry: 'active' },
};

export const nextIntent = (intent: JobIntent, event: IntentEvent) => transition(INTENT_TABLE, intent, event);

/** What a change of intent does to the job's tasks and frames, beyond the intent itself. */
export interface IntentPlan {
  intent: JobIntent;
  /** How running work stops for a pause; null for every other change (a resume withdraws a pause still waiting for its frame). */
  pauseMode: PauseMode | null;
  /** Tasks not running that move with it (cancel: queued ones are canceled; retry: failed ones queue again). */
  tasks: StateMove<TaskState> | null;
  frames: StateMove<FrameState> | null;
  /** Retry gives tasks their whole retry budget back. */
  resetsBudget: boolean;
}

/**
 * Cancel settles what is not running at once (running tasks are the engine's to stop, and end
 * `canceled` through their runner); retry queues again every task and frame that did not succeed.
 */
export function planIntent(intent: JobIntent, event: IntentEvent, options: { now?: boolean } = {}): IntentPlan | null {
  const next = nextIntent(intent, event);
  if (!next.ok) return null;
  switch (event) {
    case 'cancel':
      return {
        intent: next.to,
        pauseMode: null,
        // Only what is not running: a running task ends `canceled` through its runner, and frames
        // its child saves before it stops still count.
        tasks: { from: ['queued', 'waiting'], to: 'canceled', reason: 'canceled by user' },
        frames: { from: ['queued'], to: 'canceled', reason: 'canceled by user' },
        resetsBudget: false,
      };
    case 'retry':
      return { intent: next.to, pauseMode: null, tasks: taskMove('retry', 'queued', null), frames: frameMove('retry', 'queued', null), resetsBudget: true };
    case 'pause':
      return { intent: next.to, pauseMode: options.now ? 'now' : 'after-frame', tasks: null, frames: null, resetsBudget: false };
    case 'resume':
      return { intent: next.to, pauseMode: null, tasks: null, frames: null, resetsBudget: false };
  }
}

/**
 * How a job's running work must stop, given what its owner asked (null: the job is gone): a
 * deleted or canceled job's at once, a paused one's as the pause said. Null: it keeps running.
 */
export function stopForIntent(job: { intent: JobIntent; pauseMode: PauseMode | null } | null): StopRequest | null {
  if (!job || job.intent === 'canceled') return { mode: 'cancel', when: 'now' };
  if (job.intent === 'paused') return { mode: 'pause', when: job.pauseMode === 'now' ? 'now' : 'after-frame' };
  return null;
}

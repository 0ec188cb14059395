import type { TaskState } from '../types';
import { sourcesOf, transition, type Table } from './table';

/**
 * What can happen to a task (a render chunk or an after-render step; both are tasks):
 * - start: an attempt begins;            - succeed: it ended well, or nothing was left to run;
 * - fail: it ended badly for good;       - backoff: it ended badly and waits to be retried;
 * - requeue: stopped without a failure (pause, shutdown, a dead engine) and queued again;
 * - cancel: the user canceled its job;   - retry: the user asked to run what is left again;
 * - lost: a frame it had finished lost its file (deleted or changed since): the task failed after all;
 * - settle: a user's frame action left a task that is not running nothing to render (its frames
 *   are done, suspended or moved to a new chunk): it has succeeded with what it holds.
 */
export type TaskEvent = 'start' | 'succeed' | 'fail' | 'backoff' | 'requeue' | 'cancel' | 'retry' | 'lost' | 'settle';

export const TASK_EVENTS: readonly TaskEvent[] = ['start', 'succeed', 'fail', 'backoff', 'requeue', 'cancel', 'retry', 'lost', 'settle'];
export const TASK_STATES: readonly TaskState[] = ['queued', 'waiting', 'running', 'succeeded', 'failed', 'canceled'];

export const TASK_TABLE: Table<TaskState, TaskEvent> = {
  queued: { start: 'running', succeed: 'succeeded', cancel: 'canceled', settle: 'succeeded' },
  waiting: { start: 'running', cancel: 'canceled', retry: 'queued', settle: 'succeeded' },
  running: { succeed: 'succeeded', fail: 'failed', backoff: 'waiting', requeue: 'queued', cancel: 'canceled' },
  succeeded: { lost: 'failed' },
  failed: { retry: 'queued', settle: 'succeeded' },
  canceled: { retry: 'queued' },
};

export const nextTaskState = (state: TaskState, event: TaskEvent) => transition(TASK_TABLE, state, event);
export const taskSources = (event: TaskEvent, to: TaskState) => sourcesOf(TASK_TABLE, event, to);

/** A task that will not run again by itself. */
export function isTaskFinished(state: TaskState): boolean {
  switch (state) {
    case 'succeeded':
    case 'failed':
    case 'canceled':
      return true;
    case 'queued':
    case 'waiting':
    case 'running':
      return false;
  }
}

import type { FrameState } from '../types';
import { sourcesOf, transition, type Table } from './table';

/**
 * What can happen to a frame. A frame follows its task's attempt (start, then fail, requeue or
 * cancel with it) except `saved`: a frame is done once its file was verified, and a done frame
 * moves again only when that file is `lost` (deleted or changed since) — a retry renders only what
 * is not done.
 * The user's frame actions (frame-actions.ts) are events of their own, never the runner's:
 * - rerender: a done or failed frame is queued to render again;
 * - suspend / unsuspend: set aside (skipped, not failed) and back to the queue;
 * - accept: "mark complete", done as it is, without a file check.
 * A running frame takes none of them: its child has the frame in its command line already.
 */
export type FrameEvent = 'start' | 'saved' | 'fail' | 'requeue' | 'cancel' | 'retry' | 'lost' | 'rerender' | 'suspend' | 'unsuspend' | 'accept';

export const FRAME_EVENTS: readonly FrameEvent[] = ['start', 'saved', 'fail', 'requeue', 'cancel', 'retry', 'lost', 'rerender', 'suspend', 'unsuspend', 'accept'];
export const FRAME_STATES: readonly FrameState[] = ['queued', 'running', 'done', 'failed', 'canceled', 'suspended'];

export const FRAME_TABLE: Table<FrameState, FrameEvent> = {
  queued: { start: 'running', fail: 'failed', requeue: 'queued', cancel: 'canceled', suspend: 'suspended', accept: 'done' },
  running: { saved: 'done', fail: 'failed', requeue: 'queued', cancel: 'canceled' },
  done: { lost: 'failed', rerender: 'queued' },
  failed: { start: 'running', retry: 'queued', rerender: 'queued', suspend: 'suspended', accept: 'done' },
  canceled: { start: 'running', retry: 'queued' },
  suspended: { unsuspend: 'queued', accept: 'done' },
};

export const nextFrameState = (state: FrameState, event: FrameEvent) => transition(FRAME_TABLE, state, event);
export const frameSources = (event: FrameEvent, to: FrameState) => sourcesOf(FRAME_TABLE, event, to);

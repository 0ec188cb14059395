import type { FrameState } from '../types';
import { sourcesOf, transition, type Table } from './table';

/**
 * What can happen to a frame. A frame follows its task's attempt (start, then fail, requeue or
 * cancel with it) except `saved`: a frame is done once its file was verified, and a done frame
 * moves again only when that file is `lost` (deleted or changed since) — a retry renders only what
 * is not done.
 */
export type FrameEvent = 'start' | 'saved' | 'fail' | 'requeue' | 'cancel' | 'retry' | 'lost';

export const FRAME_EVENTS: readonly FrameEvent[] = ['start', 'saved', 'fail', 'requeue', 'cancel', 'retry', 'lost'];
export const FRAME_STATES: readonly FrameState[] = ['queued', 'running', 'done', 'failed', 'canceled'];

export const FRAME_TABLE: Table<FrameState, FrameEvent> = {
  queued: { start: 'running', fail: 'failed', requeue: 'queued', cancel: 'canceled' },
  running: { saved: 'done', fail: 'failed', requeue: 'queued', cancel: 'canceled' },
  done: { lost: 'failed' },
  failed: { start: 'running', retry: 'queued' },
  canceled: { start: 'running', retry: 'queued' },
};

export const nextFrameState = (state: FrameState, event: FrameEvent) => transition(FRAME_TABLE, state, event);
export const frameSources = (event: FrameEvent, to: FrameState) => sourcesOf(FRAME_TABLE, event, to);

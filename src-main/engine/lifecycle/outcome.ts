import { backoffMs } from '../scheduler/backoff';
import type { AttemptOutcome, FrameState, TaskState } from '../types';
import { frameSources, type FrameEvent } from './frame';
import { notReachedReason } from './not-reached';
import { taskSources, type TaskEvent } from './task';

/**
 * Why a unit of work (render chunk or step) is being stopped from outside. `shorten`: the
 * scheduler takes back the frames a render chunk has not reached (a higher-priority job came, or a
 * free slot should share them); only ever asked to stop after a saved frame.
 */
export type StopMode = 'cancel' | 'pause' | 'shutdown' | 'shorten';

/**
 * When a stop takes the child down: at once, or right after the frame in progress is saved (for
 * work that saves frame by frame; other work stops at once). A later stop with `now` hurries one
 * that waits for its frame.
 */
export type StopWhen = 'now' | 'after-frame';

export interface StopRequest {
  mode: StopMode;
  when?: StopWhen;
}

/**
 * How one attempt went, as its runner classified it (scheduler/classify.ts for renders).
 * `engineSide`: Spool's own resources failed (out of file descriptors), not the job.
 */
export type Verdict = { ok: true } | { ok: false; reason: string; retryable: boolean; canceled?: boolean; engineSide?: boolean };

export type TaskOutcome =
  | { kind: 'succeeded' }
  | { kind: 'failed'; reason: string }
  /** `charged: false`: the failure was Spool's own and does not count against the job's retries. */
  | { kind: 'retry'; reason: string; notBefore: number; charged?: boolean }
  | { kind: 'canceled'; reason: string }
  /** Back to the queue without counting as a failure (pause, engine shutdown, a dead engine). */
  | { kind: 'requeue' }
  /**
   * Shortened at a frame boundary: the task ends with the frames it saved, and the frames it had
   * not reached leave it, queued, to be chunked again (neither failed nor a retry).
   */
  | { kind: 'split' };

export function stopMessage(mode: StopMode): string {
  switch (mode) {
    case 'cancel':
      return 'canceled by user';
    case 'pause':
      return 'paused by user';
    case 'shutdown':
      return 'Spool is shutting down';
    case 'shorten':
      return 'shortened after a saved frame: its other frames went back to the queue';
  }
}

/**
 * One retry policy for every task: what a verdict means given why the task was stopped and how
 * many failures it has left. Work that finished well counts even when a stop came too late.
 */
export function decideOutcome(
  verdict: Verdict,
  stopMode: StopMode | null,
  budget: { failures: number; retries: number },
  retryBaseMs?: number,
  now = Date.now(),
): TaskOutcome {
  if (verdict.ok) return { kind: 'succeeded' };
  if (stopMode === 'shorten') return { kind: 'split' };
  if (stopMode === 'pause' || stopMode === 'shutdown') return { kind: 'requeue' };
  if (stopMode === 'cancel') return { kind: 'canceled', reason: 'canceled by user' };
  if (verdict.canceled) return { kind: 'canceled', reason: verdict.reason };
  // Spool's own resource failures are never charged to a job: retried after the backoff the task's
  // failures so far give, however many times it takes.
  if (verdict.engineSide) {
    return { kind: 'retry', reason: verdict.reason, notBefore: now + backoffMs(budget.failures + 1, retryBaseMs), charged: false };
  }
  if (verdict.retryable && budget.failures < budget.retries) {
    return { kind: 'retry', reason: verdict.reason, notBefore: now + backoffMs(budget.failures + 1, retryBaseMs) };
  }
  const tries = budget.failures + 1;
  const suffix = verdict.retryable && tries > 1 ? ` (after ${tries} attempts)` : verdict.retryable ? '' : ' (not retried)';
  return { kind: 'failed', reason: `${verdict.reason}${suffix}` };
}

/** A bulk state change the store applies: rows in one of `from` move to `to`. */
export interface StateMove<S> {
  from: S[];
  to: S;
  /** undefined: the row keeps the reason it had. */
  reason: string | null | undefined;
}

/** What the store writes when a task's attempt ends (or it settles without one), in one transaction. */
export interface OutcomePlan {
  task: StateMove<TaskState> & {
    /** Counts against the retry budget. */
    countsFailure: boolean;
    notBefore: number | null;
    /** The task is over (finished_at is written). */
    finishes: boolean;
  };
  /** The task's frames that are not done follow it; null when they stay as they are. */
  frames: StateMove<FrameState> | null;
  /** Frames of a failed attempt that it never started: they go back to the queue, not to failed. */
  notReached: { frames: readonly number[]; move: StateMove<FrameState> } | null;
  /** The task's frames that are not done leave it (task_id cleared) once moved: a shortened chunk. */
  detachPending?: boolean;
}

/** Frames a failed attempt never started, and the first frame that failed before them. */
export interface NotReached {
  frames: readonly number[];
  failedFrame: number;
}


/** A shortened chunk's reason: it ended early by design, with every frame it kept saved. */
export const SHORTENED_REASON = 'shortened: its other frames went back to the queue';

export const taskMove = (event: TaskEvent, to: TaskState, reason: string | null | undefined): StateMove<TaskState> => ({ from: taskSources(event, to), to, reason });
export const frameMove = (event: FrameEvent, to: FrameState, reason: string | null | undefined): StateMove<FrameState> => ({ from: frameSources(event, to), to, reason });

/**
 * What an attempt that ended is recorded as: its task's outcome, told apart by why it was stopped
 * (a task requeued by a pause was paused; by a shutdown or a dead engine, interrupted).
 */
export function attemptOutcome(outcome: TaskOutcome, stopMode: StopMode | null): AttemptOutcome {
  switch (outcome.kind) {
    case 'succeeded':
    case 'failed':
    case 'canceled':
      return outcome.kind;
    case 'retry':
      return 'retried';
    case 'requeue':
      return stopMode === 'pause' ? 'paused' : 'interrupted';
    case 'split':
      return 'shortened';
  }
}

/**
 * `notReached`: for an attempt that failed, the frames it never got to; they are queued again
 * with their own reason rather than failed with the frame that stopped the render.
 */
export function planOutcome(outcome: TaskOutcome, options: { notReached?: NotReached | null } = {}): OutcomePlan {
  const reached = options.notReached?.frames.length ? options.notReached : null;
  const notReached = reached ? { frames: reached.frames, move: frameMove('requeue', 'queued', notReachedReason(reached.failedFrame)) } : null;
  switch (outcome.kind) {
    case 'succeeded':
      return { task: { ...taskMove('succeed', 'succeeded', null), countsFailure: false, notBefore: null, finishes: true }, frames: null, notReached: null };
    case 'failed':
      return {
        task: { ...taskMove('fail', 'failed', outcome.reason), countsFailure: true, notBefore: null, finishes: true },
        frames: frameMove('fail', 'failed', outcome.reason),
        notReached,
      };
    case 'retry':
      return {
        task: { ...taskMove('backoff', 'waiting', outcome.reason), countsFailure: outcome.charged !== false, notBefore: outcome.notBefore, finishes: false },
        frames: frameMove('requeue', 'queued', outcome.reason),
        notReached,
      };
    case 'canceled':
      return {
        task: { ...taskMove('cancel', 'canceled', outcome.reason), countsFailure: false, notBefore: null, finishes: true },
        frames: frameMove('cancel', 'canceled', outcome.reason),
        notReached: null,
      };
    case 'requeue':
      return {
        task: { ...taskMove('requeue', 'queued', undefined), countsFailure: false, notBefore: null, finishes: false },
        frames: frameMove('requeue', 'queued', null),
        notReached: null,
      };
    case 'split':
      return {
        task: { ...taskMove('succeed', 'succeeded', SHORTENED_REASON), countsFailure: false, notBefore: null, finishes: true },
        frames: frameMove('requeue', 'queued', null),
        notReached: null,
        detachPending: true,
      };
  }
}

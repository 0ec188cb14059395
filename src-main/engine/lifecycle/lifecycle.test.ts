import { describe, expect, it } from 'vitest';
import type { FrameState, JobIntent, JobStatus, TaskState } from '../types';
import { checkAction, type ActionFacts } from './actions';
import { FRAME_EVENTS, FRAME_STATES, FRAME_TABLE, nextFrameState, type FrameEvent } from './frame';
import { INTENT_EVENTS, INTENTS, nextIntent, planIntent, type IntentEvent } from './intent';
import { NOT_REACHED_PREFIX, notReachedReason } from './not-reached';
import { decideOutcome, planOutcome, type TaskOutcome } from './outcome';
import { nextTaskState, TASK_EVENTS, TASK_STATES, TASK_TABLE, type TaskEvent } from './task';

/**
 * The tables written out in full, every (state, event) pair: a state, then for each event in the
 * order of *_EVENTS either where it leads or `-` for refused. A change to a table must change
 * this picture too.
 */
const TASK_PICTURE: Record<TaskState, string> = {
  //        start     succeed    fail    backoff  requeue  cancel    retry  lost  settle
  queued: 'running succeeded - - - canceled - - succeeded',
  waiting: 'running - - - - canceled queued - succeeded',
  running: '- succeeded failed waiting queued canceled - - -',
  succeeded: '- - - - - - - failed -',
  failed: '- - - - - - queued - succeeded',
  canceled: '- - - - - - queued - -',
};

const FRAME_PICTURE: Record<FrameState, string> = {
  //        start   saved  fail   requeue cancel   retry  lost   rerender suspend   unsuspend accept
  queued: 'running - failed queued canceled - - - suspended - done',
  running: '- done failed queued canceled - - - - - -',
  done: '- - - - - - failed queued - - -',
  failed: 'running - - - - queued - queued suspended - done',
  canceled: 'running - - - - queued - - - - -',
  suspended: '- - - - - - - - - queued done',
};

const INTENT_PICTURE: Record<JobIntent, string> = {
  //         pause  resume cancel   retry
  active: 'paused active canceled active',
  paused: 'paused active canceled active',
  canceled: '- - canceled active',
};

function picture<S extends string, E extends string>(states: readonly S[], events: readonly E[], next: (s: S, e: E) => { ok: true; to: S } | { ok: false }) {
  return Object.fromEntries(states.map((s) => [s, events.map((e) => { const r = next(s, e); return r.ok ? r.to : '-'; }).join(' ')]));
}

describe('the lifecycle tables, every (state, event) pair', () => {
  it('tasks', () => {
    expect(picture(TASK_STATES, TASK_EVENTS, nextTaskState)).toEqual(TASK_PICTURE);
  });

  it('frames: done moves again only when its file was lost', () => {
    expect(picture(FRAME_STATES, FRAME_EVENTS, nextFrameState)).toEqual(FRAME_PICTURE);
  });

  it('job intent: a canceled job comes back only through retry', () => {
    expect(picture(INTENTS, INTENT_EVENTS, nextIntent)).toEqual(INTENT_PICTURE);
  });

  it('refusals name the state and the event', () => {
    expect(nextTaskState('succeeded', 'start')).toEqual({ ok: false, from: 'succeeded', event: 'start' });
    expect(nextFrameState('done', 'fail')).toEqual({ ok: false, from: 'done', event: 'fail' });
  });
});

describe('plans only move what the tables allow', () => {
  const outcomes: TaskOutcome[] = [
    { kind: 'succeeded' },
    { kind: 'failed', reason: 'x' },
    { kind: 'retry', reason: 'x', notBefore: 1 },
    { kind: 'canceled', reason: 'x' },
    { kind: 'requeue' },
    { kind: 'split' },
  ];

  const legal = <S extends string, E extends string>(table: Record<S, Partial<Record<E, S>>>, from: S, to: S) =>
    Object.values(table[from] as Record<string, S>).includes(to);

  it('outcome plans', () => {
    for (const outcome of outcomes) {
      const plan = planOutcome(outcome);
      expect(plan.task.from.length, outcome.kind).toBeGreaterThan(0);
      for (const from of plan.task.from) expect(legal(TASK_TABLE, from, plan.task.to), `${outcome.kind}: task ${from}→${plan.task.to}`).toBe(true);
      for (const from of plan.frames?.from ?? []) expect(legal(FRAME_TABLE, from, plan.frames!.to), `${outcome.kind}: frame ${from}→${plan.frames!.to}`).toBe(true);
      expect(plan.frames?.from ?? []).not.toContain('done');
    }
  });

  it('outcome plans with frames not reached: legal moves, queued apart only after a failure', () => {
    const notReached = { frames: [4, 5], failedFrame: 3 };
    for (const outcome of outcomes) {
      const plan = planOutcome(outcome, { notReached });
      const apart = plan.notReached;
      if (outcome.kind === 'failed' || outcome.kind === 'retry') {
        expect(apart?.frames, outcome.kind).toEqual([4, 5]);
        expect(apart!.move).toMatchObject({ to: 'queued', reason: notReachedReason(3) });
        expect(apart!.move.reason!.startsWith(NOT_REACHED_PREFIX)).toBe(true);
      } else expect(apart, outcome.kind).toBeNull();
      for (const from of apart?.move.from ?? []) expect(legal(FRAME_TABLE, from, apart!.move.to), `${outcome.kind}: not reached ${from}→${apart!.move.to}`).toBe(true);
      expect(apart?.move.from ?? []).not.toContain('done');
    }
    expect(planOutcome({ kind: 'failed', reason: 'x' }, { notReached: { frames: [], failedFrame: 1 } }).notReached).toBeNull();
  });

  it('intent plans, and none for a refused change', () => {
    for (const intent of INTENTS) {
      for (const event of INTENT_EVENTS) {
        const plan = planIntent(intent, event);
        expect(plan === null, `${intent} ${event}`).toBe(!nextIntent(intent, event).ok);
        if (!plan) continue;
        for (const from of plan.tasks?.from ?? []) expect(legal(TASK_TABLE, from, plan.tasks!.to), `${event}: task ${from}`).toBe(true);
        for (const from of plan.frames?.from ?? []) expect(legal(FRAME_TABLE, from, plan.frames!.to), `${event}: frame ${from}`).toBe(true);
      }
    }
  });
});

describe('one retry policy for renders and steps', () => {
  const budget = { failures: 0, retries: 2 };
  it('retries what can improve with backoff, fails at once what cannot, and counts attempts in the reason', () => {
    expect(decideOutcome({ ok: false, reason: 'exited with code 1', retryable: true }, null, budget, 100, 1000)).toEqual({ kind: 'retry', reason: 'exited with code 1', notBefore: 1100 });
    expect(decideOutcome({ ok: false, reason: 'licence', retryable: false }, null, budget)).toEqual({ kind: 'failed', reason: 'licence (not retried)' });
    expect(decideOutcome({ ok: false, reason: 'crash', retryable: true }, null, { failures: 2, retries: 2 })).toEqual({ kind: 'failed', reason: 'crash (after 3 attempts)' });
  });

  it('a stop decides before the verdict, except that finished work counts', () => {
    const bad = { ok: false as const, reason: 'killed', retryable: true };
    expect(decideOutcome(bad, 'pause', budget)).toEqual({ kind: 'requeue' });
    expect(decideOutcome(bad, 'shutdown', budget)).toEqual({ kind: 'requeue' });
    expect(decideOutcome(bad, 'cancel', budget)).toEqual({ kind: 'canceled', reason: 'canceled by user' });
    expect(decideOutcome({ ok: true }, 'cancel', budget)).toEqual({ kind: 'succeeded' });
  });
});

describe("Spool's own resource failures are never charged to a job", () => {
  const emfile = { ok: false as const, reason: 'could not write the log /x.log: EMFILE: too many open files', retryable: true, engineSide: true };
  // [budget, stop] → outcome; the budget spent or not, an engine-side failure is retried uncharged.
  const table: [{ failures: number; retries: number }, 'pause' | 'shutdown' | 'cancel' | null, TaskOutcome][] = [
    [{ failures: 0, retries: 0 }, null, { kind: 'retry', reason: emfile.reason, notBefore: 1100, charged: false }],
    [{ failures: 2, retries: 2 }, null, { kind: 'retry', reason: emfile.reason, notBefore: 1400, charged: false }],
    [{ failures: 0, retries: 3 }, 'pause', { kind: 'requeue' }],
    [{ failures: 0, retries: 3 }, 'shutdown', { kind: 'requeue' }],
    [{ failures: 0, retries: 3 }, 'cancel', { kind: 'canceled', reason: 'canceled by user' }],
  ];
  it.each(table)('budget %o, stop %s', (budget, stop, expected) => {
    expect(decideOutcome(emfile, stop, budget, 100, 1000)).toEqual(expected);
  });

  it('an uncharged retry waits like any retry but does not count a failure', () => {
    const charged = planOutcome({ kind: 'retry', reason: 'x', notBefore: 5 });
    const uncharged = planOutcome({ kind: 'retry', reason: 'x', notBefore: 5, charged: false });
    expect(charged.task.countsFailure).toBe(true);
    expect(uncharged).toEqual({ ...charged, task: { ...charged.task, countsFailure: false } });
  });
});

describe('allowed actions: one rule for the engine, the CLI and the UI', () => {
  const facts = (status: JobStatus, extra: Partial<ActionFacts> = {}): ActionFacts => ({
    id: 7,
    status,
    intent: status === 'paused' ? 'paused' : status === 'canceled' ? 'canceled' : 'active',
    framesFailed: 0,
    waitingDependents: [],
    ...extra,
  });
  const STATUSES: JobStatus[] = ['queued', 'running', 'paused', 'blocked', 'succeeded', 'failed', 'canceled'];
  const ACTIONS = ['pause', 'resume', 'cancel', 'retry', 'delete'] as const;
  // a = applies, n = nothing to do (answered with the job as it is), r = refused with a reason.
  const EXPECTED: Record<JobStatus, string> = {
    //          pause resume cancel retry delete
    queued: 'a n a n a',
    running: 'a n a n r',
    paused: 'n a a n a',
    blocked: 'a n a n a',
    succeeded: 'n n n n a',
    failed: 'n n n a a',
    canceled: 'r r n a a',
  };

  it('for every status', () => {
    const got = Object.fromEntries(
      STATUSES.map((status) => [status, ACTIONS.map((action) => checkAction(action, facts(status)).kind[0]).join(' ')]),
    );
    expect(got).toEqual(EXPECTED);
  });

  it('names the reason of each refusal', () => {
    expect(checkAction('resume', facts('canceled'))).toEqual({ kind: 'refused', reason: 'job 7 was canceled; use retry to render its remaining frames' });
    expect(checkAction('delete', facts('running'))).toEqual({ kind: 'refused', reason: 'job 7 is rendering; cancel it before deleting' });
    expect(checkAction('delete', facts('queued', { waitingDependents: [{ id: 8, name: 'comp' }] }))).toEqual({
      kind: 'refused',
      reason: 'job 8 "comp" waits for job 7; cancel or delete it first',
    });
  });

  it('retries a running job with failed frames', () => {
    expect(checkAction('retry', facts('running', { framesFailed: 2 })).kind).toBe('apply');
  });

  it('every event of every table is reachable from some state (no dead rows)', () => {
    for (const event of TASK_EVENTS as readonly TaskEvent[]) expect(TASK_STATES.some((s) => nextTaskState(s, event).ok), event).toBe(true);
    for (const event of FRAME_EVENTS as readonly FrameEvent[]) expect(FRAME_STATES.some((s) => nextFrameState(s, event).ok), event).toBe(true);
    for (const event of INTENT_EVENTS as readonly IntentEvent[]) expect(INTENTS.some((s) => nextIntent(s, event).ok), event).toBe(true);
  });
});

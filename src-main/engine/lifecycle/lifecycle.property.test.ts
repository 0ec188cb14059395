import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { actOnJob } from '../commands';
import { InputError } from '../errors';
import { Store } from '../store';
import type { JobIntent, JobSpec, JobStatus, TaskState } from '../types';
import { FRAME_TABLE } from './frame';
import type { TaskOutcome } from './outcome';
import { TASK_TABLE } from './task';

const dir = mkdtempSync(path.join(os.tmpdir(), 'spool-lifecycle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec: JobSpec = {
  name: 'prop',
  dcc: 'command',
  scene: null,
  framesText: '1-6',
  chunkSize: 2,
  output: null,
  priority: 0,
  slots: 1,
  retries: 1,
  stallTimeoutSec: null,
  taskTimeoutSec: null,
  device: { kind: 'cpu' },
  overrides: {},
  steps: [{ kind: 'command', run: 'true', retries: 0, timeoutSec: null, stallTimeoutSec: null }],
};

type Op =
  | { op: 'start'; step: boolean }
  | { op: 'save'; which: number }
  | { op: 'finish'; outcome: TaskOutcome['kind'] }
  | { op: 'intent'; event: 'pause' | 'resume' | 'cancel' | 'retry' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('start' as const), step: fc.boolean() }),
  fc.record({ op: fc.constant('save' as const), which: fc.nat(5) }),
  fc.record({ op: fc.constantFrom('finish' as const), outcome: fc.constantFrom('succeeded', 'failed', 'retry', 'canceled', 'requeue') }),
  fc.record({ op: fc.constant('intent' as const), event: fc.constantFrom('pause', 'resume', 'cancel', 'retry') }),
);

/**
 * Today's derivation (main before the lifecycle module), kept verbatim as the oracle: the
 * redesign must not change a single derived status. Steps then had `pending` for `queued`.
 */
function todaysStatus(intent: JobIntent, tasks: Record<TaskState, number>, unassigned: number, started: boolean, steps: Record<TaskState, number>): JobStatus {
  if (intent === 'canceled') return 'canceled';
  const pending = tasks.queued + tasks.waiting + unassigned;
  const total = tasks.queued + tasks.waiting + tasks.running + tasks.succeeded + tasks.failed + tasks.canceled;
  if (total > 0 && tasks.succeeded === total && unassigned === 0) {
    const stepsLeft = steps.queued + steps.waiting;
    if (steps.running > 0) return 'running';
    if (stepsLeft > 0) return intent === 'paused' ? 'paused' : 'running';
    if (steps.failed > 0) return 'failed';
    if (steps.canceled > 0) return 'canceled';
    return 'succeeded';
  }
  if (intent === 'paused' && tasks.running === 0) return 'paused';
  if (tasks.running > 0) return 'running';
  if (pending > 0) return started ? 'running' : 'queued';
  return tasks.failed > 0 ? 'failed' : 'canceled';
}

interface Snapshot {
  tasks: Map<number, TaskState>;
  frames: Map<number, string>;
}

function snapshot(store: Store, jobId: number): Snapshot {
  const db = store.rawHandleForTests();
  const tasks = new Map((db.prepare('SELECT id, state FROM tasks WHERE job_id = ?').all(jobId) as { id: number; state: TaskState }[]).map((r) => [r.id, r.state]));
  const frames = new Map((db.prepare('SELECT frame, state FROM frames WHERE job_id = ?').all(jobId) as { frame: number; state: string }[]).map((r) => [r.frame, r.state]));
  return { tasks, frames };
}

function oracle(store: Store, jobId: number): JobStatus {
  const db = store.rawHandleForTests();
  const count = (role: string) => {
    const c: Record<TaskState, number> = { queued: 0, waiting: 0, running: 0, succeeded: 0, failed: 0, canceled: 0 };
    for (const r of db.prepare('SELECT state, COUNT(*) AS n FROM tasks WHERE job_id = ? AND role = ? GROUP BY state').all(jobId, role) as { state: TaskState; n: number }[]) c[r.state] = r.n;
    return c;
  };
  const job = store.jobs.get(jobId)!;
  const unassigned = (db.prepare("SELECT COUNT(*) AS n FROM frames WHERE job_id = ? AND task_id IS NULL AND state = 'queued'").get(jobId) as { n: number }).n;
  return todaysStatus(job.intent, count('render'), unassigned, job.startedAt !== null, count('step'));
}

function apply(store: Store, jobId: number, op: Op, open: { attemptId: number; taskId: number } | null): { attemptId: number; taskId: number } | null {
  switch (op.op) {
    case 'start': {
      if (open) return open;
      const candidate = op.step ? store.queue.runnableSteps(Date.now(), 1)[0]?.step.id : store.queue.runnableTasks(Date.now() + 10 ** 9, 1)[0]?.task.id;
      if (candidate === undefined) return null;
      const attempt = store.work.startAttempt(candidate, [], { kind: 'cpu', threads: 1 }, (id) => path.join(dir, `${id}.log`));
      return { attemptId: attempt.id, taskId: candidate };
    }
    case 'save': {
      if (!open) return open;
      const frames = store.work.pendingFramesOf(open.taskId);
      const frame = frames[op.which % Math.max(1, frames.length)];
      if (frame !== undefined) store.work.markFrameDone(jobId, frame, null, 1, open.attemptId);
      return open;
    }
    case 'finish': {
      if (!open) return null;
      // A render succeeds only with every frame saved (the runner's verdict checks the files).
      if (op.outcome === 'succeeded') for (const f of store.work.pendingFramesOf(open.taskId)) store.work.markFrameDone(jobId, f, null, 1, open.attemptId);
      const outcome: TaskOutcome =
        op.outcome === 'succeeded' || op.outcome === 'requeue' ? { kind: op.outcome } : op.outcome === 'retry' ? { kind: 'retry', reason: 'r', notBefore: Date.now() } : { kind: op.outcome, reason: 'x' };
      store.work.finishAttempt(open.attemptId, { exitCode: 1, signal: null, reason: 'x' }, outcome);
      return null;
    }
    case 'intent':
      try {
        actOnJob(store, jobId, op.event);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
      }
      return open;
  }
}

const legalOrSame = (table: Record<string, Partial<Record<string, string>>>, from: string, to: string) =>
  from === to || Object.values(table[from] ?? {}).includes(to);

describe('the lifecycle through the real store, under random event sequences', () => {
  it('never makes a move the tables forbid, and derives the same status as before the redesign', () => {
    let run = 0;
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 30 }), (ops) => {
        const store = Store.open(path.join(dir, `p${run++}.db`));
        try {
          const job = store.jobs.insert(spec, [1, 2, 3, 4, 5, 6], [[1, 2], [3, 4], [5, 6]]);
          let open: { attemptId: number; taskId: number } | null = null;
          for (const op of ops) {
            const before = snapshot(store, job.id);
            open = apply(store, job.id, op, open);
            const after = snapshot(store, job.id);
            for (const [id, state] of after.tasks) {
              expect(legalOrSame(TASK_TABLE, before.tasks.get(id)!, state), `task ${before.tasks.get(id)}→${state} on ${JSON.stringify(op)}`).toBe(true);
            }
            for (const [frame, state] of after.frames) {
              expect(legalOrSame(FRAME_TABLE, before.frames.get(frame)!, state), `frame ${before.frames.get(frame)}→${state} on ${JSON.stringify(op)}`).toBe(true);
            }
            const summary = store.summaries.summarize(store.jobs.get(job.id)!);
            expect(summary.status).toBe(oracle(store, job.id));
            // The fast path the finishing transaction uses, and the whole list, agree with it.
            expect(store.summaries.statusOf(store.jobs.get(job.id)!)).toBe(summary.status);
            expect(store.summaries.listJobs()[0]).toEqual(summary);
          }
        } finally {
          store.close();
        }
      }),
      { numRuns: 150, seed: 20261207 },
    );
  });
});

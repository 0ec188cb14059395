import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import type { JobSpec } from '../types';
import { actOnJob } from '../commands';
import { SCHEMA_VERSION, Store, StoreError } from './index';
import { commandJobSpec } from '../../../test/helpers/store-seed';

const spec = (over: Partial<JobSpec> = {}): JobSpec => commandJobSpec({ chunkSize: 2, retries: 1, ...over });

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'spool-store-'));
  file = path.join(dir, 'spool.db');
});

describe('opening', () => {
  it('creates the schema in WAL mode at the current version', () => {
    const store = Store.open(file);
    expect(store.rawHandleForTests().pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.rawHandleForTests().pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    store.close();
  });

  it('refuses a store written by a newer Spool and leaves it untouched', () => {
    Store.open(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = readFileSync(file);
    expect(() => Store.open(file)).toThrow(StoreError);
    expect(() => Store.open(file)).toThrow(/newer Spool/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('reports a corrupt file instead of recreating it', () => {
    writeFileSync(file, 'this is not a database, it is a text file that someone saved here'.repeat(100));
    const before = readFileSync(file);
    let error: unknown;
    try {
      Store.open(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('corrupt');
    expect((error as StoreError).message).toMatch(/damaged or is not a Spool database/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});

describe('job lifecycle', () => {
  it('stores frames and tasks and derives the status from them', () => {
    const store = Store.open(file);
    const job = store.jobs.insert(spec(), [1, 2, 3, 4], [[1, 2], [3, 4]]);
    expect(store.summaries.summarize(job).status).toBe('queued');
    const [first] = store.queue.runnableTasks(Date.now(), 10);
    const attempt = store.work.startAttempt(first!.task.id, ['true'], { kind: 'cpu', threads: 1 }, (id) => `/tmp/log-${id}`);
    expect(attempt.logPath).toBe(`/tmp/log-${attempt.id}`);
    expect(store.summaries.summarize(job).status).toBe('running');
    store.work.markFrameDone(job.id, 1, '/out/1.png', 10, attempt.id);
    expect(store.work.finishAttempt(attempt.id, { exitCode: 1, signal: null, reason: 'boom' }, { kind: 'retry', reason: 'boom', notBefore: Date.now() + 60_000 })).toBe('running');
    // Frame 1 stays done; frame 2 goes back to the queue with the task.
    expect(store.work.framesOf(job.id).map((f) => [f.frame, f.state])).toEqual([[1, 'done'], [2, 'queued'], [3, 'queued'], [4, 'queued']]);
    expect(store.work.pendingFramesOf(first!.task.id)).toEqual([2]);
    expect(store.queue.nextWakeUp()).toBeGreaterThan(Date.now());
    store.close();
  });

  it('orders runnable tasks by priority, then submission', () => {
    const store = Store.open(file);
    const low = store.jobs.insert(spec({ name: 'low' }), [1], [[1]]);
    const high = store.jobs.insert(spec({ name: 'high', priority: 5 }), [1], [[1]]);
    const later = store.jobs.insert(spec({ name: 'later', priority: 5 }), [1], [[1]]);
    expect(store.queue.runnableTasks(Date.now(), 10).map((r) => r.job.id)).toEqual([high.id, later.id, low.id]);
    store.close();
  });

  it('cancel settles queued work at once; retry requeues only what is not done', () => {
    const store = Store.open(file);
    const job = store.jobs.insert(spec(), [1, 2, 3, 4], [[1, 2], [3, 4]]);
    const [first] = store.queue.runnableTasks(Date.now(), 1);
    const attempt = store.work.startAttempt(first!.task.id, ['x'], { kind: 'cpu', threads: 1 }, () => '/tmp/l');
    store.work.markFrameDone(job.id, 1, '/o/1', 5, attempt.id);
    store.work.finishAttempt(attempt.id, { exitCode: 2, signal: null, reason: 'bad' }, { kind: 'failed', reason: 'bad' });
    actOnJob(store, job.id, 'cancel');
    const canceled = store.summaries.summarize(store.jobs.get(job.id)!);
    expect(canceled.status).toBe('canceled');
    expect(canceled.finishedAt).not.toBeNull();
    actOnJob(store, job.id, 'retry');
    const frames = store.work.framesOf(job.id);
    expect(frames.map((f) => f.state)).toEqual(['done', 'queued', 'queued', 'queued']);
    expect(store.summaries.summarize(store.jobs.get(job.id)!).status).toBe('running');
    store.close();
  });

  it('recovers what a dead engine left running without touching done frames', () => {
    const store = Store.open(file);
    const job = store.jobs.insert(spec(), [1, 2], [[1, 2]]);
    const [task] = store.queue.runnableTasks(Date.now(), 1);
    const attempt = store.work.startAttempt(task!.task.id, ['x'], { kind: 'cpu', threads: 1 }, () => '/tmp/l');
    store.work.recordSpawn(attempt.id, 999_999, '123');
    store.work.markFrameDone(job.id, 1, '/o/1', 5, attempt.id);
    store.close();

    const reopened = Store.open(file);
    expect(reopened.work.openAttempts()).toEqual([{ attemptId: attempt.id, taskId: task!.task.id, jobId: job.id, pid: 999_999, pidStart: '123' }]);
    expect(reopened.work.recoverInterrupted('engine died')).toBe(1);
    expect(reopened.work.openAttempts()).toEqual([]);
    expect(reopened.work.framesOf(job.id).map((f) => f.state)).toEqual(['done', 'queued']);
    expect(reopened.work.getTask(task!.task.id)!.state).toBe('queued');
    expect(reopened.integrityCheck()).toBe('ok');
    reopened.close();
  });

  it('inserts a batch of jobs all or nothing', () => {
    const store = Store.open(file);
    expect(() =>
      store.jobs.insertMany([
        { spec: spec({ name: 'a' }), frames: [1], chunks: [[1]] },
        // A frame listed twice violates the primary key: the whole batch must roll back.
        { spec: spec({ name: 'b' }), frames: [1, 1], chunks: [[1]] },
      ]),
    ).toThrow();
    expect(store.summaries.listJobs()).toEqual([]);
    store.close();
  });

  it('sees commits from another connection through data_version', () => {
    const a = Store.open(file);
    const b = Store.open(file);
    const before = a.dataVersion();
    b.jobs.insert(spec(), [1], [[1]]);
    expect(a.dataVersion()).not.toBe(before);
    a.close();
    b.close();
  });

  it('names a failed job after its most recently failed chunk, the earliest chunk on a tie, in every summary', () => {
    const store = Store.open(file);
    const job = store.jobs.insert(spec({ framesText: '1-6' }), [1, 2, 3, 4, 5, 6], [[1, 2], [3, 4], [5, 6]]);
    const db = store.rawHandleForTests();
    const fail = (taskId: number, reason: string, finishedAt: number) =>
      db.prepare("UPDATE tasks SET state = 'failed', reason = ?, finished_at = ? WHERE id = ?").run(reason, finishedAt, taskId);
    const [a, b, c] = store.work.tasksOf(job.id);
    fail(c!.id, 'third chunk, same time', 2000);
    fail(b!.id, 'second chunk, same time', 2000);
    fail(a!.id, 'first chunk, earlier', 1000);
    const reasonOf = () => [store.summaries.summarize(store.jobs.get(job.id)!).reason, store.summaries.listJobs()[0]!.reason];
    expect(reasonOf()).toEqual(['second chunk, same time', 'second chunk, same time']);
    fail(a!.id, 'first chunk, latest', 3000);
    expect(reasonOf()).toEqual(['first chunk, latest', 'first chunk, latest']);
    store.close();
  });
});

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JobSpec } from '../types';
import { LIVE_JOBS, PENDING_RENDER, UNASSIGNED_FRAME } from './queue';
import { Store } from './index';
import { commandJobSpec } from '../../../test/helpers/store-seed';

/**
 * The scheduler's questions cost what the head of the queue costs, not what the queue or the
 * history holds. Proven by what SQLite plans and by how many rows a question reads, never by
 * timing: with 10,000 queued jobs, asking for one every task by walking every queued job made
 * dispatch fall from ~80 to ~9 no-op jobs a second.
 */
const spec = (i: number, over: Partial<JobSpec> = {}): JobSpec => commandJobSpec({ name: `j${i}`, framesText: '1', chunkSize: 1, retries: 1, ...over });

function seed(store: Store, count: number, item: (i: number) => Parameters<Store['jobs']['insertMany']>[0][number]): void {
  for (let first = 0; first < count; first += 500) {
    store.jobs.insertMany(Array.from({ length: Math.min(500, count - first) }, (_, k) => item(first + k)));
  }
}

/** Rows every statement of the connection hands back while `fn` runs: what a question reads. */
function rowsRead(handle: Database.Database, fn: () => void): number {
  const proto = Object.getPrototypeOf(handle.prepare('SELECT 1')) as Record<'get' | 'all' | 'iterate', (...args: unknown[]) => unknown>;
  const originals = { get: proto.get, all: proto.all, iterate: proto.iterate };
  let rows = 0;
  proto.get = function (this: unknown, ...args: unknown[]) {
    const row = originals.get.apply(this, args);
    if (row !== undefined) rows++;
    return row;
  };
  proto.all = function (this: unknown, ...args: unknown[]) {
    const all = originals.all.apply(this, args) as unknown[];
    rows += all.length;
    return all;
  };
  proto.iterate = function* (this: unknown, ...args: unknown[]) {
    for (const row of originals.iterate.apply(this, args) as Iterable<unknown>) {
      rows++;
      yield row;
    }
  };
  try {
    fn();
  } finally {
    Object.assign(proto, originals);
  }
  return rows;
}

function plan(handle: Database.Database, sql: string, ...params: unknown[]): string {
  return (handle.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('\n');
}

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});
function open(): Store {
  const store = Store.open(path.join(mkdtempSync(path.join(os.tmpdir(), 'spool-scale-')), 'spool.db'));
  stores.push(store);
  return store;
}

describe('the queue at scale', () => {
  let big: Store;
  beforeAll(() => {
    // 2,000 finished jobs of history, then 10,000 queued no-op jobs, as `spool submit` makes them.
    big = Store.open(path.join(mkdtempSync(path.join(os.tmpdir(), 'spool-scale-')), 'spool.db'));
    seed(big, 2000, (i) => ({ spec: spec(i), frames: [1], chunks: [[1]] }));
    const db = big.rawHandleForTests();
    db.prepare("UPDATE tasks SET state = 'succeeded'").run();
    db.prepare("UPDATE frames SET state = 'done'").run();
    db.prepare("UPDATE jobs SET outcome = 'succeeded', finished_at = 1").run();
    seed(big, 10_000, (i) => ({ spec: spec(2000 + i, { priority: i === 9_000 ? 5 : 0 }), frames: [1], chunks: [[1]] }));
    return () => big.close();
  });

  it('walks live jobs with an index search, in order, with no sort of the whole queue', () => {
    const db = big.rawHandleForTests();
    const live = plan(db, LIVE_JOBS);
    expect(live).toBe('SEARCH jobs USING INDEX jobs_live (intent=? AND finished_at=?)');
    expect(live).not.toMatch(/SCAN|TEMP B-TREE/);
    expect(plan(db, PENDING_RENDER, 1)).toMatch(
      /^SEARCH tasks USING COVERING INDEX tasks_state \(role=\? AND state=\? AND job_id=\?\)$/,
    );
    expect(plan(db, UNASSIGNED_FRAME, 1)).toMatch(/^SEARCH frames USING (COVERING )?INDEX \w+ \(/);
  });

  it('finds the next tasks of 10,000 queued jobs reading a few rows, best first', () => {
    const db = big.rawHandleForTests();
    let next: ReturnType<Store['queue']['runnableTasks']> = [];
    const read = rowsRead(db, () => (next = big.queue.runnableTasks(Date.now(), 64, () => 1)));
    expect(next).toHaveLength(64);
    // The one job of higher priority first, then the oldest; none of the finished history.
    expect(next.slice(0, 3).map((r) => r.job.name)).toEqual(['j11000', 'j2000', 'j2001']);
    // 64 jobs, a task each, and the dependency probes: a few hundred rows, not one per queued job.
    expect(read).toBeLessThan(400);
    expect(rowsRead(db, () => big.queue.jobsAwaitingChunks())).toBeLessThan(200);
    expect(rowsRead(db, () => big.queue.runnableTasks(Number.MAX_SAFE_INTEGER, 1))).toBeLessThan(10);
  });

  it('finds the automatic-chunk jobs that need their next chunk without reading every unassigned frame', () => {
    const store = open();
    // Automatic chunks: the first chunk is made at submit, the other 19 frames wait for a measurement.
    const frames = Array.from({ length: 20 }, (_, k) => k + 1);
    seed(store, 5000, (i) => ({ spec: spec(i, { framesText: '1-20', chunkSize: null }), frames, chunks: [[1]] }));
    const db = store.rawHandleForTests();
    expect(rowsRead(db, () => expect(store.queue.jobsAwaitingChunks()).toEqual([]))).toBeLessThan(200);
    // Job 3's first chunk finished: it is the one that needs the next chunk.
    db.prepare("UPDATE tasks SET state = 'succeeded' WHERE job_id = 3").run();
    expect(store.queue.jobsAwaitingChunks()).toEqual([3]);
  });
});

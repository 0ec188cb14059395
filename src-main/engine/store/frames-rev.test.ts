import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { jobDetail } from '../commands';
import type { DeviceAssignment, JobSpec } from '../types';
import { MIGRATIONS } from './migrations';
import { Store } from './store';

const spec: JobSpec = {
  name: 'shot',
  dcc: 'command',
  scene: null,
  framesText: '1-4',
  chunkSize: 2,
  output: null,
  priority: 0,
  slots: null,
  retries: 1,
  stallTimeoutSec: null,
  taskTimeoutSec: null,
  device: { kind: 'cpu' },
  overrides: { template: 'true' },
};
const cpu: DeviceAssignment = { kind: 'cpu', threads: 1 };

let file: string;
beforeEach(() => {
  file = path.join(mkdtempSync(path.join(os.tmpdir(), 'spool-frames-rev-')), 'spool.db');
});

const framesOf = (list: readonly { frame: number }[]): number[] => list.map((f) => f.frame);

describe('frames changed since a revision', () => {
  it('answers only the frames a change touched after it, for the one job', () => {
    const store = Store.open(file);
    const job = store.jobs.insert(spec, [1, 2, 3, 4], [[1, 2], [3, 4]]);
    const other = store.jobs.insert(spec, [1, 2], [[1, 2]]);
    // New frames of a new job: a view's first read is a full one, so they need no revision.
    const start = store.work.framesRev(job.id);
    expect(store.work.framesChangedSince(job.id, start)).toEqual([]);

    const [first] = store.work.tasksOf(job.id);
    const attempt = store.work.startAttempt(first!.id, ['x'], cpu, () => '/tmp/l');
    const running = store.work.framesRev(job.id);
    expect(framesOf(store.work.framesChangedSince(job.id, start)).sort()).toEqual([1, 2]);

    store.work.markFrameDone(job.id, 2, '/o/2.png', 5, attempt.id);
    const changed = store.work.framesChangedSince(job.id, running);
    expect(changed).toEqual([expect.objectContaining({ frame: 2, state: 'done', output: '/o/2.png', renderMs: 5 })]);
    expect(store.work.framesRev(job.id)).toBe(running + 1);
    // A later change to a frame already sent is sent again, in the order of the changes.
    store.work.markFrameDone(job.id, 1, '/o/1.png', 6, attempt.id);
    expect(framesOf(store.work.framesChangedSince(job.id, running))).toEqual([2, 1]);
    // Another job's frames are its own.
    store.work.startAttempt(store.work.tasksOf(other.id)[0]!.id, ['x'], cpu, () => '/tmp/l');
    expect(framesOf(store.work.framesChangedSince(job.id, running))).toEqual([2, 1]);
    store.close();
  });

  it('is what jobs.get sends with framesSince, with the revision to ask from next', () => {
    const store = Store.open(file);
    const job = store.jobs.insert(spec, [1, 2, 3, 4], [[1, 2], [3, 4]]);
    const full = jobDetail(store, job.id);
    expect(framesOf(full.frames)).toEqual([1, 2, 3, 4]);
    expect(full.framesSince).toBeUndefined();
    const attempt = store.work.startAttempt(store.work.tasksOf(job.id)[1]!.id, ['x'], cpu, () => '/tmp/l');
    store.work.markFrameDone(job.id, 4, '/o/4.png', 7, attempt.id);
    const delta = jobDetail(store, job.id, { framesSince: full.framesRev });
    expect(delta.framesSince).toBe(full.framesRev);
    expect(delta.frames.map((f) => [f.frame, f.state])).toEqual([
      [3, 'running'],
      [4, 'done'],
    ]);
    expect(jobDetail(store, job.id, { framesSince: delta.framesRev }).frames).toEqual([]);
    store.close();
  });

  it('gives a frame added by a modify a revision, so a view holding the old frames sees it', () => {
    const store = Store.open(file);
    const job = store.jobs.insert(spec, [1, 2], [[1, 2]]);
    const rev = store.work.framesRev(job.id);
    store.jobs.modify(job.id, { spec, frames: [1, 2, 3], chunk: (pending) => [pending], after: [], check: () => {} });
    expect(store.work.framesChangedSince(job.id, rev).map((f) => f.frame)).toContain(3);
    store.close();
  });
});

describe('the frames_rev migration', () => {
  it('keeps every frame at revision 0 and numbers changes after it', () => {
    const at = MIGRATIONS.findIndex((sql) => sql.includes('CREATE TRIGGER frames_rev'));
    const old = new Database(file);
    for (const [i, sql] of MIGRATIONS.slice(0, at).entries()) {
      old.exec(sql);
      old.pragma(`user_version = ${i + 1}`);
    }
    const jobId = Number(
      old.prepare("INSERT INTO jobs (name, dcc, frames_text, frame_count, retries, device, overrides, created_at) VALUES ('a', 'command', '1-2', 2, 0, '{}', '{}', 0)").run().lastInsertRowid,
    );
    old.prepare("INSERT INTO frames (job_id, frame, ord, state, output) VALUES (?, 1, 0, 'done', '/o/1.png')").run(jobId);
    old.prepare("INSERT INTO frames (job_id, frame, ord, state) VALUES (?, 2, 1, 'queued')").run(jobId);
    old.close();

    const store = Store.open(file);
    expect(store.work.framesRev(jobId)).toBe(0);
    expect(store.work.framesChangedSince(jobId, 0)).toEqual([]);
    expect(store.work.frameOf(jobId, 1)).toMatchObject({ state: 'done', output: '/o/1.png' });
    store.rawHandleForTests().prepare("UPDATE frames SET state = 'failed', reason = 'x' WHERE job_id = ? AND frame = 2").run(jobId);
    expect(store.work.framesChangedSince(jobId, 0)).toEqual([expect.objectContaining({ frame: 2, state: 'failed' })]);
    expect(store.work.framesRev(jobId)).toBe(1);
    store.close();
  });
});

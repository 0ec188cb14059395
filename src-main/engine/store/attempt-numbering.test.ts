import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { attemptHeader } from '../logs/job-log';
import type { JobSpec } from '../types';
import { Store } from './index';
import { commandJobSpec } from '../../../test/helpers/store-seed';

const spec = (name: string): JobSpec => commandJobSpec({ name, framesText: '1-8', retries: 1 });

const cpu = { kind: 'cpu', threads: 1 } as const;

it('numbers attempts within their job from 1, chunks from 1, and lists each attempt frames', () => {
  const store = Store.open(path.join(mkdtempSync(path.join(os.tmpdir(), 'spool-numbering-')), 'spool.db'));
  // A first job uses up global attempt ids, so the second job's first attempt is not id 1.
  const other = store.jobs.insert(spec('other'), [1, 2, 3, 4, 5, 6, 7, 8], [[1, 2, 3, 4], [5, 6, 7, 8]]);
  for (const task of store.work.tasksOf(other.id)) store.work.startAttempt(task.id, ['x'], cpu, () => '/tmp/l');
  const job = store.jobs.insert(spec('shot'), [1, 2, 3, 4, 5, 6, 7, 8], [[1, 2, 3, 4], [5, 6, 7, 8]]);
  const [, second] = store.work.tasksOf(job.id);
  const first = store.work.startAttempt(second!.id, ['x'], cpu, () => '/tmp/l');
  store.work.finishAttempt(first.id, { exitCode: 2, signal: null, reason: 'bad' }, { kind: 'retry', reason: 'bad', notBefore: 0 });
  store.work.startAttempt(second!.id, ['x'], cpu, () => '/tmp/l');

  const attempts = store.work.attemptsOfJob(job.id);
  expect(attempts.map((a) => a.id)).toEqual([3, 4]);
  expect(attempts.map((a) => a.number)).toEqual([1, 2]);
  expect(attempts.map((a) => a.frames)).toEqual(['5-8', '5-8']);
  expect(attemptHeader(job.id, store.work.getAttempt(first.id)!)).toBe(`--- attempt 1 of job ${job.id} · chunk 2 (frames 5-8): bad\n`);
  store.close();
});

it('numbers the attempts of a store from before the numbers were kept (migration 7), then goes on counting', async () => {
  const { default: Database } = await import('better-sqlite3');
  const { MIGRATIONS } = await import('./migrations');
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'spool-numbering-old-')), 'spool.db');
  // A store as the last version before migration 7 left it, with two jobs' attempts interleaved.
  const old = new Database(file);
  for (const [i, sql] of MIGRATIONS.slice(0, 6).entries()) {
    old.exec(sql);
    old.pragma(`user_version = ${i + 1}`);
  }
  const job = (name: string) =>
    Number(
      old
        .prepare("INSERT INTO jobs (name, dcc, frames_text, frame_count, retries, device, overrides, created_at) VALUES (?, 'command', '1', 1, 0, '{}', '{}', 0)")
        .run(name).lastInsertRowid,
    );
  const [a, b] = [job('a'), job('b')];
  const task = (jobId: number) => Number(old.prepare("INSERT INTO tasks (job_id, idx, state) VALUES (?, 0, 'failed')").run(jobId).lastInsertRowid);
  const [ta, tb] = [task(a), task(b)];
  const attempt = old.prepare("INSERT INTO attempts (task_id, argv, device, started_at, log_path) VALUES (?, '[]', '{}', 0, '')");
  for (const t of [ta, tb, ta, tb, tb]) attempt.run(t);
  old.close();

  const store = Store.open(file);
  expect(store.work.attemptsOfJob(a).map((x) => x.number)).toEqual([1, 2]);
  expect(store.work.attemptsOfJob(b).map((x) => x.number)).toEqual([1, 2, 3]);
  store.rawHandleForTests().prepare("UPDATE tasks SET state = 'queued' WHERE id = ?").run(tb);
  expect(store.work.startAttempt(tb, ['x'], cpu, () => '/tmp/l').number).toBe(4);
  store.close();
});

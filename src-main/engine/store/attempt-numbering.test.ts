import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { attemptHeader } from '../logs/job-log';
import type { JobSpec } from '../types';
import { Store } from './index';

const spec = (name: string): JobSpec => ({
  name,
  dcc: 'command',
  scene: null,
  framesText: '1-8',
  chunkSize: 4,
  output: null,
  priority: 0,
  slots: null,
  retries: 1,
  stallTimeoutSec: null,
  taskTimeoutSec: null,
  device: { kind: 'cpu' },
  overrides: { template: 'true' },
});

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

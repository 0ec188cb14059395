import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { medianMs } from '../frames/frame-time';
import type { JobSpec } from '../types';
import { Store } from './store';

const spec = { name: 'shot', dcc: 'command', scene: null, framesText: '1-6', chunkSize: 6, output: null, priority: 0, slots: null, retries: 1, stallTimeoutSec: null, taskTimeoutSec: null, device: { kind: 'cpu' }, overrides: { template: 'true' } } as JobSpec;

it("reads one job's median frame time from the index's middle rows, as the median of every done frame", () => {
  const store = Store.open(path.join(mkdtempSync(path.join(os.tmpdir(), 'spool-median-')), 'spool.db'));
  const job = store.jobs.insert(spec, [1, 2, 3, 4, 5, 6], [[1, 2, 3, 4, 5, 6]]);
  const attempt = store.work.startAttempt(store.work.tasksOf(job.id)[0]!.id, ['x'], { kind: 'cpu', threads: 1 }, () => '/tmp/l');
  const times = [900, 100, 500, 300, 700];
  expect(store.summaries.summarize(store.jobs.get(job.id)!).medianFrameMs).toBeNull();
  times.forEach((ms, i) => {
    store.work.markFrameDone(job.id, i + 1, null, ms, attempt.id);
    const done = times.slice(0, i + 1);
    expect(store.summaries.summarize(store.jobs.get(job.id)!).medianFrameMs).toBe(medianMs(done));
    // The queue's list reads every job's times at once: the same figure.
    expect(store.summaries.listJobs()[0]!.medianFrameMs).toBe(medianMs(done));
  });
  store.close();
});

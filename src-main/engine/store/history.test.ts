import { afterEach, describe, expect, it, vi } from 'vitest';
import { actOnJob, clearFinished } from '../commands';
import { activeElapsedMs } from '../lifecycle/paused-clock';
import { openTempStore, seedJob } from '../../../test/helpers/store-seed';
import type { Store } from './index';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const at = (s: number) => vi.setSystemTime(T0 + s * 1000);
const openStore = () => openTempStore('spool-history-');

afterEach(() => {
  vi.useRealTimers();
});

/** Renders a job's one chunk: frames done with these render times, the attempt ending `secondsLater`. */
function render(store: Store, jobId: number, times: readonly number[], secondsLater: number, fail: readonly number[] = []): void {
  const task = store.work.tasksOf(jobId)[0]!;
  const attempt = store.work.startAttempt(task.id, [], { kind: 'cpu', threads: 1 }, () => '/x.log');
  times.forEach((ms, i) => store.work.markFrameDone(jobId, i + 1, null, ms, attempt.id));
  at(secondsLater);
  const failed = fail.length > 0;
  store.work.finishAttempt(attempt.id, { exitCode: failed ? 1 : 0, signal: null, reason: failed ? 'boom' : null }, failed ? { kind: 'failed', reason: 'boom' } : { kind: 'succeeded' });
}

describe('average frame time: the median of measured render times (issue 13, finding 9)', () => {
  it('is 1.0 s for frames that rendered in about 1 s, though wall time over frames says 2.9 s', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = openStore();
    try {
      at(0);
      const job = seedJob(store, { name: 'shot' });
      // Blender's start-up, scene load and saves fill the rest of 11.6 s of wall time.
      render(store, job.id, [1000, 950, 1050, 1000], 11.6);
      const done = store.summaries.summarize(store.jobs.get(job.id)!);
      expect(done.status).toBe('succeeded');
      // What History used to show: wall time divided by frames.
      expect((done.finishedAt! - done.startedAt!) / done.framesDone).toBe(2900);
      expect(done.medianFrameMs).toBe(1000);
      expect(activeElapsedMs(done, T0 + 99_000)).toBe(11_600);
      // The list (History, CLI) and one job's summary (job page) give the same number.
      expect(store.summaries.listJobs().find((j) => j.id === job.id)!.medianFrameMs).toBe(1000);
    } finally {
      store.close();
    }
  });

  it('is null until a frame was measured', () => {
    const store = openStore();
    try {
      const job = seedJob(store, { name: 'new', framesText: '1-2' });
      expect(store.summaries.summarize(job).medianFrameMs).toBeNull();
    } finally {
      store.close();
    }
  });
});

describe('clear finished', () => {
  it('moves finished jobs to History, leaves live ones, deletes nothing, and a retried job comes back', () => {
    const store = openStore();
    try {
      const ok = seedJob(store, { name: 'ok', framesText: '1' });
      render(store, ok.id, [500], 1);
      const bad = seedJob(store, { name: 'bad', framesText: '1-2' });
      render(store, bad.id, [500], 2, [2]);
      const live = seedJob(store, { name: 'live', framesText: '1' });

      const cleared = clearFinished(store);
      expect(cleared.map((j) => [j.name, j.status])).toEqual([
        ['ok', 'succeeded'],
        ['bad', 'failed'],
      ]);
      expect(cleared.every((j) => j.archivedAt !== null)).toBe(true);
      const all = store.summaries.listJobs();
      expect(all.map((j) => [j.name, j.archivedAt !== null])).toEqual([
        ['ok', true],
        ['bad', true],
        ['live', false],
      ]);
      // Frames and attempts stay: History and reports still read them.
      expect(store.work.framesOf(ok.id)[0]).toMatchObject({ state: 'done', renderMs: 500 });
      expect(clearFinished(store)).toEqual([]);
      expect(clearFinished(store, [live.id])).toEqual([]);

      const retried = actOnJob(store, bad.id, 'retry');
      expect(retried.archivedAt).toBeNull();
      expect(store.jobs.get(bad.id)!.archivedAt).toBeNull();
      expect(store.jobs.get(ok.id)!.archivedAt).not.toBeNull();
      expect(() => clearFinished(store, [9999])).toThrow(/no job "9999"/);
    } finally {
      store.close();
    }
  });
});

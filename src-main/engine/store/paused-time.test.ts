import { afterEach, describe, expect, it, vi } from 'vitest';
import { actOnJob } from '../commands';
import { activeElapsedMs, nextPausedClock } from '../lifecycle/paused-clock';
import { openTempStore, seedJob } from '../../../test/helpers/store-seed';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const at = (s: number) => vi.setSystemTime(T0 + s * 1000);

afterEach(() => {
  vi.useRealTimers();
});

describe('elapsed time leaves out the time a job stood paused', () => {
  it('runs 25 s, stands paused 23 s, runs 10 s more: 35 s elapsed, not 58 s', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = openTempStore('spool-paused-');
    try {
      at(0);
      const job = seedJob(store);
      const task = store.work.tasksOf(job.id)[0]!;
      const first = store.work.startAttempt(task.id, [], { kind: 'cpu', threads: 1 }, () => '/x.log');
      store.work.markFrameDone(job.id, 1, null, 1, first.id);

      // A pause asked at 20 s waits for the frame in progress: the job still renders until 25 s.
      at(20);
      actOnJob(store, job.id, 'pause');
      expect(store.jobs.get(job.id)).toMatchObject({ intent: 'paused', pauseMode: 'after-frame', pausedAt: null });
      at(25);
      store.work.markFrameDone(job.id, 2, null, 1, first.id);
      store.work.finishAttempt(first.id, { exitCode: null, signal: 'SIGTERM', reason: 'paused by user', stop: 'pause' }, { kind: 'requeue' });
      const paused = store.summaries.summarize(store.jobs.get(job.id)!);
      expect(paused).toMatchObject({ status: 'paused', pausedAt: T0 + 25_000, pausedMs: 0 });
      expect(store.work.attemptsOfJob(job.id)[0]!.outcome).toBe('paused');
      expect(activeElapsedMs(paused, T0 + 40_000)).toBe(25_000);

      at(48);
      actOnJob(store, job.id, 'resume');
      expect(store.jobs.get(job.id)).toMatchObject({ intent: 'active', pauseMode: null, pausedAt: null, pausedMs: 23_000 });
      const second = store.work.startAttempt(task.id, [], { kind: 'cpu', threads: 1 }, () => '/y.log');
      at(58);
      for (const frame of [3, 4]) store.work.markFrameDone(job.id, frame, null, 1, second.id);
      store.work.finishAttempt(second.id, { exitCode: 0, signal: null, reason: null }, { kind: 'succeeded' });
      const done = store.summaries.summarize(store.jobs.get(job.id)!);
      expect(done.status).toBe('succeeded');
      expect(done.finishedAt! - done.startedAt!).toBe(58_000);
      expect(activeElapsedMs(done, T0 + 999_000)).toBe(35_000);
      expect(store.work.attemptsOfJob(job.id).map((a) => a.outcome)).toEqual(['paused', 'succeeded']);
    } finally {
      store.close();
    }
  });

  it('a job paused before it ever started has no paused time', () => {
    expect(nextPausedClock('paused', { startedAt: null, pausedMs: 0, pausedAt: null }, 5)).toBeNull();
    expect(nextPausedClock('paused', { startedAt: 1, pausedMs: 0, pausedAt: null }, 5)).toEqual({ pausedMs: 0, pausedAt: 5 });
    expect(nextPausedClock('canceled', { startedAt: 1, pausedMs: 2, pausedAt: 5 }, 9)).toEqual({ pausedMs: 6, pausedAt: null });
    expect(nextPausedClock('running', { startedAt: 1, pausedMs: 2, pausedAt: null }, 9)).toBeNull();
  });
});

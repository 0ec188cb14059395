import { EventEmitter } from 'node:events';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeTemplate, tempDir } from '../../test/helpers/fake-dcc';
import type { EventName, Events, JobSummary } from '../../src-preload/contract';
import { Engine, type EngineEvents } from '../engine/engine';
import { createEventBatcher } from './event-batcher';

type Delivery = { [E in EventName]: { event: E; payload: Events[E] } }[EventName];

function collect(): { deliveries: Delivery[]; sink: <E extends EventName>(event: E, payload: Events[E]) => void } {
  const deliveries: Delivery[] = [];
  return { deliveries, sink: (event, payload) => deliveries.push({ event, payload } as Delivery) };
}

const job = (id: number, framesDone: number) => ({ id, framesDone, status: 'running' }) as JobSummary;
const line = (jobId: number, attemptId: number, n: number) => ({ jobId, taskId: 1, attemptId, stream: 'stdout' as const, line: `line ${n}` });

afterEach(() => {
  vi.useRealTimers();
});

describe('event batcher', () => {
  it('delivers once per interval, not once per event', () => {
    vi.useFakeTimers();
    const engine = new EventEmitter<EngineEvents>();
    const { deliveries, sink } = collect();
    createEventBatcher(engine, sink, { intervalMs: 50 });
    for (let i = 0; i < 100; i++) engine.emit('progress', { jobId: 1, taskId: 1, frame: 1, fraction: i / 100 });
    vi.advanceTimersByTime(49);
    expect(deliveries).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(deliveries).toEqual([{ event: 'progress', payload: [{ jobId: 1, taskId: 1, frame: 1, fraction: 0.99 }] }]);
    vi.advanceTimersByTime(500);
    expect(deliveries).toHaveLength(1);
  });

  it('keeps the latest job per id, progress per task and state per frame', () => {
    const engine = new EventEmitter<EngineEvents>();
    const { deliveries, sink } = collect();
    const batcher = createEventBatcher(engine, sink);
    for (let i = 1; i <= 100; i++) engine.emit('job', job(1, i));
    for (let i = 1; i <= 50; i++) engine.emit('job', job(2, i));
    for (let t = 1; t <= 3; t++) for (let i = 0; i <= 10; i++) engine.emit('progress', { jobId: 1, taskId: t, frame: 5, fraction: i / 10 });
    engine.emit('frame', { jobId: 1, frame: 5, state: 'running', output: null, renderMs: null });
    engine.emit('frame', { jobId: 1, frame: 5, state: 'done', output: '/o/5.png', renderMs: 10 });
    engine.emit('changed');
    engine.emit('changed');
    batcher.flush();

    expect(deliveries.filter((d) => d.event === 'changed')).toHaveLength(1);
    const jobs = deliveries.flatMap((d) => (d.event === 'job' ? [d.payload] : []));
    expect(jobs.map((j) => [j.id, j.framesDone])).toEqual([
      [1, 100],
      [2, 50],
    ]);
    const progress = deliveries.find((d) => d.event === 'progress')!.payload as Events['progress'];
    expect(progress.map((p) => [p.taskId, p.fraction])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    expect(deliveries.find((d) => d.event === 'frames')!.payload).toEqual([{ jobId: 1, frame: 5, state: 'done', output: '/o/5.png', renderMs: 10 }]);
  });

  it('caps a log flood per job, keeping the newest lines and saying how many it skipped', () => {
    vi.useFakeTimers(); // the flood arrives in no time: one interval's cap
    const engine = new EventEmitter<EngineEvents>();
    const { deliveries, sink } = collect();
    const batcher = createEventBatcher(engine, sink, { maxLogLinesPerJob: 2000 });
    for (let n = 0; n < 50_000; n++) engine.emit('log', line(1, n < 25_000 ? 10 : 11, n));
    for (let n = 0; n < 3; n++) engine.emit('log', line(2, 20, n));
    batcher.flush();

    const logs = deliveries.filter((d) => d.event === 'log');
    expect(logs).toHaveLength(1);
    const groups = logs[0]!.payload as Events['log'];
    const ofJob1 = groups.filter((g) => g.jobId === 1).flatMap((g) => g.lines);
    expect(ofJob1).toHaveLength(2001);
    expect(ofJob1[0]).toEqual({ stream: 'stderr', text: '[spool] 48000 lines skipped here to keep up; the full log is on disk' });
    expect(ofJob1[1]!.text).toBe('line 48000');
    expect(ofJob1.at(-1)!.text).toBe('line 49999');
    expect(groups.filter((g) => g.jobId === 1).every((g) => g.attemptId === 11)).toBe(true);
    expect(groups.filter((g) => g.jobId === 2)).toEqual([
      { jobId: 2, attemptId: 20, lines: ['line 0', 'line 1', 'line 2'].map((text) => ({ stream: 'stdout', text })) },
    ]);
  });

  it('caps lines per time gathered: a late timer delivers what a busy engine gathered, up to 4 intervals', () => {
    vi.useFakeTimers();
    const engine = new EventEmitter<EngineEvents>();
    const { deliveries, sink } = collect();
    createEventBatcher(engine, sink, { maxLogLinesPerJob: 2000 });
    const linesOf = (n: number) => (deliveries[n]!.payload as Events['log']).flatMap((g) => g.lines);
    /** `count` lines gathered while the engine's loop was busy for `lateMs`, then the late timer. */
    const lateDelivery = (lateMs: number, count: number): void => {
      engine.emit('log', line(1, 1, 0));
      vi.setSystemTime(Date.now() + lateMs);
      for (let n = 1; n < count; n++) engine.emit('log', line(1, 1, n));
      vi.runOnlyPendingTimers();
    };
    // Busy for 200 ms: the 50 ms timer fires only then, on 6,000 lines.
    lateDelivery(200, 6000);
    expect(linesOf(0)).toHaveLength(6000);
    expect(linesOf(0)[0]!.text).toBe('line 0');
    // 10 s late is still at most 4 intervals' worth: a page is never sent a flood at once.
    lateDelivery(10_000, 20_000);
    expect(linesOf(1)).toHaveLength(8001);
    expect(linesOf(1)[0]!.text).toBe('[spool] 12000 lines skipped here to keep up; the full log is on disk');
  });

  it('groups consecutive lines by attempt, oldest first', () => {
    const engine = new EventEmitter<EngineEvents>();
    const { deliveries, sink } = collect();
    const batcher = createEventBatcher(engine, sink);
    engine.emit('log', line(1, 1, 0));
    engine.emit('log', line(1, 1, 1));
    engine.emit('log', line(1, 2, 2));
    batcher.flush();
    expect(deliveries).toEqual([
      {
        event: 'log',
        payload: [
          { jobId: 1, attemptId: 1, lines: [{ stream: 'stdout', text: 'line 0' }, { stream: 'stdout', text: 'line 1' }] },
          { jobId: 1, attemptId: 2, lines: [{ stream: 'stdout', text: 'line 2' }] },
        ],
      },
    ]);
  });

  it('drops what was pending for a job removed in the same interval', () => {
    const engine = new EventEmitter<EngineEvents>();
    const { deliveries, sink } = collect();
    const batcher = createEventBatcher(engine, sink);
    engine.emit('job', job(3, 1));
    engine.emit('log', line(3, 1, 0));
    engine.emit('jobRemoved', 3);
    batcher.flush();
    expect(deliveries).toEqual([{ event: 'jobRemoved', payload: { id: 3 } }]);
  });

  it('stops listening when closed', () => {
    const engine = new EventEmitter<EngineEvents>();
    const { deliveries, sink } = collect();
    const batcher = createEventBatcher(engine, sink);
    expect(engine.listenerCount('log')).toBe(1);
    engine.emit('job', job(1, 1));
    batcher.close();
    expect(engine.listenerCount('log') + engine.listenerCount('job') + engine.listenerCount('frame')).toBe(0);
    batcher.flush();
    expect(deliveries).toEqual([]);
  });
});

describe('event batcher on a real engine', () => {
  let engine: Engine | null = null;
  afterEach(async () => {
    await engine?.stop();
    engine = null;
  });

  it('turns a render printing 30,000 lines into a few capped deliveries', async () => {
    const dir = tempDir('spool-batcher-');
    engine = await Engine.start({ dataDir: path.join(dir, 'data'), killGraceMs: 500 });
    let lineEvents = 0;
    engine.on('log', () => lineEvents++);
    const { deliveries, sink } = collect();
    const batcher = createEventBatcher(engine, sink, { maxLogLinesPerJob: 2000 });

    const submitted = await engine.submit({
      dcc: 'command',
      frames: '1-2',
      chunk: 2,
      output: path.join(dir, 'out', 'f_####.png'),
      overrides: { template: fakeTemplate('--mode flood --lines 30000 --ms-per-frame 1') },
    });
    await engine.untilIdle();
    batcher.flush();
    batcher.close();

    expect(engine.jobDetail(submitted.id).job).toMatchObject({ status: 'succeeded' });
    expect(lineEvents).toBeGreaterThan(30_000);
    const logDeliveries = deliveries.filter((d) => d.event === 'log');
    expect(logDeliveries.length).toBeLessThan(lineEvents / 100);
    for (const d of logDeliveries) {
      const lines = (d.payload as Events['log']).reduce((n, g) => n + g.lines.length, 0);
      expect(lines).toBeLessThanOrEqual(4 * 2000 + 1);
    }
    const last = deliveries.filter((d) => d.event === 'job').at(-1);
    expect(last?.payload).toMatchObject({ id: submitted.id, status: 'succeeded' });
  });
});

import { describe, expect, it } from 'vitest';
import { attemptOutcome, decideOutcome, planOutcome } from '../lifecycle/outcome';
import { chunkToSplit, chunkToYield, type RunningChunk } from './shorten';

const cpu = { kind: 'cpu', threads: 1 } as const;
const chunk = (taskId: number, over: Partial<RunningChunk> = {}): RunningChunk => ({ taskId, jobId: taskId, priority: 0, device: cpu, pending: 10, ...over });

describe('a higher-priority job takes a slot back at a frame boundary', () => {
  it('shortens the lowest-priority chunk on the device kind it needs, the one with most frames left first', () => {
    const running = [chunk(1, { priority: 5, pending: 30 }), chunk(2, { priority: 0, pending: 4 }), chunk(3, { priority: 0, pending: 9 })];
    expect(chunkToYield({ priority: 10, deviceKind: 'cpu' }, running)).toBe(3);
  });

  it('never for an equal or lower priority, another device kind, or a chunk on its last frame', () => {
    expect(chunkToYield({ priority: 0, deviceKind: 'cpu' }, [chunk(1)])).toBeNull();
    expect(chunkToYield({ priority: 10, deviceKind: 'gpu' }, [chunk(1)])).toBeNull();
    expect(chunkToYield({ priority: 10, deviceKind: 'cpu' }, [chunk(1, { pending: 1 })])).toBeNull();
  });
});

describe('a free slot splits a chunk holding more than its fair share', () => {
  it('splits the biggest chunk when what it gives back makes chunks above the start-up floor', () => {
    // 2 slots, one chunk with 40 frames left: fair share 20; it gives back 39 ≥ 2 × 10.
    expect(chunkToSplit([chunk(1, { pending: 40 })], 2, 10)).toBe(1);
    expect(chunkToSplit([chunk(1, { pending: 3 }), chunk(2, { pending: 40 })], 3, 5)).toBe(2);
  });

  it('not when every slot is busy, the chunk holds no more than its fair share, or the halves would fall below the floor', () => {
    expect(chunkToSplit([chunk(1), chunk(2)], 2, 1)).toBeNull();
    expect(chunkToSplit([chunk(1, { pending: 1 })], 2, 1)).toBeNull();
    expect(chunkToSplit([chunk(1, { pending: 40 })], 2, 20)).toBeNull();
  });
});

describe('a shortened attempt', () => {
  const budget = { failures: 0, retries: 0 };
  it('is split, not failed and not a retry, even with no retries left; finished work still counts', () => {
    const killed = { ok: false as const, reason: 'killed by SIGTERM', retryable: true };
    expect(decideOutcome(killed, 'shorten', budget)).toEqual({ kind: 'split' });
    expect(decideOutcome({ ok: true }, 'shorten', budget)).toEqual({ kind: 'succeeded' });
    expect(attemptOutcome({ kind: 'split' }, 'shorten')).toBe('shortened');
  });

  it('ends its task with the frames it saved and sends the others back to the queue without a task', () => {
    const plan = planOutcome({ kind: 'split' });
    expect(plan.task).toMatchObject({ to: 'succeeded', countsFailure: false, finishes: true });
    expect(plan.frames).toMatchObject({ to: 'queued', reason: null });
    expect(plan.frames!.from).not.toContain('done');
    expect(plan.detachPending).toBe(true);
  });
});

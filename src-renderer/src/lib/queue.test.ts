import { describe, expect, it } from 'vitest';
import type { JobSummary } from '../../../src-main/engine/types';
import fc from 'fast-check';
import { allowedActions } from '../../../src-main/engine/lifecycle';
import { applicableIds, canApply, compareQueue, countByStatus, etaMs, prioritiesForGroupDrop, priorityForDrop, shownStatus } from './queue';

/** A summary as the engine sends it: its actions come from the lifecycle's one rule. */
function job(id: number, priority: number, extra: Partial<JobSummary> = {}): JobSummary {
  const base = { id, priority, status: 'queued', framesDone: 0, framesFailed: 0, frameCount: 10, startedAt: null, finishedAt: null, ...extra } as JobSummary;
  const intent = base.status === 'paused' ? 'paused' : base.status === 'canceled' ? 'canceled' : 'active';
  return { ...base, intent, actions: allowedActions({ ...base, intent, waitingDependents: [] }) };
}

/** Sorts like the scheduler and returns the ids after giving `id` priority `p`. */
function orderAfter(jobs: JobSummary[], id: number, p: number): number[] {
  return jobs
    .map((j) => (j.id === id ? { ...j, priority: p } : j))
    .sort(compareQueue)
    .map((j) => j.id);
}

describe('priorityForDrop', () => {
  const queue = [job(1, 5), job(2, 5), job(3, 0), job(4, 0), job(5, -2)].sort(compareQueue);

  it('puts the dragged job right before the one it was dropped above', () => {
    for (const [dragged, target] of [
      [4, 0],
      [3, 0],
      [5, 2],
      [2, 4],
      [4, 2],
    ] as const) {
      const p = priorityForDrop(queue, dragged, target)!;
      const after = orderAfter(queue, dragged, p);
      const targetId = queue[target]!.id;
      expect(after.indexOf(dragged), `drag ${dragged} above ${targetId}`).toBe(after.indexOf(targetId) - 1);
    }
  });

  it('still runs before the target when ids leave no room between two equal priorities', () => {
    // Between #1 and #2 (both 5) only an id between 1 and 2 would fit: #4 goes ahead of both.
    const p = priorityForDrop(queue, 4, 1)!;
    const after = orderAfter(queue, 4, p);
    expect(after.indexOf(4)).toBeLessThan(after.indexOf(2));
  });

  it('moves to the end when dropped below the last job', () => {
    const p = priorityForDrop(queue, 1, queue.length)!;
    expect(orderAfter(queue, 1, p).at(-1)).toBe(1);
  });

  it('keeps the priority when the drop does not change the order', () => {
    expect(priorityForDrop(queue, 3, 2)).toBe(0);
  });

  it('stays within the engine limits', () => {
    const top = [job(1, 1000), job(2, 0)];
    expect(priorityForDrop(top, 2, 0)).toBe(1000);
  });
});

describe('prioritiesForGroupDrop', () => {
  const reorder = (jobs: JobSummary[], changes: Map<number, number>): number[] =>
    jobs
      .map((j) => (changes.has(j.id) ? { ...j, priority: changes.get(j.id)! } : j))
      .sort(compareQueue)
      .map((j) => j.id);

  it('moves a selection to the top together, in its order', () => {
    const queue = [job(1, 0), job(2, 0), job(3, 0), job(4, 0), job(5, 0)];
    expect(reorder(queue, prioritiesForGroupDrop(queue, new Set([4, 5]), 0))).toEqual([4, 5, 1, 2, 3]);
  });

  it('drops a scattered selection above the target, keeping the others in place', () => {
    const queue = [job(1, 9), job(2, 6), job(3, 3), job(4, 0), job(5, -3), job(6, -6)].sort(compareQueue);
    expect(reorder(queue, prioritiesForGroupDrop(queue, new Set([1, 5]), 3))).toEqual([2, 3, 1, 5, 4, 6]);
  });

  it('changes nothing when the group already sits there', () => {
    const queue = [job(1, 3), job(2, 2), job(3, 1)];
    expect(prioritiesForGroupDrop(queue, new Set([2, 3]), 1).size).toBe(0);
  });

  it('always puts every selected job before the target when there is room between priorities', () => {
    // Priorities spaced wider than any group leave room, so the whole promise must hold.
    const queueArb = fc.uniqueArray(fc.integer({ min: -30, max: 30 }), { minLength: 2, maxLength: 8 }).map((ps) => ps.map((p, i) => job(i + 1, p * 10)).sort(compareQueue));
    fc.assert(
      fc.property(queueArb, fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), fc.nat(), (queue, picks, at) => {
        const ids = new Set(picks.map((p) => queue[p % queue.length]!.id));
        const target = at % (queue.length + 1);
        const after = reorder(queue, prioritiesForGroupDrop(queue, ids, target));
        const below = queue.slice(target).find((j) => !ids.has(j.id));
        const group = queue.filter((j) => ids.has(j.id)).map((j) => j.id);
        // Together, in their order, right above the first non-member at or after the drop point.
        const start = after.indexOf(group[0]!);
        expect(after.slice(start, start + group.length)).toEqual(group);
        if (below) expect(after[start + group.length]).toBe(below.id);
        else expect(start + group.length).toBe(after.length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('queue helpers', () => {
  it('only sends actions to jobs they apply to', () => {
    const jobs = [job(1, 0, { status: 'running' }), job(2, 0, { status: 'succeeded' }), job(3, 0, { status: 'paused' })];
    expect(applicableIds('pause', jobs)).toEqual([1]);
    expect(applicableIds('resume', jobs)).toEqual([3]);
    expect(applicableIds('cancel', jobs)).toEqual([1, 3]);
    expect(canApply('delete', jobs)).toBe(false);
    expect(canApply('retry', [job(4, 0, { status: 'succeeded', framesFailed: 0 })])).toBe(false);
  });

  it('counts by status', () => {
    const counts = countByStatus([job(1, 0), job(2, 0, { status: 'failed' }), job(3, 0, { status: 'failed' })]);
    expect(counts).toMatchObject({ all: 3, queued: 1, failed: 2, running: 0 });
  });

  it('estimates the time left from the time per finished frame', () => {
    const running = job(1, 0, { status: 'running', startedAt: 0, framesDone: 4, frameCount: 10 });
    expect(etaMs(running, 40_000)).toBe(60_000);
    expect(etaMs({ ...running, framesDone: 0 }, 40_000)).toBeNull();
  });
});

describe('shownStatus', () => {
  it('shows a queued job still waiting for its parents as Blocked, and nothing else changes', () => {
    expect(shownStatus({ status: 'queued', depGate: 'waiting' })).toBe('blocked');
    expect(shownStatus({ status: 'queued', depGate: 'clear' })).toBe('queued');
    expect(shownStatus({ status: 'queued' })).toBe('queued');
    expect(shownStatus({ status: 'running', depGate: 'waiting' })).toBe('running');
    expect(shownStatus({ status: 'blocked', depGate: 'blocked' })).toBe('blocked');
  });
});

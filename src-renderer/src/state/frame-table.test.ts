import { describe, expect, it } from 'vitest';
import type { FrameRecord, FrameState } from '../../../src-main/engine/types';
import { singleRunningTasks } from '../views/job/frame-cell';
import { FrameTable } from './frame-table';

const f = (frame: number, state: FrameState = 'queued', taskId: number | null = 1): FrameRecord => ({
  jobId: 1,
  frame,
  taskId,
  state,
  output: null,
  reason: null,
  renderMs: null,
  attemptId: null,
});

describe('frame table', () => {
  // 3,000 frames counting down (the job's order), three pages of 1,024.
  const records = Array.from({ length: 3000 }, (_, i) => f(3000 - i, 'running', i < 2999 ? 1 : 2));
  const table = FrameTable.of(records);

  it('reads frames by number, in the job order, like the Map it replaces', () => {
    expect(table.size).toBe(3000);
    expect(table.get(3000)).toBe(records[0]);
    expect(table.get(1)).toBe(records[2999]);
    expect(table.get(5000)).toBeUndefined();
    expect([...table.values()].map((r) => r.frame)).toEqual(records.map((r) => r.frame));
  });

  it('copies only the pages a change touches, and leaves the old table as it was', () => {
    const next = table.update([{ frame: 2999 }, { frame: 4242 }], (before) => ({ ...before, state: 'done', renderMs: 5 }));
    expect(next).not.toBe(table);
    expect(next.get(2999)).toMatchObject({ state: 'done', renderMs: 5 });
    expect(table.get(2999)!.state).toBe('running');
    // Frames on other pages are the very same records.
    expect(next.get(1)).toBe(table.get(1));
    expect(next.get(1000)).toBe(table.get(1000));
    expect(table.update([{ frame: 4242 }], (b) => b)).toBe(table);
  });

  it('keeps the tasks with one running frame as frames change, as counting them all would', () => {
    expect(table.singleRunningTasks()).toEqual(new Set([2]));
    let next = table;
    for (let frame = 3000; frame > 1; frame--) next = next.update([{ frame }], (b) => ({ ...b, state: frame % 2 ? 'done' : 'failed' }));
    expect(next.singleRunningTasks()).toEqual(new Set([2]));
    next = next.update([{ frame: 5 }, { frame: 1 }], (b) => ({ ...b, state: 'running', taskId: 3 }));
    expect(next.singleRunningTasks()).toEqual(singleRunningTasks(next.values()));
    expect(next.singleRunningTasks()).toEqual(new Set());
    next = next.update([{ frame: 1 }], (b) => ({ ...b, state: 'done' }));
    expect(next.singleRunningTasks()).toEqual(new Set([3]));
  });
});

import { describe, expect, it } from 'vitest';
import { notReachedReason } from '../../../../src-main/engine/lifecycle/not-reached';
import type { FrameRecord } from '../../../../src-main/engine/types';
import { cellKind, cellLabel, countKinds } from './frame-cell';
import { FrameTable } from '../../state/frame-table';

const none = new Map<number, number>();
const f = (frame: number, state: FrameRecord['state'], taskId: number | null = 1, reason: string | null = null): FrameRecord => ({
  jobId: 1,
  frame,
  state,
  taskId,
  reason,
  output: null,
  renderMs: null,
  attemptId: null,
});

describe('frame cell kind', () => {
  it('tells a queued frame a failed chunk never reached from failed and waiting frames', () => {
    expect(cellKind(f(1, 'queued', 1, notReachedReason(3)), none)).toBe('notreached');
    expect(cellLabel(cellKind(f(1, 'queued', 1, notReachedReason(3)), none))).toBe('not reached');
    expect(cellKind(f(1, 'failed', 1, 'crashed: killed by SIGSEGV'), none)).toBe('failed');
    expect(cellKind(f(1, 'queued'), none)).toBe('queued');
    expect(cellKind(f(1, 'queued', 1, 'crashed: killed by SIGSEGV'), none)).toBe('queued');
    expect(cellKind(f(1, 'suspended', 1, 'suspended by user'), none)).toBe('suspended');
    expect(cellKind(undefined, none)).toBe('queued');
  });

  it('one frame of a running chunk renders now (the renderer said so); the others wait in the chunk', () => {
    const chunk = [f(1, 'done'), f(2, 'running'), f(3, 'running'), f(4, 'running'), f(9, 'running', 2)];
    // A retry starts it again: running is running, whatever reason it kept.
    expect(cellKind(f(3, 'running', 1, notReachedReason(3)), new Map([[1, 3]]))).toBe('rendering');
    expect(countKinds(chunk, new Map([[1, 2]]))).toMatchObject({ done: 1, rendering: 2, waiting: 2 });
    // Before the chunk says which frame it is on, nothing of it is called rendering, except a one-frame chunk.
    expect(countKinds(chunk, none)).toMatchObject({ rendering: 1, waiting: 3 });
    // The same counts from a frame table, which keeps its one-frame chunks instead of copying every frame.
    const table = FrameTable.of(chunk);
    expect(countKinds(table.values(), none, table.singleRunningTasks())).toEqual(countKinds(chunk, none));
    expect(cellLabel('waiting')).toBe('waiting in chunk');
    expect(cellLabel('rendering')).toBe('rendering now');
  });
});

import { describe, expect, it } from 'vitest';
import { notReachedReason } from '../../../../src-main/engine/lifecycle/not-reached';
import { cellKind, cellLabel } from './frame-cell';

describe('frame cell kind', () => {
  it('tells a queued frame a failed chunk never reached from failed and waiting frames', () => {
    expect(cellKind({ state: 'queued', reason: notReachedReason(3) })).toBe('notreached');
    expect(cellLabel(cellKind({ state: 'queued', reason: notReachedReason(3) }))).toBe('not reached');
    expect(cellKind({ state: 'failed', reason: 'crashed: killed by SIGSEGV' })).toBe('failed');
    expect(cellKind({ state: 'queued', reason: null })).toBe('queued');
    expect(cellKind({ state: 'queued', reason: 'crashed: killed by SIGSEGV' })).toBe('queued');
    // A retry starts it again: running is running, whatever reason it kept.
    expect(cellKind({ state: 'running', reason: notReachedReason(3) })).toBe('running');
    expect(cellKind(undefined)).toBe('queued');
  });
});

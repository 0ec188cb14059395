import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Events, LogDto } from '../../../src-preload/contract';
import { setBridge, type UiBridge } from '../bridge';
import { openBridge } from '../bridge/open-bridge';
import { useLog } from './log-store';

const EMPTY_LOG: LogDto = { text: '', attempts: [], ranges: [], skippedBytes: 0, more: false };

/** Counts the log reads; every other command answers nothing. */
function countingBridge(): { bridge: UiBridge; reads: () => number } {
  let reads = 0;
  const bridge = openBridge(async (command) => {
    if (command === 'jobs.log') reads++;
    return { ok: true, value: command === 'jobs.log' ? EMPTY_LOG : [] } as never;
  });
  return { bridge, reads: () => reads };
}

const skipNotice = (): Events['log'] => [{ jobId: 3, attemptId: 9, skipped: 500, lines: [{ stream: 'stderr', text: '[spool] 500 lines skipped here to keep up' }] }];

describe('log store: re-reading after skipped lines', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    useLog.getState().open(null);
    vi.useRealTimers();
  });

  it('waits for the flood to let up: one re-read 2 s after the last skip, not one per skip', async () => {
    const fake = countingBridge();
    setBridge(fake.bridge);
    useLog.getState().open(3);
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.reads()).toBe(1); // the view's first read
    for (let i = 0; i < 8; i++) {
      useLog.getState().applyBatch(skipNotice());
      await vi.advanceTimersByTimeAsync(1500);
    }
    expect(fake.reads()).toBe(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(fake.reads()).toBe(2);
  });

  it('still fills in a flood that never lets up, every 20 s', async () => {
    const fake = countingBridge();
    setBridge(fake.bridge);
    useLog.getState().open(3);
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 100; i++) {
      useLog.getState().applyBatch(skipNotice());
      await vi.advanceTimersByTimeAsync(400);
    }
    // 40 s of skips every 0.4 s: re-read at 20 s and 40 s.
    expect(fake.reads()).toBe(3);
  });
});

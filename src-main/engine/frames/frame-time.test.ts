import { describe, expect, it } from 'vitest';
import { medianFrameMs, medianMs } from './frame-time';

describe('average frame time (the median of measured render times)', () => {
  it('is the middle value, or the rounded mean of the two middle ones', () => {
    expect(medianMs([])).toBeNull();
    expect(medianMs([5])).toBe(5);
    expect(medianMs([3, 1, 2])).toBe(2);
    expect(medianMs([4, 1, 2, 3])).toBe(3);
    expect(medianMs([1000, 1001])).toBe(1001);
  });

  it('counts only done frames with a measured time, so a slow start-up frame does not skew it', () => {
    const frames = [
      { state: 'done', renderMs: 9000 },
      { state: 'done', renderMs: 1000 },
      { state: 'done', renderMs: 1100 },
      { state: 'done', renderMs: null },
      { state: 'failed', renderMs: 50 },
      { state: 'queued', renderMs: null },
    ];
    expect(medianFrameMs(frames)).toBe(1100);
    expect(medianFrameMs([{ state: 'queued', renderMs: null }])).toBeNull();
  });
});

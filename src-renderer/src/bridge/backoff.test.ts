import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('doubles up to the cap, with jitter around it', () => {
    const mid = (): number => 0.5;
    expect([0, 1, 2, 3, 10].map((n) => backoffDelay(n, 500, 10_000, mid))).toEqual([500, 1000, 2000, 4000, 10_000]);
    expect(backoffDelay(0, 500, 10_000, () => 0)).toBe(400);
    expect(backoffDelay(50, 500, 10_000, () => 1)).toBe(10_000);
  });
});

import { describe, expect, it } from 'vitest';
import { RingBuffer } from './ring-buffer';

describe('RingBuffer', () => {
  it('keeps the newest items and counts what it dropped', () => {
    const ring = new RingBuffer<number>(3);
    ring.pushAll([1, 2, 3, 4, 5]);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.length).toBe(3);
    expect(ring.first).toBe(2);
    expect(ring.dropped).toBe(2);
    expect(ring.at(0)).toBe(3);
    expect(ring.at(3)).toBeUndefined();
  });

  it('handles 100,000 lines without copying', () => {
    const ring = new RingBuffer<string>(100_000);
    for (let i = 0; i < 250_000; i++) ring.push(`line ${i}`);
    expect(ring.length).toBe(100_000);
    expect(ring.at(0)).toBe('line 150000');
    expect(ring.at(99_999)).toBe('line 249999');
  });
});

describe('RingBuffer with a weight cap', () => {
  it('drops the oldest items while the total weight is over the cap, keeping at least the newest', () => {
    const ring = new RingBuffer<string>(100, { maxWeight: 10, weigh: (s) => s.length });
    ring.pushAll(['aaaa', 'bbbb', 'cc']);
    expect(ring.toArray()).toEqual(['aaaa', 'bbbb', 'cc']);
    ring.push('ddd');
    expect(ring.toArray()).toEqual(['bbbb', 'cc', 'ddd']);
    expect(ring.totalWeight).toBe(9);
    ring.push('x'.repeat(50));
    expect(ring.toArray()).toEqual(['x'.repeat(50)]);
    expect(ring.dropped).toBe(4);
    expect(ring.first).toBe(4);
  });
});

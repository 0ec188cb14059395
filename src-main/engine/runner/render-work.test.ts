import { describe, expect, it } from 'vitest';
import { nextFrameOf } from './render-work';

describe("a chunk's next frame", () => {
  it('follows the chunk order, wherever the saved frame is', () => {
    const next = nextFrameOf([1, 3, 5, 7]);
    expect([1, 3, 5, 7].map(next)).toEqual([3, 5, 7, null]);
    // Out of order (a renderer that saves frames as its threads finish them) and unknown frames.
    expect(next(3)).toBe(5);
    expect(next(1)).toBe(3);
    expect(next(4)).toBeNull();
    expect(next(5)).toBe(7);
  });
});

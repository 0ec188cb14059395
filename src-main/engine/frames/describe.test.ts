import { describe, expect, it } from 'vitest';
import { describeFrameSet, parseFrameSet } from './index';

const every5 = Array.from({ length: 20 }, (_, i) => 1 + 5 * i);

describe('describeFrameSet', () => {
  it.each<[number[], number | undefined, string]>([
    [[], undefined, 'no frames'],
    [[7], undefined, '1 frame: 7'],
    [[-3], undefined, '1 frame: -3'],
    [[1, 2], undefined, '2 frames: 1, 2'],
    [[1, 2, 3, 4], undefined, '4 frames: 1, 2, 3, 4'],
    [[1, 2, 3, 4, 5], undefined, '5 frames: 1, 2, 3, … 5'],
    [every5, undefined, '20 frames: 1, 6, 11, … 96'],
    [every5, 2, '20 frames: 1, … 96'],
    [every5, 1, '20 frames: 1, … 96'],
    [every5, 0, '20 frames: 1, … 96'],
    [every5, 6, '20 frames: 1, 6, 11, 16, 21, … 96'],
    [every5, 20, `20 frames: ${every5.join(', ')}`],
    [every5, Number.NaN, '20 frames: 1, 6, 11, … 96'],
    [[100, 99, 98, 97, 96], undefined, '5 frames: 100, 99, 98, … 96'],
  ])('%j (at most %s shown)', (frames, maxShown, text) => {
    expect(describeFrameSet(frames, maxShown)).toBe(text);
  });

  it('groups the thousands of the count, not of the frames', () => {
    const frames = Array.from({ length: 1_000_000 }, (_, i) => i + 1);
    expect(describeFrameSet(frames)).toBe('1,000,000 frames: 1, 2, 3, … 1000000');
  });
});

describe('describeFrameSet on an interleave', () => {
  it('shows the render order: the coarse pass first', () => {
    const parsed = parseFrameSet('1-10:5');
    expect(parsed.ok && describeFrameSet(parsed.frames)).toBe('10 frames: 1, 6, 3, … 10');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkFrames, isArithmetic, parseFrameSet } from './index';

const frameLists = fc.oneof(
  fc.uniqueArray(fc.integer({ min: -50, max: 50 }), { maxLength: 80 }),
  fc
    .array(fc.tuple(fc.integer({ min: -100, max: 100 }), fc.integer({ min: -4, max: 4 }), fc.integer({ min: 1, max: 15 })), {
      maxLength: 6,
    })
    .map((parts) => parts.flatMap(([start, step, n]) => Array.from({ length: n }, (_, k) => start + k * step))),
);
const sizes = fc.integer({ min: 1, max: 20 });
const shapes = fc.constantFrom('any' as const, 'arithmetic' as const);

/** Fewest chunks any split into runs of at most `size` can have. */
function fewestArithmeticChunks(frames: readonly number[], size: number): number {
  const best = new Array<number>(frames.length + 1).fill(Infinity);
  best[frames.length] = 0;
  for (let i = frames.length - 1; i >= 0; i--) {
    for (let j = i + 1; j <= Math.min(frames.length, i + size); j++) {
      if (isArithmetic(frames.slice(i, j)) === null) break;
      best[i] = Math.min(best[i]!, 1 + best[j]!);
    }
  }
  return best[0]!;
}

describe('chunkFrames', () => {
  it.each<[number[], number, 'any' | 'arithmetic', number[][]]>([
    [[], 3, 'any', []],
    [[1, 2, 3, 4, 5, 6, 7], 3, 'any', [[1, 2, 3], [4, 5, 6], [7]]],
    [[1, 2, 3], 10, 'any', [[1, 2, 3]]],
    [[1, 2, 3], 1, 'any', [[1], [2], [3]]],
    [[1, 5, 10, 11, 12, 13, 14, 15], 4, 'any', [[1, 5, 10, 11], [12, 13, 14, 15]]],
    [[1, 5, 10, 11, 12, 13, 14, 15], 4, 'arithmetic', [[1, 5], [10, 11, 12, 13], [14, 15]]],
    [[10, 9, 8, 7, 6], 2, 'arithmetic', [[10, 9], [8, 7], [6]]],
    [[1, 3, 5, 6, 7, 8], 10, 'arithmetic', [[1, 3, 5], [6, 7, 8]]],
    [[7], 5, 'arithmetic', [[7]]],
    [[5, 3, 8], 1, 'arithmetic', [[5], [3], [8]]],
    [[4, 4, 4], 3, 'arithmetic', [[4], [4], [4]]],
  ])('%j by %i (%s)', (frames, size, shape, expected) => {
    expect(chunkFrames(frames, size, shape)).toEqual(expected);
  });

  it('keeps an interleave\'s render order, in arithmetic runs where the DCC needs them', () => {
    const parsed = parseFrameSet('1-10:5');
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(chunkFrames(parsed.frames, 4, 'arithmetic')).toEqual([[1, 6], [3, 5, 7, 9], [2, 4], [8, 10]]);
    expect(chunkFrames(parsed.frames, 4)).toEqual([[1, 6, 3, 5], [7, 9, 2, 4], [8, 10]]);
  });

  it('defaults to any shape', () => {
    expect(chunkFrames([1, 5, 6], 2)).toEqual([[1, 5], [6]]);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses a chunk size of %d', (size) => {
    expect(() => chunkFrames([1, 2], size)).toThrow(RangeError);
    expect(() => chunkFrames([], size, 'arithmetic')).toThrow(RangeError);
  });

  it('never changes the input', () => {
    const frames = Object.freeze([3, 2, 1, 10]);
    chunkFrames(frames, 2, 'arithmetic');
    expect(frames).toEqual([3, 2, 1, 10]);
  });
});

describe('chunkFrames properties', () => {
  it('concatenates back to the input, in chunks of 1 to size frames', () => {
    fc.assert(
      fc.property(frameLists, sizes, shapes, (frames, size, shape) => {
        const chunks = chunkFrames(frames, size, shape);
        expect(chunks.flat()).toEqual(frames);
        for (const chunk of chunks) {
          expect(chunk.length).toBeGreaterThanOrEqual(1);
          expect(chunk.length).toBeLessThanOrEqual(size);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('fills every chunk but the last when any shape will do', () => {
    fc.assert(
      fc.property(frameLists, sizes, (frames, size) => {
        const chunks = chunkFrames(frames, size);
        expect(chunks.length).toBe(Math.ceil(frames.length / size));
      }),
      { numRuns: 2000 },
    );
  });

  it('makes every arithmetic chunk one constant-step run, in the fewest chunks', () => {
    fc.assert(
      fc.property(frameLists, sizes, (frames, size) => {
        const chunks = chunkFrames(frames, size, 'arithmetic');
        for (const chunk of chunks) expect(isArithmetic(chunk)).not.toBeNull();
        expect(chunks.length).toBe(fewestArithmeticChunks(frames, size));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('isArithmetic', () => {
  it.each<[number[], { start: number; end: number; step: number } | null]>([
    [[], null],
    [[7], { start: 7, end: 7, step: 1 }],
    [[1, 2, 3], { start: 1, end: 3, step: 1 }],
    [[1, 6, 11, 16], { start: 1, end: 16, step: 5 }],
    [[100, 95, 90], { start: 100, end: 90, step: -5 }],
    [[-3, -1, 1], { start: -3, end: 1, step: 2 }],
    [[1, 5], { start: 1, end: 5, step: 4 }],
    [[1, 2, 4], null],
    [[2, 2], null],
    [[1, 3, 2], null],
  ])('%j', (frames, expected) => {
    expect(isArithmetic(frames)).toEqual(expected);
  });

  it('describes every constant-step run so that start + k * step walks it', () => {
    const run = fc.tuple(
      fc.integer({ min: -1e6, max: 1e6 }),
      fc.integer({ min: -1000, max: 1000 }).filter((s) => s !== 0),
      fc.integer({ min: 3, max: 50 }),
    );
    fc.assert(
      fc.property(run, ([start, step, n]) => {
        const frames = Array.from({ length: n }, (_, k) => start + k * step);
        expect(isArithmetic(frames)).toEqual({ start, end: frames[n - 1], step });
        const broken = [...frames];
        broken[n - 1]! += 1;
        expect(isArithmetic(broken)).toBeNull();
      }),
      { numRuns: 2000 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFrameSet, MAX_FRAMES, parseFrameSet } from './index';

const LIMIT = 1_000_000_000;

function roundTrip(frames: readonly number[]): void {
  const text = formatFrameSet(frames);
  // An empty set has no text that parses; a job always has frames.
  if (frames.length === 0) {
    expect(text).toBe('');
    return;
  }
  const parsed = parseFrameSet(text);
  if (!parsed.ok) throw new Error(`${JSON.stringify(text)} did not parse: ${parsed.error.message}`);
  expect(parsed.frames).toEqual(frames);
}

/** Tries every split into constant-step runs: the reference for "shortest". */
function shortestLength(frames: readonly number[]): number {
  const memo = new Map<number, number>();
  const from = (i: number): number => {
    if (i === frames.length) return -1; // no comma after the last group
    const cached = memo.get(i);
    if (cached !== undefined) return cached;
    let best = String(frames[i]).length + 1 + from(i + 1);
    for (let j = i + 2; j <= frames.length; j++) {
      const step = frames[i + 1]! - frames[i]!;
      if (step === 0 || frames[j - 1]! - frames[j - 2]! !== step) break;
      const text = `${frames[i]}-${frames[j - 1]}${Math.abs(step) === 1 ? '' : `x${Math.abs(step)}`}`;
      best = Math.min(best, text.length + 1 + from(j));
    }
    memo.set(i, best);
    return best;
  };
  return Math.max(0, from(0));
}

/** Unique frames kept at first occurrence, the way the parser keeps them. */
const unique = (frames: number[]): number[] => [...new Set(frames)];

/** Frame lists shaped like real ones: runs of a constant step, either direction, glued together. */
const runs = fc
  .array(
    fc.record({
      start: fc.oneof(fc.integer({ min: -300, max: 300 }), fc.integer({ min: -LIMIT, max: LIMIT })),
      step: fc.oneof(fc.constantFrom(1, -1, 2, -2, 5, 10, -25), fc.integer({ min: -1000, max: 1000 })),
      length: fc.integer({ min: 1, max: 30 }),
    }),
    { maxLength: 8 },
  )
  .map((parts) =>
    unique(
      parts.flatMap(({ start, step, length }) =>
        Array.from({ length }, (_, k) => start + k * step).filter((f) => Math.abs(f) <= LIMIT),
      ),
    ),
  );

describe('formatFrameSet', () => {
  it.each<[number[], string]>([
    [[], ''],
    [[7], '7'],
    [[0], '0'],
    [[-3], '-3'],
    [[1, 2, 3, 4, 5], '1-5'],
    [[5, 4, 3, 2, 1], '5-1'],
    [[1, 3, 5, 7, 9], '1-9x2'],
    [[100, 95, 90, 85], '100-85x5'],
    [[-10, -9, -8, -7, -6, -5, -4, -3, -2, -1], '-10--1'],
    [[-3, -2, -1, 0, 1, 2], '-3-2'],
    [[2, 1, 0, -1, -2, -3], '2--3'],
    [[1, 5, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], '1,5,10-20'],
    [[9, 10], '9,10'],
    [[1, 2, 3], '1-3'],
    [[1, 5], '1,5'],
    [[1, 5, 9], '1,5,9'],
    [[1, 5, 9, 13], '1-13x4'],
    [[7, 5, 3, 1, 2, 4], '7-1x2,2,4'],
    [[5, 3, 1, 2, 4], '5,3,1,2,4'],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16], '1-9,10-16x2'],
    [[-1_000_000_000, 1_000_000_000], '-1000000000,1000000000'],
  ])('%j → %j', (frames, text) => {
    expect(formatFrameSet(frames)).toBe(text);
    roundTrip(frames);
  });

  it('writes a million frames as one range, quickly', () => {
    const frames = Array.from({ length: MAX_FRAMES }, (_, i) => i + 1);
    const start = performance.now();
    expect(formatFrameSet(frames)).toBe('1-1000000');
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('refuses what no text can stand for', () => {
    expect(() => formatFrameSet([1, 1.5])).toThrow(RangeError);
    expect(() => formatFrameSet([Number.NaN])).toThrow(RangeError);
    expect(() => formatFrameSet([2 ** 53])).toThrow(RangeError);
  });

  it('does not write a repeated frame as a zero step', () => {
    expect(formatFrameSet([3, 3, 3])).toBe('3,3,3');
  });
});

describe('formatFrameSet properties', () => {
  it('round-trips arrays of unique frames', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: -LIMIT, max: LIMIT }), { maxLength: 60 }), roundTrip), {
      numRuns: 3000,
    });
  });

  it('round-trips dense sets around zero (negatives, short runs, both directions)', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: -25, max: 25 }), { maxLength: 51 }), roundTrip), {
      numRuns: 5000,
    });
  });

  it('round-trips runs of any step and direction', () => {
    fc.assert(fc.property(runs, roundTrip), { numRuns: 3000 });
  });

  it('round-trips sorted sets with gaps', () => {
    const sorted = fc
      .uniqueArray(fc.integer({ min: -200, max: 200 }), { maxLength: 120 })
      .chain((xs) => fc.boolean().map((down) => xs.sort((a, b) => (down ? b - a : a - b))));
    fc.assert(fc.property(sorted, roundTrip), { numRuns: 2000 });
  });

  it('is as short as the best split into runs', () => {
    const small = fc.oneof(
      fc.uniqueArray(fc.integer({ min: -12, max: 12 }), { maxLength: 9 }),
      runs.map((frames) => frames.slice(0, 12)),
    );
    fc.assert(
      fc.property(small, (frames) => {
        expect(formatFrameSet(frames).length).toBe(shortestLength(frames));
      }),
      { numRuns: 3000 },
    );
  });

  it('never writes spaces, and only digits, "-", "x" and ","', () => {
    fc.assert(
      fc.property(runs, (frames) => {
        expect(formatFrameSet(frames)).toMatch(/^[-0-9x,]*$/);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('formatFrameSet on other farms\' forms', () => {
  it('round-trips what interleave, y, negative steps and a..b parse to', () => {
    const forms = fc
      .tuple(fc.integer({ min: -100, max: 100 }), fc.integer({ min: -80, max: 80 }), fc.integer({ min: 1, max: 40 }), fc.constantFrom('x', 'y', ':', '..'))
      .map(([start, span, step, mark]) => {
        const end = start + span;
        if (mark === '..') return `${start}..${end}`;
        return `${start}-${end}${mark}${end < start ? -step : step}`;
      });
    fc.assert(
      fc.property(fc.array(forms, { minLength: 1, maxLength: 4 }), (items) => {
        const parsed = parseFrameSet(items.join(','));
        if (parsed.ok) roundTrip(parsed.frames);
      }),
      { numRuns: 2000 },
    );
  });
});

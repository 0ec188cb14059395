import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFrameSet, MAX_FRAMES, parseFrameSet, type FrameSetError } from './index';

/** Inclusive run from `a` to `b` (either direction) every `step`. */
function run(a: number, b: number, step = 1): number[] {
  const out: number[] = [];
  const delta = b >= a ? step : -step;
  for (let f = a; delta > 0 ? f <= b : f >= b; f += delta) out.push(f);
  return out;
}

/** OpenCue cuebot's FrameRange interleave, transcribed: passes of step, step/2 … 1, each adding new frames. */
function cuebotInterleave(a: number, b: number, step: number): number[] {
  const out = new Set<number>();
  for (let s = step; s !== 0; s = Math.trunc(s / 2)) for (const f of run(a, b, Math.abs(s))) out.add(f);
  return [...out];
}

/** OpenCue's and fileseq's `y`: the frames of the range an `x` pass of the same step leaves out. */
function inverted(a: number, b: number, step: number): number[] {
  const stepped = new Set(run(a, b, step));
  return run(a, b).filter((f) => !stepped.has(f));
}

function frames(text: string): number[] {
  const result = parseFrameSet(text);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse: ${result.error.message}`);
  return result.frames;
}

function error(text: string): FrameSetError {
  const result = parseFrameSet(text);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to fail, got ${result.frames.join(',')}`);
  return result.error;
}

/** What a UI relies on: the column points into the text and the token is what lies there. */
function wellFormed(text: string, e: FrameSetError): string | null {
  if (e.message.length === 0) return 'empty message';
  if (!Number.isInteger(e.column) || e.column < 1 || e.column > Math.max(1, text.length)) return `column ${e.column} outside the text`;
  if (text.slice(e.column - 1, e.column - 1 + e.token.length) !== e.token) return `token ${JSON.stringify(e.token)} not at column ${e.column}`;
  if (text.trim() !== '' && e.token.length === 0) return 'empty token';
  return null;
}

function expectWellFormed(text: string, e: FrameSetError): void {
  expect(wellFormed(text, e)).toBeNull();
}

describe('parseFrameSet syntax', () => {
  it.each<[string, number[]]>([
    ['7', [7]],
    ['0', [0]],
    ['-0', [0]],
    ['007', [7]],
    ['1-100', run(1, 100)],
    ['1,5,10-20', [1, 5, ...run(10, 20)]],
    ['1 5 10-20', [1, 5, ...run(10, 20)]],
    ['1-100x5', run(1, 96, 5)],
    ['1-100X5', run(1, 96, 5)],
    // `:` is interleave (OpenCue, fileseq), not a step: every frame, the coarse pass first.
    ['1-10:5', [1, 6, 3, 5, 7, 9, 2, 4, 8, 10]],
    ['1-10x4', [1, 5, 9]],
    ['1-10x100', [1]],
    ['5-5', [5]],
    ['5-5x3', [5]],
    ['100-1', run(100, 1)],
    ['100-1x5', run(100, 5, 5)],
    ['10-1:-5', [10, 5, 8, 6, 4, 2, 9, 7, 3, 1]],
    ['-10--1', run(-10, -1)],
    ['-1--10', run(-1, -10)],
    ['-5-5', run(-5, 5)],
    ['5--5', run(5, -5)],
    ['-3', [-3]],
    ['-3,-1', [-3, -1]],
    ['-10--1x3', [-10, -7, -4, -1]],
    ['1 - 10 , 20', [...run(1, 10), 20]],
    ['  1-3  ', [1, 2, 3]],
    ['1 -3', [1, -3]],
    ['1 - 3', [1, 2, 3]],
    ['1- 3', [1, 2, 3]],
    ['1-3 -5', [1, 2, 3, -5]],
    ['-10 --1', run(-10, -1)],
    ['1 - -3', [1, 0, -1, -2, -3]],
    ['1-10 x 3', [1, 4, 7, 10]],
    ['1-10 :3', [1, 4, 7, 10, 2, 3, 5, 6, 8, 9]],
    ['1,\t2\n3 ,4', [1, 2, 3, 4]],
    ['1\u00a02', [1, 2]],
    ['1\u201310', run(1, 10)],
    ['5,3,5,1', [5, 3, 1]],
    ['1-5,3-8', run(1, 8)],
    ['10-1,1-20', [...run(10, 1), ...run(11, 20)]],
    ['1-10x2,1-10', [1, 3, 5, 7, 9, 2, 4, 6, 8, 10]],
    ['-1000000000,1000000000', [-1_000_000_000, 1_000_000_000]],
    ['1-10x99999999999999999999', [1]],
    // Blender's and Flamenco's ranges.
    ['1..100', run(1, 100)],
    ['1..10x3', [1, 4, 7, 10]],
    ['10..1', run(10, 1)],
    ['-5..-1', run(-5, -1)],
    ['1 .. 3, 7', [1, 2, 3, 7]],
    // Negative steps that agree with the direction (OpenCue requires them for descending ranges).
    ['10-1x-1', run(10, 1)],
    ['8-1x-2', [8, 6, 4, 2]],
    ['100-1x-25', [100, 75, 50, 25]],
    // `y`: the frames an `x` pass of the same step skips (cuebot's and fileseq's own cases).
    ['1-8y2', [2, 4, 6, 8]],
    ['8-1y-2', [7, 5, 3, 1]],
    ['1-10y3', [2, 3, 5, 6, 8, 9]],
    ['1-10Y3', [2, 3, 5, 6, 8, 9]],
    ['1-10x3,1-10y3', run(1, 10, 3).concat([2, 3, 5, 6, 8, 9])],
    // Interleave cases from cuebot's FrameRangeTests and its algorithm.
    ['1-10:1', run(1, 10)],
    ['1-10:100', [1, 7, 4, 10, 2, 3, 5, 6, 8, 9]],
    ['1-20:8', [1, 9, 17, 5, 13, 3, 7, 11, 15, 19, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20]],
    ['10-1:5', [10, 5, 8, 6, 4, 2, 9, 7, 3, 1]],
    ['1-10:5,3', [1, 6, 3, 5, 7, 9, 2, 4, 8, 10]],
    ['1..9:4', [1, 5, 9, 3, 7, 2, 4, 6, 8]],
  ])('%j', (text, expected) => {
    expect(frames(text)).toEqual(expected);
  });

  it('parses a million frames in milliseconds', () => {
    const start = performance.now();
    const result = frames(`1-${MAX_FRAMES}`);
    const elapsed = performance.now() - start;
    expect(result.length).toBe(MAX_FRAMES);
    expect(result[0]).toBe(1);
    expect(result[MAX_FRAMES - 1]).toBe(MAX_FRAMES);
    // Generous for a loaded CI machine; it takes about 10 ms.
    expect(elapsed).toBeLessThan(500);
  });

  it('deduplicates overlapping items however far apart they are', () => {
    expect(frames('-1000000000,1000000000,-1000000000-999999000x100000,5,5')).toEqual([
      -1_000_000_000,
      1_000_000_000,
      ...run(-1_000_000_000, 999_900_000, 100_000).slice(1),
      5,
    ]);
    const overlapping = frames('1-400000,200000-600000');
    expect(overlapping.length).toBe(600_000);
    expect(overlapping[399_999]).toBe(400_000);
    expect(overlapping[400_000]).toBe(400_001);
  });
});

describe('parseFrameSet errors', () => {
  it.each<[string, string, number, string]>([
    ['', 'frame set is empty', 1, ''],
    ['   ', 'frame set is empty', 1, ''],
    ['1-x', '"1-x": expected a frame number at column 3', 3, 'x'],
    ['abc', '"abc": expected a frame number at column 1', 1, 'abc'],
    ['1, x', '"x": expected a frame number at column 4', 4, 'x'],
    ['--5', '"--5": expected a frame number at column 2', 2, '-5'],
    ['-', '"-": expected a frame number after "-" at column 1', 1, '-'],
    ['- 5', '"-": expected a frame number after "-" at column 1', 1, '-'],
    ['1-', '"1-": expected a frame number after "-" at column 2', 2, '-'],
    ['1 - ', '"1 -": expected a frame number after "-" at column 3', 3, '-'],
    ['1-,2', '"1-": expected a frame number after "-" at column 2', 2, '-'],
    ['1-10x0', '"1-10x0": step must be at least 1 at column 6', 6, '0'],
    ['1-10:00', '"1-10:00": step must be at least 1 at column 6', 6, '00'],
    ['1-10x-2', '"1-10x-2": a negative step needs a range that counts down, e.g. 10-1x-2 (or 1-10x2) at column 6', 6, '-2'],
    ['1-10x', '"1-10x": expected a step after "x" at column 5', 5, 'x'],
    ['1-10x,2', '"1-10x": expected a step after "x" at column 5', 5, 'x'],
    ['1-10xa', '"1-10xa": expected a step number at column 6', 6, 'a'],
    ['1-10x-', '"1-10x-": expected a step number at column 6', 6, '-'],
    ['1-10x1.5', '"1-10x1.5": steps are whole numbers at column 6', 6, '1.5'],
    ['1.5', '"1.5": frames are whole numbers at column 1', 1, '1.5'],
    ['1-2.5', '"1-2.5": frames are whole numbers at column 3', 3, '2.5'],
    ['-1.', '"-1.": frames are whole numbers at column 1', 1, '-1.'],
    ['1..', '"1..": expected a frame number after ".." at column 2', 2, '..'],
    ['1...5', '"1...5": expected a frame number at column 4', 4, '.5'],
    ['1-10x-1', '"1-10x-1": a negative step needs a range that counts down, e.g. 10-1x-1 (or 1-10x1) at column 6', 6, '-1'],
    ['1-10:-5', '"1-10:-5": a negative step needs a range that counts down, e.g. 10-1:-5 (or 1-10:5) at column 6', 6, '-5'],
    ['1-10y1', '"1-10y1": y1 skips every frame of this range, leaving none (y renders the frames x1 skips) at column 5', 5, 'y1'],
    ['5-5y2', '"5-5y2": y2 skips every frame of this range, leaving none (y renders the frames x2 skips) at column 4', 4, 'y2'],
    ['5y2', '"5y2": a step needs a range, e.g. 1-100x5 at column 2', 2, 'y2'],
    ['1-10x-0', '"1-10x-0": step must be at least 1 at column 6', 6, '-0'],
    ['1,', '"1,": expected a frame number after "," at column 2', 2, ','],
    ['1-10 , ', '"1-10 ,": expected a frame number after "," at column 6', 6, ','],
    ['1,,2', '"1,,": expected a frame number between the commas at column 3', 3, ','],
    ['1, ,2', '"1, ,": expected a frame number between the commas at column 4', 4, ','],
    [',1', '",": expected a frame number before "," at column 1', 1, ','],
    ['5x2', '"5x2": a step needs a range, e.g. 1-100x5 at column 2', 2, 'x2'],
    ['5 :2', '"5 :2": a step needs a range, e.g. 1-100x5 at column 3', 3, ':2'],
    ['1-5-9', '"1-5-9": unexpected "-" at column 4', 4, '-9'],
    ['1-10y', '"1-10y": expected a step after "y" at column 5', 5, 'y'],
    ['12abc', '"12abc": unexpected "a" at column 3', 3, 'abc'],
    ['1e5', '"1e5": unexpected "e" at column 2', 2, 'e5'],
    ['1;2', '"1;2": unexpected ";" at column 2', 2, ';2'],
    [
      '1000000001',
      '"1000000001": frame numbers must be between -1,000,000,000 and 1,000,000,000 at column 1',
      1,
      '1000000001',
    ],
    [
      '1--1000000001',
      '"1--1000000001": frame numbers must be between -1,000,000,000 and 1,000,000,000 at column 3',
      3,
      '-1000000001',
    ],
    [
      '9007199254740993',
      '"9007199254740993": frame numbers must be between -1,000,000,000 and 1,000,000,000 at column 1',
      1,
      '9007199254740993',
    ],
    ['1-2000000', '1-2000000 has 2,000,000 frames; Spool renders at most 1,000,000 per job', 1, '1-2000000'],
    [
      '5, -1000000000 - 1000000000',
      '-1000000000 - 1000000000 has 2,000,000,001 frames; Spool renders at most 1,000,000 per job',
      4,
      '-1000000000 - 1000000000',
    ],
    [
      '1-600000,1-600000,7',
      'this frame set lists 1,200,001 frames; Spool renders at most 1,000,000 per job',
      10,
      '1-600000',
    ],
  ])('%j', (text, message, column, token) => {
    const e = error(text);
    expect(e).toEqual({ message, column, token });
    expectWellFormed(text, e);
  });

  it(`accepts exactly ${MAX_FRAMES} frames and refuses one more`, () => {
    expect(frames(`1-${MAX_FRAMES}`).length).toBe(MAX_FRAMES);
    expect(frames(`0-${2 * MAX_FRAMES - 2}x2`).length).toBe(MAX_FRAMES);
    expect(error(`0-${MAX_FRAMES}`).message).toBe('0-1000000 has 1,000,001 frames; Spool renders at most 1,000,000 per job');
    expect(error(`1-${MAX_FRAMES},0`).column).toBe(11);
  });

  it('refuses absurd sets without expanding them', () => {
    // Two billion frames per item, a thousand times over: only counting can answer this quickly.
    const text = Array.from({ length: 1000 }, () => '-1000000000-1000000000x2').join(',');
    const start = performance.now();
    expect(error(text).message).toMatch(/^-1000000000-1000000000x2 has 1,000,000,001 frames/);
    const many = Array.from({ length: 1000 }, () => '1-999999').join(' ');
    expect(error(many).message).toBe('this frame set lists 999,999,000 frames; Spool renders at most 1,000,000 per job');
    expect(performance.now() - start).toBeLessThan(500);
  });

  it('reports the first problem in the text', () => {
    expect(error('1-x, 2-y').column).toBe(3);
    expect(error('1-2000000, x').column).toBe(1);
    // The total is only known at the end, so a later typo is reported first.
    expect(error('1-600000, 1-600000, x').column).toBe(21);
  });
});

describe('parseFrameSet properties', () => {
  const grammarChar = fc.constantFrom(...'0123456789-–,:xXyY. \t'.split(''), '1', '5', '-', ',', '..');

  // One expect per run: thousands of runs through the matcher machinery would dominate the time.
  function expectSound(text: string): void {
    const result = parseFrameSet(text);
    expect(result.ok ? soundFrames(result.frames) : wellFormed(text, result.error)).toBeNull();
  }

  function soundFrames(frames: number[]): string | null {
    if (frames.length === 0 || frames.length > MAX_FRAMES) return `${frames.length} frames`;
    if (new Set(frames).size !== frames.length) return 'repeated frames';
    const bad = frames.find((f) => !Number.isSafeInteger(f) || Math.abs(f) > 1_000_000_000 || Object.is(f, -0));
    return bad === undefined ? null : `bad frame ${bad}`;
  }

  it('never throws on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), expectSound), { numRuns: 5000 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), expectSound), { numRuns: 2000 });
  });

  it('never throws on strings made of the grammar characters', () => {
    fc.assert(fc.property(fc.string({ unit: grammarChar, maxLength: 24 }), expectSound), { numRuns: 10_000 });
  });

  it('formats whatever it parses back to the same frames', () => {
    fc.assert(
      fc.property(fc.string({ unit: grammarChar, minLength: 1, maxLength: 24 }), (text) => {
        const first = parseFrameSet(text);
        if (!first.ok) return;
        const again = parseFrameSet(formatFrameSet(first.frames));
        expect(again.ok && again.frames.length === first.frames.length && again.frames.every((f, i) => f === first.frames[i])).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  const spaces = fc.constantFrom('', '', ' ', '  ', '\t');
  const item = fc.record({
    start: fc.integer({ min: -60, max: 60 }),
    span: fc.option(fc.integer({ min: -40, max: 40 })),
    step: fc.option(fc.integer({ min: 1, max: 12 })),
    dash: fc.constantFrom('-', '-', '\u2013'),
    mark: fc.constantFrom('x', 'X', ':', 'y'),
    negative: fc.boolean(),
    pad: fc.tuple(spaces, spaces, spaces, spaces),
  });
  const separator = fc.constantFrom(',', ' ', ', ', ' ,', ' , ', '\n');

  it('reads every well-formed set as typed, in order, without repeats', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(item, separator), { minLength: 1, maxLength: 8 }), spaces, (parts, lead) => {
        let text = lead;
        const expected: number[] = [];
        const seen = new Set<number>();
        parts.forEach(([{ start, span, step, dash, mark, negative, pad }, sep], i) => {
          if (i > 0) text += sep;
          let item = String(start);
          let frames = [start];
          if (span !== null) {
            const end = start + span;
            // A space before a minus sign touching its digits makes a new item (`1 -5`), so pad after it.
            const after = pad[0] !== '' && dash === '-' && pad[1] === '' && end >= 0 ? ' ' : pad[1];
            item += `${pad[0]}${dash}${after}${end}`;
            frames = run(start, end, step ?? 1);
            // `y` that leaves nothing is refused; it is tested on its own.
            const walk = mark === 'y' && step !== null && inverted(start, end, step).length === 0 ? 'x' : mark;
            if (step !== null) {
              // A negative step only where it agrees with the direction.
              const signed = negative && end < start ? -step : step;
              item += `${pad[2]}${walk}${pad[3]}${signed}`;
              if (walk === ':') frames = cuebotInterleave(start, end, signed);
              if (walk === 'y') frames = inverted(start, end, step);
            }
          }
          text += item;
          for (const f of frames) {
            if (seen.has(f)) continue;
            expected.push(f);
            seen.add(f);
          }
        });
        expect(frames(text)).toEqual(expected);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('parseFrameSet other farms\' forms', () => {
  const range = fc.record({
    start: fc.integer({ min: -200, max: 200 }),
    span: fc.integer({ min: -150, max: 150 }),
    step: fc.integer({ min: 1, max: 300 }),
  });

  it('interleave renders each frame of the range exactly once, the coarse pass first, in cuebot\'s order', () => {
    fc.assert(
      fc.property(range, fc.boolean(), ({ start, span, step }, negative) => {
        const end = start + span;
        const signed = negative && end < start ? -step : step;
        const got = frames(`${start}-${end}:${signed}`);
        const full = run(start, end);
        const coarse = run(start, end, step);
        const ok =
          got.length === full.length &&
          new Set(got).size === got.length &&
          got.every((f) => Math.min(start, end) <= f && f <= Math.max(start, end)) &&
          coarse.every((f, i) => got[i] === f) &&
          got.every((f, i) => f === cuebotInterleave(start, end, signed)[i]);
        expect(ok).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('an x pass and the y pass of the same step are the whole range, without overlap', () => {
    fc.assert(
      fc.property(range, ({ start, span, step }) => {
        const end = start + span;
        const x = frames(`${start}-${end}x${step}`);
        const y = parseFrameSet(`${start}-${end}y${step}`);
        const full = run(start, end);
        if (x.length === full.length) {
          // Nothing left to fill: y refuses rather than render an empty job.
          expect(y.ok).toBe(false);
          return;
        }
        if (!y.ok) throw new Error(y.error.message);
        const both = frames(`${start}-${end}x${step},${start}-${end}y${step}`);
        const ok = x.length + y.frames.length === full.length && both.length === full.length && [...both].sort((a, b) => a - b).every((f, i) => f === Math.min(start, end) + i);
        expect(ok).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a..b as a-b, and a negative step that agrees with the direction as its magnitude', () => {
    fc.assert(
      fc.property(range, fc.constantFrom('x', 'y', ':'), ({ start, span, step }, mark) => {
        const end = start + span;
        const plain = parseFrameSet(`${start}-${end}${mark}${step}`);
        const dotted = parseFrameSet(`${start}..${end}${mark}${step}`);
        const negative = parseFrameSet(`${start}-${end}${mark}-${step}`);
        // Refusals (a y leaving nothing) differ only in the column they name.
        if (!plain.ok) expect(dotted.ok || (end < start && negative.ok)).toBe(false);
        else expect(dotted).toEqual(plain);
        if (end < start && plain.ok) expect(negative).toEqual(plain);
        else if (end > start) expect(parseFrameSet(`${start}-${end}${mark}-${step}`).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('interleaves a million frames, each once', () => {
    const got = frames(`1-${MAX_FRAMES}:1000`);
    expect(got.length).toBe(MAX_FRAMES);
    expect(got.slice(0, 3)).toEqual([1, 1001, 2001]);
    const seen = new Uint8Array(MAX_FRAMES + 1);
    for (const f of got) seen[f]!++;
    expect(seen.slice(1).every((n) => n === 1)).toBe(true);
    expect(error(`0-${MAX_FRAMES}:10`).message).toBe('0-1000000:10 has 1,000,001 frames; Spool renders at most 1,000,000 per job');
  });
});

describe('parseFrameSet warnings', () => {
  function warnings(text: string): string[] {
    const result = parseFrameSet(text);
    if (!result.ok) throw new Error(result.error.message);
    for (const w of result.warnings) expectWellFormed(text, w);
    return result.warnings.map((w) => `${w.column}:${JSON.stringify(w.token)} ${w.message}`);
  }

  it('warns where a space alone separates two numbers', () => {
    expect(warnings('1 10')).toEqual(['2:" " a space separates 1 and 10: both are rendered, not the frames between; write 1,10 or 1-10 to be clear']);
    expect(warnings('5,1  -3')).toEqual(['4:"  " a space separates 1 and -3: both are rendered, not the frames between; write 1,-3 or 1--3 to be clear']);
    expect(warnings('1 2 3')).toHaveLength(2);
  });

  it('does not warn for commas, ranges, or spaces inside an item', () => {
    for (const text of ['1,10', '1, 10', '1 ,10', '1 - 10', '1-5 10', '1 10-20', '1-10 x 2', '7']) expect(warnings(text), text).toEqual([]);
  });
});

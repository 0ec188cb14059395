import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coveringRun, expandPattern, hasFramePlaceholder, padFrame, splitPattern } from './output-pattern';

describe('expandPattern', () => {
  it('replaces the last # run with the zero-padded frame', () => {
    expect(expandPattern('/out/shot_####.png', 7)).toBe('/out/shot_0007.png');
    expect(expandPattern('/out/shot_####', 12)).toBe('/out/shot_0012');
    expect(expandPattern('/out/a#b###c', 3)).toBe('/out/a#b003c');
    expect(expandPattern('/out/f_#', 5)).toBe('/out/f_5');
  });

  it('lets a frame wider than the run keep all its digits', () => {
    expect(expandPattern('/out/f_##', 123)).toBe('/out/f_123');
  });

  it('puts the sign of a negative frame before the padding', () => {
    expect(expandPattern('/out/f_####.exr', -1)).toBe('/out/f_-0001.exr');
    expect(padFrame(-42, 2)).toBe('-42');
    expect(padFrame(0, 3)).toBe('000');
  });

  it('treats # in folder names as literal, as Blender does', () => {
    // Blender 3.4 here: `-o /tmp/spx/o8/shot_##/img` saved '/tmp/spx/o8/shot_##/img0003.png'.
    expect(hasFramePlaceholder('/out/shot_##/img')).toBe(false);
    expect(expandPattern('/out/shot_##/img', 3)).toBe('/out/shot_##/img');
    expect(expandPattern('/out/shot_##/img_##', 3)).toBe('/out/shot_##/img_03');
    expect(expandPattern('C:\\out\\v##\\img_###.png', 4)).toBe('C:\\out\\v##\\img_004.png');
  });

  it('returns a pattern without placeholder unchanged', () => {
    expect(hasFramePlaceholder('/out/still.png')).toBe(false);
    expect(expandPattern('/out/still.png', 9)).toBe('/out/still.png');
    expect(splitPattern('/out/still.png')).toBeNull();
  });

  it('splits into head, digits and tail', () => {
    expect(splitPattern('/o/a_###.v2.exr')).toEqual({ head: '/o/a_', digits: 3, tail: '.v2.exr' });
  });

  it('always yields a path whose digits read back as the frame', () => {
    fc.assert(
      fc.property(fc.integer({ min: -99999, max: 999999 }), fc.integer({ min: 1, max: 8 }), (frame, digits) => {
        const out = expandPattern(`/o/x_${'#'.repeat(digits)}.png`, frame);
        const m = /^\/o\/x_(-?\d+)\.png$/.exec(out);
        expect(m).not.toBeNull();
        expect(Number(m![1])).toBe(frame);
        expect(m![1]!.replace('-', '').length).toBeGreaterThanOrEqual(digits);
      }),
    );
  });
});

describe('coveringRun', () => {
  it('covers a run, and a retry with a hole, with the largest common step', () => {
    expect(coveringRun([5])).toEqual({ start: 5, end: 5, step: 1 });
    expect(coveringRun([1, 2, 3])).toEqual({ start: 1, end: 3, step: 1 });
    expect(coveringRun([2, 4, 8])).toEqual({ start: 2, end: 8, step: 2 });
    expect(coveringRun([10, 1, 4])).toEqual({ start: 1, end: 10, step: 3 });
    expect(coveringRun([1, 2, 4])).toEqual({ start: 1, end: 4, step: 1 });
  });
});

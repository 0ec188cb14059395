import { describe, expect, it } from 'vitest';
import { parseFrameSet } from '../../../src-main/engine/frames';
import { hasPreviewPass, withoutPreviewPass, withPreviewPass } from './preview-pass';

describe('preview pass first', () => {
  it.each<[string, string | null]>([
    ['1-100', '1-100:8'],
    ['1001-1240', '1001-1240:16'],
    ['1..250', '1..250:16'],
    ['100-1', '100-1:8'],
    ['1-10', '1-10:2'],
    ['1-100:8', '1-100:8'],
    ['1-5', null],
    ['1-100x2', null],
    ['1-10,20', null],
    ['7', null],
    ['', null],
  ])('%j → %j', (text, expected) => {
    expect(withPreviewPass(text)).toBe(expected);
  });

  it('renders every frame of the range, the coarse pass first', () => {
    const parsed = parseFrameSet(withPreviewPass('1-100')!);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.frames.length).toBe(100);
    expect(parsed.frames.slice(0, 13)).toEqual([1, 9, 17, 25, 33, 41, 49, 57, 65, 73, 81, 89, 97]);
  });

  it('is seen in the text, and taken back out', () => {
    expect(hasPreviewPass('1-100:8')).toBe(true);
    expect(hasPreviewPass('1-100')).toBe(false);
    expect(hasPreviewPass('1-100x8')).toBe(false);
    expect(withoutPreviewPass('1-100:8')).toBe('1-100');
    expect(withoutPreviewPass('1-100 : 8 ')).toBe('1-100');
  });
});

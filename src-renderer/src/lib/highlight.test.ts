import { describe, expect, it } from 'vitest';
import { parseAnsi } from './ansi';
import { highlightSegments } from './highlight';

describe('highlightSegments', () => {
  it('marks every case-insensitive match', () => {
    const parts = highlightSegments(parseAnsi('Saved: a, saved: b').segments, 'SAVED');
    expect(parts.filter((p) => p.match).map((p) => p.text)).toEqual(['Saved', 'saved']);
    expect(parts.map((p) => p.text).join('')).toBe('Saved: a, saved: b');
  });

  it('marks a match that spans a colour change, keeping each part its colour', () => {
    const parts = highlightSegments(parseAnsi('\x1b[31mErr\x1b[0mor here').segments, 'error');
    expect(parts.map((p) => [p.text, p.match, p.style?.fg ?? null])).toEqual([
      ['Err', true, 'var(--ansi-red)'],
      ['or', true, null],
      [' here', false, null],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { formatDuration } from './format-duration';
import { LineSplitter } from './line-splitter';

function splitAll(chunks: (string | number[])[], maxLineLength?: number): string[] {
  const splitter = new LineSplitter(maxLineLength);
  const lines: string[] = [];
  for (const chunk of chunks) lines.push(...splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk)));
  lines.push(...splitter.end());
  return lines;
}

describe('LineSplitter', () => {
  it('breaks on \\n, \\r\\n and a lone \\r, keeping empty lines', () => {
    expect(splitAll(['a\nb\r\nc\rd\n\ne'])).toEqual(['a', 'b', 'c', 'd', '', 'e']);
  });

  it('treats \\r\\n cut between chunks as one break', () => {
    expect(splitAll(['a\r', '\nb\r', '\r', '\n'])).toEqual(['a', 'b', '']);
    expect(splitAll(['a\r', 'b'])).toEqual(['a', 'b']);
  });

  it('joins a line and a UTF-8 character cut across chunks', () => {
    const bytes = [...Buffer.from('héllo 🎬 end\n')];
    // every possible cut point, including inside the 2- and 4-byte characters
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(splitAll([bytes.slice(0, cut), bytes.slice(cut)])).toEqual(['héllo 🎬 end']);
    }
    expect(splitAll(bytes.map((b) => [b]))).toEqual(['héllo 🎬 end']);
  });

  it('keeps a last line without a break, and nothing when the stream ends on one', () => {
    expect(splitAll(['x\ny'])).toEqual(['x', 'y']);
    expect(splitAll(['x\n'])).toEqual(['x']);
    expect(splitAll([])).toEqual([]);
  });

  it('cuts an endless line into bounded pieces', () => {
    expect(splitAll(['abcdefg', 'hi', 'j\n'], 4)).toEqual(['abcd', 'efgh', 'ij']);
  });
});

describe('formatDuration', () => {
  it.each([
    [250, '250 ms'],
    [1000, '1 s'],
    [1500, '1.5 s'],
    [30_000, '30 s'],
    [59_990, '1 min'],
    [600_000, '10 min'],
    [125_000, '2 min 5 s'],
    [3_600_000, '1 h'],
    [5_400_000, '1 h 30 min'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

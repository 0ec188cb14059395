import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter';
import { LogBytes, normalizeLineBreaks } from './log-bytes';

function logOf(chunks: Buffer[]): Buffer {
  const bytes = new LogBytes();
  const out: Buffer[] = [];
  for (const chunk of chunks) {
    const ready = bytes.take(chunk);
    if (ready) out.push(ready);
  }
  const last = bytes.end();
  if (last) out.push(last);
  return Buffer.concat(out);
}

function linesOf(chunks: Buffer[]): string[] {
  const splitter = new LineSplitter();
  return [...chunks.flatMap((c) => splitter.push(c)), ...splitter.end()];
}

/** Cuts a buffer at the given offsets: how a pipe may deliver it. */
function cut(all: Buffer, offsets: number[]): Buffer[] {
  const points = [...new Set(offsets.map((o) => o % (all.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of [...points, all.length]) {
    if (p > from) chunks.push(all.subarray(from, p));
    from = Math.max(from, p);
  }
  return chunks;
}

describe('LogBytes', () => {
  it('passes whole lines through as the child wrote them and holds a partial line', () => {
    const bytes = new LogBytes();
    expect(bytes.take(Buffer.from('one\ntw'))?.toString()).toBe('one\n');
    expect(bytes.take(Buffer.from('o'))).toBeNull();
    expect(bytes.take(Buffer.from('\r50%\rthree'))?.toString()).toBe('two\r50%\r');
    expect(bytes.end()?.toString()).toBe('three\n');
    expect(bytes.end()).toBeNull();
  });

  it('keeps UTF-8 cut across chunks intact', () => {
    const euro = Buffer.from('prix €\n');
    expect(logOf(cut(euro, [5, 6, 7])).toString()).toBe('prix €\n');
  });

  it('read back, holds exactly the lines the splitter gave, however the bytes were cut', () => {
    const text = fc.array(fc.constantFrom('a', 'é', '€', ' ', '\n', '\r', '\r\n'), { maxLength: 60 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.array(fc.nat(200), { maxLength: 8 }), (s, offsets) => {
        const chunks = cut(Buffer.from(s), offsets);
        const expected = linesOf(chunks).map((l) => `${l}\n`).join('');
        expect(normalizeLineBreaks(logOf(chunks).toString('utf8'))).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

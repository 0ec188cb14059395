import { describe, expect, it } from 'vitest';
import { newTailLines, SKIPPED_MARKER } from './log-tail';

/** The tail of `log` the way the Manager serves it: its last `limit` bytes, cut anywhere. */
function tail(log: string, limit: number): string {
  const bytes = Buffer.from(log, 'utf8');
  return bytes.subarray(Math.max(0, bytes.length - limit)).toString('utf8');
}

describe('logtail windows into new lines', () => {
  it('drops the cut first line of a full window, even when the cut splits a character', () => {
    const log = 'ééééé first\nsecond\nthird\n';
    const window = tail(log, 20); // starts inside the é's
    expect(newTailLines(null, window, 20).lines).toEqual([SKIPPED_MARKER, 'second', 'third']);
  });

  it('keeps a line without its newline for the next poll, and reads CRLF lines', () => {
    const first = newTailLines(null, 'pid=1 > one\r\npid=1 > tw', 2048);
    expect(first.lines).toEqual(['one']);
    const second = newTailLines(first.cursor, 'pid=1 > one\r\npid=1 > two\r\n', 2048);
    expect(second.lines).toEqual(['two']);
  });

  it('follows a log through overlapping full windows', () => {
    let log = '';
    let cursor: string | null = null;
    const seen: string[] = [];
    for (let i = 0; i < 40; i++) {
      log += `line ${i}\n`;
      const poll = newTailLines(cursor, tail(log, 32), 32);
      seen.push(...poll.lines);
      cursor = poll.cursor;
    }
    expect(seen).toEqual(Array.from({ length: 40 }, (_, i) => `line ${i}`));
  });

  it('treats an unreadable cursor as none', () => {
    expect(newTailLines('not-a-cursor', 'a\n', 2048).lines).toEqual(['a']);
  });
});

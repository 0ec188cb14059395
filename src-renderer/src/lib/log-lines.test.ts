import { describe, expect, it } from 'vitest';
import { LogIndex, searchPredicate } from './log-index';
import { dropOverlap, makeLine, parseStoredLog, type LogLine } from './log-lines';
import { RingBuffer } from './ring-buffer';

describe('parseStoredLog', () => {
  it('attributes lines to the attempt whose header precedes them', () => {
    const lines = parseStoredLog('--- attempt 3 (task 1)\nFra:1\nSaved\n--- attempt 5 (task 2): exit code 1\nError: boom\n');
    expect(lines.map((l) => [l.attemptId, l.stream, l.text, l.error])).toEqual([
      [3, 'meta', '--- attempt 3 (task 1)', false],
      [3, 'stdout', 'Fra:1', false],
      [3, 'stdout', 'Saved', false],
      [5, 'meta', '--- attempt 5 (task 2): exit code 1', true],
      [5, 'stdout', 'Error: boom', true],
    ]);
  });

  it('marks error lines by /error|fatal|failed/i', () => {
    expect(makeLine(1, 'stdout', 'FATAL: licence').error).toBe(true);
    expect(makeLine(1, 'stdout', 'render Failed').error).toBe(true);
    expect(makeLine(1, 'stdout', 'Fra:1 Mem:1M').error).toBe(false);
  });
});

describe('parseStoredLog headers', () => {
  it('reads the per-job attempt number and turns it into the attempt id from the log list', () => {
    const text = '--- attempt 1 of job 7 · chunk 1 (frames 1-4)\na\n--- attempt 2 of job 7 · chunk 1 (frames 1-4): exited with code 1\nb\n';
    const lines = parseStoredLog(text, [
      { id: 35, number: 1 },
      { id: 41, number: 2 },
    ]);
    expect(lines.map((l) => [l.attemptId, l.stream, l.text])).toEqual([
      [35, 'meta', '--- attempt 1 of job 7 · chunk 1 (frames 1-4)'],
      [35, 'stdout', 'a'],
      [41, 'meta', '--- attempt 2 of job 7 · chunk 1 (frames 1-4): exited with code 1'],
      [41, 'stdout', 'b'],
    ]);
    expect(lines[2]!.error).toBe(true);
  });
});

describe('dropOverlap', () => {
  it('skips live lines the stored log already had, per attempt', () => {
    const stored = parseStoredLog('--- attempt 1 (task 1)\na\nb\nc\n');
    const live = [makeLine(1, 'stdout', 'b'), makeLine(1, 'stdout', 'c'), makeLine(1, 'stdout', 'd'), makeLine(2, 'stdout', 'x')];
    expect(dropOverlap(stored, live).map((l) => l.text)).toEqual(['d', 'x']);
  });

  it('is not thrown off by a skip notice among the live lines, which the re-read tail supersedes', () => {
    const stored = parseStoredLog('--- attempt 1 (task 1)\na\nb\nc\n');
    const notice: LogLine = { attemptId: 1, stream: 'meta', text: '[spool] 3 lines skipped here', plain: '[spool] 3 lines skipped here', error: false };
    const live = [notice, makeLine(1, 'stdout', 'b'), makeLine(1, 'stdout', 'c'), makeLine(1, 'stdout', 'd')];
    expect(dropOverlap(stored, live).map((l) => l.text)).toEqual(['d']);
    // A notice after the overlap speaks of lines the tail does not hold: it stays.
    const later = [makeLine(1, 'stdout', 'c'), notice, makeLine(1, 'stdout', 'e')];
    expect(dropOverlap(stored, later).map((l) => l.text)).toEqual([notice.text, 'e']);
  });

  it('keeps everything when nothing overlaps', () => {
    const stored = parseStoredLog('--- attempt 1 (task 1)\na\n');
    expect(dropOverlap(stored, [makeLine(1, 'stdout', 'z')]).map((l) => l.text)).toEqual(['z']);
  });
});

describe('LogIndex', () => {
  it('finds matches incrementally and forgets lines the ring dropped', () => {
    const ring = new RingBuffer<ReturnType<typeof makeLine>>(5);
    const index = new LogIndex(searchPredicate('saved')!);
    ring.pushAll(['Saved 1', 'x', 'Saved 2'].map((t) => makeLine(1, 'stdout', t)));
    index.sync(ring);
    expect([index.at(0), index.at(1)]).toEqual([0, 2]);
    ring.pushAll(['y', 'z', 'SAVED 3', 'w'].map((t) => makeLine(1, 'stdout', t)));
    index.sync(ring);
    // Line 0 fell out of the ring; absolute indices of the rest are unchanged.
    expect(index.length).toBe(2);
    expect([index.at(0), index.at(1)]).toEqual([2, 5]);
    expect(index.positionOf(5)).toBe(1);
    expect(index.positionOf(3)).toBe(1);
  });

  it('has no predicate for an empty query', () => {
    expect(searchPredicate('  ')).toBeNull();
  });
});

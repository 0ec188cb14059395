import { stripAnsi } from './ansi';

export interface LogLine {
  /** null: a line Spool wrote itself (attempt headers), not the DCC. */
  attemptId: number | null;
  stream: 'stdout' | 'stderr' | 'meta';
  text: string;
  /** `text` without escape sequences: what search and copy see. */
  plain: string;
  error: boolean;
  /** Characters left off the end of a very long line (the log file has it whole). */
  cut?: number;
}

const ERROR_LINE = /error|fatal|failed/i;
/** `--- attempt N of job J · chunk C (frames F): reason`, N counted within the job (older logs: `--- attempt ID (task T)`). */
const HEADER = /^--- attempt (\d+) (?:of job \d+ · [^:]*?|\(task \d+\))(?::\s?(.*))?$/;

export function makeLine(attemptId: number | null, stream: LogLine['stream'], text: string): LogLine {
  const plain = stripAnsi(text);
  return { attemptId, stream, text, plain, error: stream !== 'meta' && ERROR_LINE.test(plain) };
}

/**
 * Splits `jobs.log`'s text (each attempt's file after its `--- attempt N of job J · …` header)
 * into lines that know their attempt, so live lines can be matched up with stored ones. Headers
 * count attempts within the job; `attempts` (the log's own list) turns that number into the id.
 */
export function parseStoredLog(text: string, attempts: readonly { id: number; number: number }[] = []): LogLine[] {
  const idOf = new Map(attempts.map((a) => [a.number, a.id]));
  const lines: LogLine[] = [];
  let attempt: number | null = null;
  const raw = text.split(/\r?\n/);
  if (raw[raw.length - 1] === '') raw.pop();
  for (const line of raw) {
    const header = HEADER.exec(line);
    if (header) {
      attempt = idOf.get(Number(header[1])) ?? Number(header[1]);
      lines.push({ attemptId: attempt, stream: 'meta', text: line, plain: line, error: Boolean(header[2]) });
      continue;
    }
    // A DCC's progress lines end in \r; what is left after the last one is what a terminal shows.
    const shown = line.includes('\r') ? line.slice(line.lastIndexOf('\r') + 1) : line;
    lines.push(makeLine(attempt, 'stdout', shown));
  }
  return lines;
}

/**
 * Live lines that arrived while the stored log was being read may already be in it. For each
 * attempt, skip the longest prefix of the live lines that equals the stored tail.
 */
export function dropOverlap(stored: readonly LogLine[], live: readonly LogLine[]): LogLine[] {
  const byAttempt = new Map<number, string[]>();
  for (const line of stored) {
    if (line.attemptId === null || line.stream === 'meta') continue;
    let list = byAttempt.get(line.attemptId);
    if (!list) byAttempt.set(line.attemptId, (list = []));
    list.push(line.text);
  }
  const liveByAttempt = new Map<number, string[]>();
  for (const line of live) {
    // Skip notices are Spool's own lines, never in the file: they must not break the match.
    if (line.attemptId === null || line.stream === 'meta') continue;
    let list = liveByAttempt.get(line.attemptId);
    if (!list) liveByAttempt.set(line.attemptId, (list = []));
    list.push(line.text);
  }
  const skip = new Map<number, number>();
  for (const [attempt, liveTexts] of liveByAttempt) {
    const storedTexts = byAttempt.get(attempt) ?? [];
    let best = 0;
    // Bounded: live lines buffered during one fetch are few; a pathological repeat must not stall.
    const max = Math.min(storedTexts.length, liveTexts.length, 5000);
    for (let k = max; k > 0; k--) {
      let same = true;
      for (let i = 0; i < k; i++) {
        if (storedTexts[storedTexts.length - k + i] !== liveTexts[i]) {
          same = false;
          break;
        }
      }
      if (same) {
        best = k;
        break;
      }
    }
    skip.set(attempt, best);
  }
  const out: LogLine[] = [];
  for (const line of live) {
    const n = line.attemptId === null ? 0 : (skip.get(line.attemptId) ?? 0);
    if (n > 0) {
      // A notice among lines the file's tail already holds speaks of lines that tail now shows.
      if (line.stream !== 'meta') skip.set(line.attemptId!, n - 1);
      continue;
    }
    out.push(line);
  }
  return out;
}

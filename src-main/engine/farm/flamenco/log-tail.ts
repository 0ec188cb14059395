import { z } from 'zod';

/**
 * Flamenco serves a task's log only as its last 2048 bytes (`GET /tasks/{id}/logtail`,
 * `task_logs.go` tailSize), so successive polls see overlapping windows. This turns windows into
 * new lines, each line once, with the previous window kept behind an opaque cursor. Pure.
 *
 * - A window shorter than the limit is the whole log: the new lines are exactly those past the
 *   previous whole window, even when identical lines repeat.
 * - A full window starts mid-line: its first line is dropped (it was seen before, or is lost).
 *   The new lines follow the longest run of the previous window's last lines that starts it.
 * - A last line without its newline is still being written: it waits for the next poll.
 * - When nothing overlaps, lines went by between polls: a marker line says so.
 */

export const TAIL_BYTES = 2048;

export const SKIPPED_MARKER = '[spool] some lines of this farm log went by unseen: Flamenco serves only the last 2048 bytes of a task log';

// Flamenco's worker prefixes each line its command prints (`cli_runner.go`: "pid=%d > %s");
// without it the adapter parser sees the DCC's own line (Blender's `Saved: '…'`).
const WORKER_PREFIX = /^pid=\d+ > /;

export function workerLine(line: string): string {
  return line.replace(/\r$/, '').replace(WORKER_PREFIX, '');
}

const TailState = z.object({ whole: z.boolean(), lines: z.array(z.string()) });
type TailState = z.infer<typeof TailState>;

export function newTailLines(cursor: string | null, tail: string, tailBytes = TAIL_BYTES): { lines: string[]; cursor: string | null } {
  const previous = decodeCursor(cursor);
  if (tail === '') return { lines: [], cursor };
  const whole = Buffer.byteLength(tail, 'utf8') < tailBytes;
  const parts = tail.split('\n');
  parts.pop(); // '' after the last newline, or a line still being written
  if (!whole) parts.shift();
  const window = parts.map((line) => line.replace(/\r$/, ''));
  // Only a line longer than the whole window leaves nothing complete: keep the cursor as it was.
  if (window.length === 0) return { lines: [], cursor };

  let fresh: string[];
  let skipped = false;
  if (!previous) {
    fresh = window;
    skipped = !whole;
  } else if (previous.whole && whole && startsWith(window, previous.lines)) {
    fresh = window.slice(previous.lines.length);
  } else {
    const overlap = longestOverlap(previous.lines, window);
    fresh = window.slice(overlap);
    skipped = overlap === 0 && previous.lines.length > 0 && !whole;
  }
  const lines = fresh.map(workerLine);
  if (skipped && lines.length > 0) lines.unshift(SKIPPED_MARKER);
  return { lines, cursor: encodeCursor({ whole, lines: window }) };
}

function startsWith(lines: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= lines.length && prefix.every((line, i) => lines[i] === line);
}

/** The largest k such that the last k lines of `before` are the first k lines of `after`. */
function longestOverlap(before: readonly string[], after: readonly string[]): number {
  for (let k = Math.min(before.length, after.length); k > 0; k--) {
    let match = true;
    for (let i = 0; i < k && match; i++) match = before[before.length - k + i] === after[i];
    if (match) return k;
  }
  return 0;
}

function encodeCursor(state: TailState): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

/** An unreadable cursor (from an older Spool, or damaged) counts as none: lines may repeat once. */
function decodeCursor(cursor: string | null): TailState | null {
  if (!cursor) return null;
  try {
    const parsed = TailState.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

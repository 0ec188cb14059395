import type { Verdict } from '../lifecycle/outcome';
import type { SuperviseResult } from '../supervisor/types';

export type { Verdict };

export interface MissingFrame {
  frame: number;
  path: string | null;
  /** True if the file exists but is empty. */
  empty: boolean;
  /** True if the file was written but cut short (no end marker: a full disk). */
  incomplete?: boolean;
}

export interface AttemptFacts {
  result: SuperviseResult;
  /** The first error the adapter said fails the attempt whatever the exit code. */
  fatalError: { message: string; retryable: boolean } | null;
  /** The last error-looking line, to explain a bare non-zero exit. */
  lastErrorLine: string | null;
  missing: MissingFrame[];
}

/**
 * One place decides why an attempt failed and whether retrying can help. A reason that cannot
 * improve (a licence, a missing executable, a build without a feature) fails the task at once.
 */
export function classifyAttempt(facts: AttemptFacts): Verdict {
  const { result, fatalError, lastErrorLine, missing } = facts;
  if (result.engineSide && (result.cause === 'spawn-error' || result.cause === 'log-error')) {
    return { ok: false, reason: result.message ?? 'Spool ran out of file descriptors', retryable: true, engineSide: true };
  }
  switch (result.cause) {
    case 'canceled':
      return { ok: false, reason: result.message ?? 'canceled', retryable: false, canceled: true };
    case 'spawn-error':
      return { ok: false, reason: result.message ?? 'could not start the renderer', retryable: false };
    case 'log-error':
      return { ok: false, reason: result.message ?? 'could not write the log', retryable: true };
    case 'stall':
    case 'timeout':
      return { ok: false, reason: result.message ?? result.cause, retryable: true };
    case 'exit':
      break;
  }
  if (fatalError) return { ok: false, reason: oneLine(fatalError.message), retryable: fatalError.retryable };
  if (result.signal) return { ok: false, reason: `crashed: killed by ${result.signal}`, retryable: true };
  if (result.exitCode !== 0) {
    const why = `exited with code ${result.exitCode}`;
    return { ok: false, reason: lastErrorLine ? `${why}: ${oneLine(lastErrorLine)}` : why, retryable: true };
  }
  const first = missing[0];
  if (first) {
    const more = missing.length > 1 ? ` (and ${missing.length - 1} more)` : '';
    const what = first.empty
      ? `frame ${first.frame} was written empty (0 bytes): ${first.path}`
      : first.incomplete
        ? `frame ${first.frame} is an incomplete file (cut short, no end marker): ${first.path}`
        : `frame ${first.frame} was not written${first.path ? ` (expected ${first.path})` : ''}`;
    return { ok: false, reason: `${what}${more}`, retryable: true };
  }
  return { ok: true };
}

export function oneLine(text: string, max = 300): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

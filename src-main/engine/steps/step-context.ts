import type { Store } from '../store';
import type { SuperviseResult } from '../supervisor/types';
import type { JobRecord, StepRecord } from '../types';

/**
 * What a step kind (command, files, preview) shares with the runner: its context, its result and
 * the helpers they all use. Apart from run-step.ts so the kinds need not import their own runner.
 */

export type StepStopMode = 'cancel' | 'pause' | 'shutdown';

/** How one run of a step ended. */
export type StepResult = { ok: true; outputs: string[] } | { ok: false; reason: string; retryable: boolean };

/** What a step kind gets to do its work: the job, a log, and children run under supervision. */
export interface StepContext {
  store: Store;
  dataDir: string;
  job: JobRecord;
  step: StepRecord;
  /** A line in the step's log (Spool's own lines, prefixed with `spool:`). */
  log(line: string): void;
  /** Runs a child the way renders run (process group, log, timeouts); resolves when it is gone. */
  run(file: string, args: string[], options?: { cwd?: string; env?: Record<string, string>; stallTimeoutSec?: number | null }): Promise<ChildEnd>;
  /** Set once the user paused or canceled the job, or Spool is stopping. */
  stopped(): StepStopMode | null;
  /** Milliseconds left before the step's timeout, or null without one. */
  timeLeftMs(): number | null;
}

export interface ChildEnd {
  result: SuperviseResult;
  /** The last non-empty line the child printed, to explain a failure. */
  lastLine: string | null;
}

/** Why a supervised child did not end well, and whether another run could help. */
export function childFailure(what: string, end: ChildEnd): StepResult | null {
  const { result, lastLine } = end;
  switch (result.cause) {
    case 'exit':
      if (result.exitCode === 0 && !result.signal) return null;
      return {
        ok: false,
        reason: `${what} ${result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`}${lastLine ? `: ${lastLine.slice(0, 300)}` : ''}`,
        retryable: true,
      };
    case 'spawn-error':
      return { ok: false, reason: result.message ?? `${what} could not start`, retryable: false };
    case 'canceled':
      return { ok: false, reason: result.message ?? 'canceled', retryable: false };
    default:
      return { ok: false, reason: `${what}: ${result.message ?? result.cause}`, retryable: true };
  }
}

/** A file name made from a job name: letters, digits, `-`, `_` and `.` only. */
export function safeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[._]+|_+$/g, '');
  return cleaned || 'job';
}

/** `{job}` and `{id}` in a folder path. */
export function expandFolder(folder: string, job: JobRecord): string {
  return folder.replace(/\{job\}/g, safeName(job.name)).replace(/\{id\}/g, String(job.id));
}

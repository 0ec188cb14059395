import { InputError, NotFoundError } from '../errors';
import type { Store } from '../store';
import type { AttemptRecord, JobRecord } from '../types';
import { DEFAULT_LOG_SLICE, logSize, MAX_LOG_SLICE, readLogRange, readLogTail, type LogSlice } from './read-log';

export interface LogReadOptions {
  frame?: number;
  attemptId?: number;
  /** The last this many bytes of the chosen attempts' logs together (default 4 MB). */
  tail?: number;
  /** Read forward from this byte offset of one attempt's log (needs `attemptId`) instead of its tail. */
  from?: number;
  /** With `from`: at most this many bytes (default 4 MB). */
  limit?: number;
}

export interface JobLogRange {
  attemptId: number;
  /** Byte offsets of the attempt's text in its file; `to` is where to read on from. */
  from: number;
  to: number;
  size: number;
}

export interface JobLog {
  attempts: AttemptRecord[];
  /** Each attempt's slice after a `--- attempt N of job J · chunk C (frames F): reason` header. */
  text: string;
  /** Where each shown attempt's text lies in its file (attempts left out of a tail have none). */
  ranges: JobLogRange[];
  /** Bytes of the chosen logs that come before the text and are not in it. */
  skippedBytes: number;
  /** A range read stopped before the end of the file: read on from its `to`. */
  more: boolean;
}

/** The attempts a log read is about: all of a job's, one, or the ones of the task that rendered a frame. */
export function logAttempts(store: Store, job: JobRecord, options: Pick<LogReadOptions, 'frame' | 'attemptId'>): AttemptRecord[] {
  let attempts = store.work.attemptsOfJob(job.id);
  if (options.attemptId !== undefined) attempts = attempts.filter((a) => a.id === options.attemptId);
  if (options.frame !== undefined) {
    const frame = store.work.frameOf(job.id, options.frame);
    if (!frame) throw new NotFoundError(`job ${job.id} has no frame ${options.frame}`);
    attempts = attempts.filter((a) => a.taskId === frame.taskId);
  }
  return attempts;
}

/**
 * A bounded read of a job's logs: the tail of all its attempts together (newest attempts get the
 * budget first), or a forward range of one attempt. Never the whole of a log that may not fit in
 * memory; `spool logs` streams whole logs with `readLogRange` instead.
 */
export function readJobLog(store: Store, job: JobRecord, options: LogReadOptions = {}): JobLog {
  const attempts = logAttempts(store, job, options);
  if (options.from !== undefined) return readForward(job.id, attempts, options);
  let budget = clampSlice(options.tail ?? DEFAULT_LOG_SLICE, 'tail');
  const parts: { attempt: AttemptRecord; slice: LogSlice | string | null }[] = [];
  let skippedBytes = 0;
  for (const attempt of [...attempts].reverse()) {
    if (budget <= 0) {
      skippedBytes += logSize(attempt.logPath) ?? 0;
      continue;
    }
    const slice = readOrExplain(() => readLogTail(attempt.logPath, budget));
    if (typeof slice !== 'string') {
      budget -= slice.to - slice.from;
      skippedBytes += slice.from;
    }
    parts.unshift({ attempt, slice });
  }
  return {
    attempts,
    text: parts.map(({ attempt, slice }) => attemptHeader(job.id, attempt) + (typeof slice === 'string' ? slice : slice?.text ?? '')).join(''),
    ranges: parts.flatMap(({ attempt, slice }) => (slice && typeof slice !== 'string' ? [rangeOf(attempt, slice)] : [])),
    skippedBytes,
    more: false,
  };
}

function readForward(jobId: number, attempts: AttemptRecord[], options: LogReadOptions): JobLog {
  const [attempt] = attempts;
  if (options.attemptId === undefined || !attempt) {
    throw new InputError('from', options.attemptId === undefined ? 'from reads one attempt: pass attemptId too' : `no attempt ${options.attemptId} in this job`);
  }
  const slice = readOrExplain(() => readLogRange(attempt.logPath, options.from!, clampSlice(options.limit ?? DEFAULT_LOG_SLICE, 'limit')));
  if (typeof slice === 'string') return { attempts, text: attemptHeader(jobId, attempt) + slice, ranges: [], skippedBytes: 0, more: false };
  return {
    attempts,
    text: (slice.from === 0 ? attemptHeader(jobId, attempt) : '') + slice.text,
    ranges: [rangeOf(attempt, slice)],
    skippedBytes: slice.from,
    more: slice.to < slice.size,
  };
}

/** Attempts counted within the job and chunks from 1, as every face numbers them. */
export function attemptHeader(jobId: number, a: AttemptRecord): string {
  const unit = a.role === 'step' ? `step ${a.taskIndex + 1}` : `chunk ${a.taskIndex + 1}${a.frames ? ` (frames ${a.frames})` : ''}`;
  return `--- attempt ${a.number} of job ${jobId} · ${unit}${a.reason ? `: ${a.reason}` : ''}\n`;
}

function rangeOf(attempt: AttemptRecord, slice: LogSlice): JobLogRange {
  return { attemptId: attempt.id, from: slice.from, to: slice.to, size: slice.size };
}

/** A log that is not there says so; one that cannot be read says why (it is not "not written"). */
function readOrExplain(read: () => LogSlice): LogSlice | string {
  try {
    return read();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? '(no log was written)\n' : `(the log could not be read: ${code ?? String(error)})\n`;
  }
}

function clampSlice(bytes: number, field: string): number {
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new InputError(field, `${field} is a whole number of bytes`);
  return Math.min(bytes, MAX_LOG_SLICE);
}

import { InputError, NotFoundError } from '../../engine/errors';
import { isSettled } from '../../engine/lifecycle';
import { attemptHeader } from '../../engine/logs/job-log';
import { lastLinesStart, logSize, readLogRange } from '../../engine/logs/read-log';
import type { QueueClient } from '../../engine/queue-client';
import type { AttemptRecord } from '../../engine/types';
import { intFlag, parse } from '../args';
import { EXIT, type CliContext } from '../context';
import { withQueue } from '../queue';

export const usage = `spool logs JOB [--frame N] [--tail N] [--follow]   the render log of a job (or of the attempt that rendered one frame); --tail: its last N lines`;

/** Logs go out in pieces this big, so printing a log costs a piece of memory, not the log. */
const PIECE = 1024 * 1024;
const POLL_MS = 250;

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(argv, {
    frame: { type: 'string' },
    tail: { type: 'string' },
    follow: { type: 'boolean', short: 'f' },
  });
  const ref = positionals[0];
  if (!ref) throw new InputError('JOB', 'which job? pass its id or name');
  const frame = intFlag('frame', values.frame);
  const tail = intFlag('tail', values.tail);
  if (tail !== undefined && tail < 0) throw new InputError('--tail', 'expected a number of lines, 0 or more');
  const which = frame === undefined ? {} : { frame };
  return withQueue(ctx, async (queue) => {
    const job = queue.job(ref);
    const offsets = startOffsets(queue.logAttempts(job.id, which), tail);
    const printer = new LogPrinter(ctx, job.id, offsets);
    await printer.printAll(queue.logAttempts(job.id, which));
    if (values.follow) await follow(queue, job.id, which, printer);
    return EXIT.ok;
  });
}

/**
 * Where printing starts in each attempt's log: the beginning, or for `--tail N` the start of the
 * job's last N lines, counted back from the newest attempt (older attempts then print nothing).
 */
function startOffsets(attempts: readonly AttemptRecord[], tail: number | undefined): Map<number, number> {
  const offsets = new Map<number, number>();
  if (tail === undefined) return offsets;
  let wanted = tail;
  for (const attempt of [...attempts].reverse()) {
    const size = logSize(attempt.logPath) ?? 0;
    if (wanted <= 0) {
      offsets.set(attempt.id, size);
      continue;
    }
    const { from } = lastLinesStart(attempt.logPath, wanted);
    wanted -= countLines(attempt.logPath, from, size);
    offsets.set(attempt.id, from);
  }
  return offsets;
}

/** Lines from `from` to the end, counted in pieces (used only for the short --tail remainder). */
function countLines(file: string, from: number, size: number): number {
  let lines = 0;
  for (let at = from; at < size; ) {
    const slice = readLogRange(file, at, PIECE);
    if (slice.to === at) break;
    for (let i = slice.text.indexOf('\n'); i !== -1; i = slice.text.indexOf('\n', i + 1)) lines++;
    at = slice.to;
  }
  return lines;
}

/** Prints each attempt's log from where it was left, piece by piece, with a header the first time. */
class LogPrinter {
  private readonly started = new Set<number>();

  constructor(
    private readonly ctx: CliContext,
    private readonly jobId: number,
    private readonly offsets: Map<number, number>,
  ) {}

  async printAll(attempts: readonly AttemptRecord[]): Promise<void> {
    for (const attempt of attempts) await this.print(attempt);
  }

  private async print(attempt: AttemptRecord): Promise<void> {
    const skipped = this.offsets.get(attempt.id);
    if (!this.started.has(attempt.id)) {
      this.started.add(attempt.id);
      const size = logSize(attempt.logPath);
      // With --tail, attempts wholly before the last N lines print nothing, not even a header.
      if (skipped !== undefined && size !== null && skipped >= size && size > 0) return;
      this.ctx.out(attemptHeader(this.jobId, attempt));
      if (size === null && attempt.endedAt !== null) this.ctx.out('(no log was written)\n');
    }
    let at = skipped ?? 0;
    for (;;) {
      let slice;
      try {
        slice = readLogRange(attempt.logPath, at, PIECE);
      } catch {
        break;
      }
      if (slice.to === at) break;
      this.ctx.out(slice.text);
      at = slice.to;
      await this.ctx.drained?.();
    }
    this.offsets.set(attempt.id, at);
  }
}

/** Prints every attempt's log as it grows, new attempts included, until the job ends. */
async function follow(queue: QueueClient, jobId: number, which: { frame?: number }, printer: LogPrinter): Promise<void> {
  let stopped = false;
  const stop = (): void => {
    stopped = true;
  };
  process.on('SIGINT', stop);
  try {
    for (;;) {
      // Only what grew is read: a quiet log costs one stat per poll, whatever its size.
      const over = stopped || isOver(queue, jobId);
      let attempts;
      try {
        attempts = queue.logAttempts(jobId, which);
      } catch (error) {
        if (error instanceof NotFoundError) return;
        throw error;
      }
      await printer.printAll(attempts);
      if (over) return;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    process.off('SIGINT', stop);
  }
}

/** Ended, or deleted meanwhile: either way nothing more will be written. */
function isOver(queue: QueueClient, id: number): boolean {
  try {
    return isSettled(queue.job(id).status);
  } catch (error) {
    if (error instanceof NotFoundError) return true;
    throw error;
  }
}

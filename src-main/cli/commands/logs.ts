import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { normalizeLineBreaks } from '../../engine/supervisor/log-bytes';
import { InputError, NotFoundError } from '../../engine/errors';
import type { QueueClient } from '../../engine/queue-client';
import { isSettled } from '../../engine/lifecycle';
import { intFlag, parse } from '../args';
import { EXIT, type CliContext } from '../context';
import { withQueue } from '../queue';

export const usage = `spool logs JOB [--frame N] [--follow]   the render log of a job (or of the attempt that rendered one frame)`;

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(argv, { frame: { type: 'string' }, follow: { type: 'boolean', short: 'f' } });
  const ref = positionals[0];
  if (!ref) throw new InputError('JOB', 'which job? pass its id or name');
  const frame = intFlag('frame', values.frame);
  return withQueue(ctx, async (queue) => {
    if (!values.follow) {
      ctx.out(queue.readLog(ref, frame === undefined ? {} : { frame }).text);
      return EXIT.ok;
    }
    await follow(queue, ref, frame, ctx);
    return EXIT.ok;
  });
}

/** Prints every attempt's log as it grows, new attempts included, until the job ends. */
async function follow(queue: QueueClient, ref: string, frame: number | undefined, ctx: CliContext): Promise<void> {
  const job = queue.job(ref);
  const offsets = new Map<string, number>();
  let stopped = false;
  const stop = (): void => {
    stopped = true;
  };
  process.on('SIGINT', stop);
  try {
    for (;;) {
      const { attempts } = queue.readLog(job.id, frame === undefined ? {} : { frame });
      for (const attempt of attempts) {
        if (!offsets.has(attempt.logPath)) {
          offsets.set(attempt.logPath, 0);
          ctx.out(`--- attempt ${attempt.id} (task ${attempt.taskId})\n`);
        }
        offsets.set(attempt.logPath, printFrom(attempt.logPath, offsets.get(attempt.logPath)!, ctx));
      }
      if (stopped || isOver(queue, job.id)) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
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

function printFrom(file: string, offset: number, ctx: CliContext): number {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return offset;
  }
  if (size <= offset) return offset;
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(size - offset);
    let read = readSync(fd, buffer, 0, buffer.length, offset);
    // A \r at the end may be the first half of a \r\n still being written: read it next time.
    if (read > 0 && buffer[read - 1] === 0x0d) read--;
    ctx.out(normalizeLineBreaks(buffer.subarray(0, read).toString('utf8')));
    return offset + read;
  } finally {
    closeSync(fd);
  }
}

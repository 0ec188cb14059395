import { activeElapsedMs } from '../../engine/lifecycle';
import { formatDuration } from '../../engine/supervisor/format-duration';
import { parse } from '../args';
import { EXIT, type CliContext } from '../context';
import { jobJson } from '../job-json';
import { formatClock } from '../progress';
import { withQueue } from '../queue';

export const usage = `spool jobs [--all] [--json]   the queue: every job with its status and progress (--all: cleared ones too)
spool jobs --clear-finished   move finished jobs from the queue to History (nothing is deleted)`;

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parse(argv, { json: { type: 'boolean' }, all: { type: 'boolean' }, 'clear-finished': { type: 'boolean' } }, false);
  if (values['clear-finished']) {
    const cleared = await withQueue(ctx, (queue) => queue.clearFinished());
    if (values.json) ctx.out(`${JSON.stringify(cleared.map(jobJson))}\n`);
    else ctx.out(cleared.length === 0 ? 'No finished jobs in the queue.\n' : `Moved ${cleared.length} finished job${cleared.length === 1 ? '' : 's'} to History: ${cleared.map((j) => j.id).join(', ')}\n`);
    return EXIT.ok;
  }
  // Like the app's queue: jobs "Clear finished" moved to History are left out unless asked for.
  const jobs = (await withQueue(ctx, (queue) => queue.listJobs())).filter((job) => values.all || job.archivedAt === null);
  if (values.json) {
    ctx.out(`${JSON.stringify(jobs.map(jobJson))}\n`);
    return EXIT.ok;
  }
  if (jobs.length === 0) {
    ctx.out('No jobs yet. Queue one with: spool submit SCENE --frames 1-100\n');
    return EXIT.ok;
  }
  ctx.out(`${'ID'.padStart(5)}  ${'STATUS'.padEnd(9)}  ${'FRAMES'.padStart(11)}  ${'PRI'.padStart(4)}  ${'TIME'.padStart(8)}  ${'PER FRAME'.padStart(9)}  NAME\n`);
  for (const job of jobs) {
    const elapsed = activeElapsedMs(job, Date.now());
    const time = elapsed === null ? '' : formatClock(elapsed);
    const perFrame = job.medianFrameMs === null ? '' : formatDuration(job.medianFrameMs);
    const frames = `${job.framesDone}/${job.frameCount}`;
    ctx.out(
      `${String(job.id).padStart(5)}  ${job.status.padEnd(9)}  ${frames.padStart(11)}  ${String(job.priority).padStart(4)}  ${time.padStart(8)}  ${perFrame.padStart(9)}  ${job.name}\n`,
    );
  }
  return EXIT.ok;
}

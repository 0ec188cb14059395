import { activeElapsedMs } from '../../engine/lifecycle';
import { parse } from '../args';
import { EXIT, type CliContext } from '../context';
import { jobJson } from '../job-json';
import { formatClock } from '../progress';
import { withQueue } from '../queue';

export const usage = `spool jobs [--json]   list every job with its status and progress`;

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parse(argv, { json: { type: 'boolean' } }, false);
  const jobs = await withQueue(ctx, (queue) => queue.listJobs());
  if (values.json) {
    ctx.out(`${JSON.stringify(jobs.map(jobJson))}\n`);
    return EXIT.ok;
  }
  if (jobs.length === 0) {
    ctx.out('No jobs yet. Queue one with: spool submit SCENE --frames 1-100\n');
    return EXIT.ok;
  }
  ctx.out(`${'ID'.padStart(5)}  ${'STATUS'.padEnd(9)}  ${'FRAMES'.padStart(11)}  ${'PRI'.padStart(4)}  ${'TIME'.padStart(8)}  NAME\n`);
  for (const job of jobs) {
    const elapsed = activeElapsedMs(job, Date.now());
    const time = elapsed === null ? '' : formatClock(elapsed);
    const frames = `${job.framesDone}/${job.frameCount}`;
    ctx.out(
      `${String(job.id).padStart(5)}  ${job.status.padEnd(9)}  ${frames.padStart(11)}  ${String(job.priority).padStart(4)}  ${time.padStart(8)}  ${job.name}\n`,
    );
  }
  return EXIT.ok;
}

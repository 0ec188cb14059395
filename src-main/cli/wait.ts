import type { Engine } from '../engine/engine';
import type { QueueClient } from '../engine/queue-client';
import { isSettled } from '../engine/lifecycle';
import type { JobSummary } from '../engine/types';
import { EXIT, type CliContext } from './context';
import { jobDetailJson } from './job-json';
import { formatClock, ProgressLine } from './progress';

/**
 * Follows jobs until they end, showing progress, and turns Ctrl-C into a clean cancel: the
 * engine stops the children and the store records the cancel before Spool exits.
 */
export async function waitForJobs(
  ctx: CliContext,
  queue: QueueClient,
  ids: number[],
  /** Our own engine, when this process runs one: its progress events and idle moments. */
  options: { json: boolean; engine: Engine | null },
): Promise<number> {
  const progress = new ProgressLine(ctx);
  const seenDone = new Map<number, Set<number>>();
  let current: { frame: number | null; fraction: number } | null = null;
  const onProgress = (p: { frame: number | null; fraction: number; jobId: number }): void => {
    if (ids.includes(p.jobId)) current = p;
  };
  options.engine?.on('progress', onProgress);

  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) return;
    interrupted = true;
    progress.clear();
    ctx.err('Canceling… (the renders are being stopped cleanly)\n');
    for (const id of ids) queue.setIntent(id, 'canceled');
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);

  try {
    for (;;) {
      const jobs = ids.map((id) => queue.job(id));
      reportNewFrames(ctx, queue, jobs, seenDone, progress);
      const running = jobs.some((j) => !isSettled(j.status));
      const settled = !running && (!interrupted || jobs.every((j) => j.tasks.running === 0));
      if (settled) break;
      progress.update(describe(jobs, current));
      await pause(200, options.engine);
    }
  } finally {
    progress.clear();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    options.engine?.off('progress', onProgress);
  }

  const finals = ids.map((id) => queue.jobDetail(id));
  if (options.json) {
    const payload = finals.map(jobDetailJson);
    ctx.out(`${JSON.stringify(payload.length === 1 ? payload[0] : payload, null, 2)}\n`);
  } else {
    for (const detail of finals) ctx.out(`${summaryLine(detail.job)}\n`);
  }
  if (interrupted) return EXIT.interrupted;
  return finals.every((d) => d.job.status === 'succeeded') ? EXIT.ok : EXIT.jobFailed;
}

/** The poll interval, cut short when our own engine runs out of work: a finished job need not wait for the next tick. */
function pause(ms: number, engine: Engine | null): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      engine?.off('idle', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    engine?.once('idle', done);
  });
}

function reportNewFrames(
  ctx: CliContext,
  queue: QueueClient,
  jobs: JobSummary[],
  seen: Map<number, Set<number>>,
  progress: ProgressLine,
): void {
  if (ctx.isTTY) return;
  for (const job of jobs) {
    const done = seen.get(job.id) ?? new Set<number>();
    seen.set(job.id, done);
    if (job.framesDone === done.size) continue;
    for (const frame of queue.jobDetail(job.id).frames) {
      if (frame.state !== 'done' || done.has(frame.frame)) continue;
      done.add(frame.frame);
      const took = frame.renderMs !== null ? ` in ${(frame.renderMs / 1000).toFixed(1)} s` : '';
      progress.line(`job ${job.id}: frame ${frame.frame} done${took} (${done.size}/${job.frameCount})`);
    }
  }
}

function describe(jobs: JobSummary[], current: { frame: number | null; fraction: number } | null): string {
  const total = jobs.reduce((n, j) => n + j.frameCount, 0);
  const done = jobs.reduce((n, j) => n + j.framesDone, 0);
  const started = Math.min(...jobs.map((j) => j.startedAt ?? Date.now()));
  const elapsed = Date.now() - started;
  const eta = done > 0 ? (elapsed / done) * (total - done) : null;
  const name = jobs.length === 1 ? `${jobs[0]!.name}` : `${jobs.length} jobs`;
  const now = current?.frame !== null && current ? ` · frame ${current.frame} ${Math.round(current.fraction * 100)}%` : '';
  return `${name}: ${done}/${total} frames${now} · ${formatClock(elapsed)} elapsed${eta !== null ? ` · ETA ${formatClock(eta)}` : ''}`;
}

function summaryLine(job: JobSummary): string {
  const took = job.startedAt && job.finishedAt ? ` in ${formatClock(job.finishedAt - job.startedAt)}` : '';
  const head = `job ${job.id} "${job.name}" ${job.status}: ${job.framesDone}/${job.frameCount} frames${took}`;
  return job.reason && job.status !== 'succeeded' ? `${head}\n  reason: ${job.reason}` : head;
}

import type { Engine } from '../engine/engine';
import type { QueueClient } from '../engine/queue-client';
import { activeElapsedMs, isSettled } from '../engine/lifecycle';
import type { JobSummary } from '../engine/types';
import { NotFoundError } from '../engine/errors';
import { otherLiveWaiters } from '../engine/waiters';
import type { WaitingEngine } from './waiting-engine';
import { EXIT, type CliContext } from './context';
import { jobDetailJson } from './job-json';
import { formatClock, ProgressLine } from './progress';

/**
 * Follows jobs until they end, showing progress, and turns Ctrl-C into a clean cancel: the
 * engine stops the children and the store records the cancel before Spool exits. Whenever no
 * engine runs on the data dir (none was running, or the one relied on stopped or died), this
 * process starts one and renders itself.
 */
export async function waitForJobs(
  ctx: CliContext,
  queue: QueueClient,
  ids: number[],
  options: { json: boolean; host: WaitingEngine },
): Promise<number> {
  const { host } = options;
  const progress = new ProgressLine(ctx);
  const seenDone = new Map<number, Set<number>>();
  let current: { frame: number | null; fraction: number } | null = null;
  const onProgress = (p: { frame: number | null; fraction: number; jobId: number }): void => {
    if (ids.includes(p.jobId)) current = p;
  };
  // The engine whose progress events we follow: ours, once this process runs one.
  const listening: { engine: Engine | null } = { engine: null };
  const listen = (): void => {
    if (host.engine === listening.engine) return;
    listening.engine?.off('progress', onProgress);
    listening.engine = host.engine;
    listening.engine?.on('progress', onProgress);
  };
  listen();

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
      // A canceled render is settled once its children stopped, or once no engine is left to stop them.
      const settled = !running && (!interrupted || jobs.every((j) => j.tasks.running === 0) || host.noneRunning());
      if (settled) break;
      if (!interrupted && (await host.takeOverIfNone())) {
        progress.clear();
        ctx.err(`No Spool engine runs on ${ctx.dataDir}: rendering here.\n`);
        listen();
        continue;
      }
      progress.update(describe(jobs, current));
      await pause(200, host.engine);
    }
  } finally {
    progress.clear();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    listening.engine?.off('progress', onProgress);
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

/**
 * An engine this waiter started renders on while other `submit --wait` processes still wait for
 * jobs: stopping it would kill their running renders only for the next waiter to start them again.
 * It does not render jobs nobody waits for (a plain `submit` waits for `spool run`). Ctrl-C stops
 * at once; the other waiters then take over.
 */
export async function renderForOtherWaiters(ctx: CliContext, queue: QueueClient, host: WaitingEngine): Promise<void> {
  if (!host.engine) return;
  let stop = false;
  const onSignal = (): void => {
    stop = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    let said = false;
    while (!stop) {
      const pending = otherLiveWaiters(ctx.dataDir).filter((w) => w.jobIds.some((id) => !settled(queue, id)));
      if (pending.length === 0) return;
      if (!said) {
        said = true;
        const jobs = pending.flatMap((w) => w.jobIds.filter((id) => !settled(queue, id)));
        ctx.err(`Rendering on for ${pending.length} other waiting \`spool submit --wait\` (job${jobs.length === 1 ? '' : 's'} ${jobs.join(', ')})…\n`);
      }
      await pause(200, host.engine);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function settled(queue: QueueClient, id: number): boolean {
  try {
    return isSettled(queue.job(id).status);
  } catch (error) {
    // Deleted: nobody can be waiting for it any more.
    if (error instanceof NotFoundError) return true;
    throw error;
  }
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
    // Frames only: the whole detail (every attempt with its frame list, every task) read on each
    // poll made a 1,000-task wait quadratic; it was a tenth of the dispatch bench's engine time.
    for (const frame of queue.framesOf(job.id)) {
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
  const elapsed = job.finishedAt ? activeElapsedMs(job, job.finishedAt) : null;
  const took = elapsed !== null ? ` in ${formatClock(elapsed)}` : '';
  const head = `job ${job.id} "${job.name}" ${job.status}: ${job.framesDone}/${job.frameCount} frames${took}`;
  return job.reason && job.status !== 'succeeded' ? `${head}\n  reason: ${job.reason}` : head;
}

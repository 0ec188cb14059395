import { Engine } from '../../engine/engine';
import { parse } from '../args';
import { EXIT, type CliContext } from '../context';

export const usage = `spool run [--until-idle]   run the engine in the foreground (Ctrl-C stops it; running renders are requeued)`;

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parse(argv, { 'until-idle': { type: 'boolean' } }, false);
  let stopRequested = false;
  let requestStop = (): void => {};
  const stopped = new Promise<void>((resolve) => (requestStop = resolve));
  const onSignal = (): void => {
    if (stopRequested) return;
    stopRequested = true;
    ctx.err('Stopping: running renders go back to the queue…\n');
    requestStop();
  };
  // Listened for before the engine starts (recovery may take a while), so no moment of this command
  // dies on a signal's default action. Listeners stay until the engine has stopped: execa's exit hook
  // re-raises a signal that finds no other listener, which would kill Spool halfway through putting
  // renders back in the queue.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let engine: Engine;
  try {
    engine = await Engine.start({ dataDir: ctx.dataDir });
  } catch (error) {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    throw error;
  }
  const lastStatus = new Map<number, string>();
  engine.on('job', (job) => {
    if (lastStatus.get(job.id) === job.status) return;
    lastStatus.set(job.id, job.status);
    const reason = job.reason && (job.status === 'failed' || job.status === 'blocked') ? ` — ${job.reason}` : '';
    ctx.out(`job ${job.id} "${job.name}": ${job.status} (${job.framesDone}/${job.frameCount} frames)${reason}\n`);
  });
  engine.on('watched', (event) => {
    if (event.error) ctx.err(`watch: ${event.file} not queued: ${event.error}\n`);
    else ctx.out(`watch: ${event.file} queued as job${event.jobIds.length === 1 ? '' : 's'} ${event.jobIds.join(', ')}\n`);
  });
  ctx.out(`Spool engine running on ${ctx.dataDir}\n`);
  ctx.out('Queue renders from another terminal with: spool submit SCENE --frames 1-100\n');

  // A damaged store: the engine launches nothing more; stop it and say how to recover (exit 2).
  let fatal: Error | null = null;
  const onFatal = (error: Error): void => {
    fatal = error;
    requestStop();
  };
  engine.on('fatal', onFatal);
  if (engine.failure) onFatal(engine.failure); // it failed on its first pump, before we listened
  try {
    // untilIdle rejects with the same error the 'fatal' event carries.
    await (values['until-idle'] ? Promise.race([engine.untilIdle().catch(() => {}), stopped]) : stopped);
    await engine.stop();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (fatal) throw fatal;
  return stopRequested ? EXIT.interrupted : EXIT.ok;
}

import { InputError } from '../../engine/errors';
import type { JobIntent } from '../../engine/types';
import { parse } from '../args';
import { EXIT, type CliContext } from '../context';
import { withQueue } from '../queue';

export const usage = {
  retry: 'spool retry JOB...    queue again every frame of the job that is not done',
  cancel: 'spool cancel JOB...   stop the job; frames already done stay done',
  pause: 'spool pause JOB... [--now]  stop dispatching; running renders stop after the frame in progress is saved (--now, or a renderer that reports no saved frames: at once)',
  resume: 'spool resume JOB...   continue a paused job',
};

type Action = keyof typeof usage;
const INTENT: Record<Exclude<Action, 'retry'>, JobIntent> = { cancel: 'canceled', pause: 'paused', resume: 'active' };

export function command(action: Action) {
  return async (argv: string[], ctx: CliContext): Promise<number> => {
    // Only pause takes a flag: --now elsewhere is refused as unknown.
    const { positionals, values } = parse(argv, action === 'pause' ? { now: { type: 'boolean' as const } } : {});
    if (positionals.length === 0) throw new InputError('JOB', `which job? usage: ${usage[action]}`);
    await withQueue(ctx, (queue, engineRunning) => {
      for (const ref of positionals) {
        const now = (values as { now?: boolean }).now === true;
        const job = action === 'retry' ? queue.retry(ref) : action === 'pause' ? queue.pause(ref, { now }) : queue.setIntent(ref, INTENT[action]);
        const pausing = job.intent === 'paused' && job.status === 'running';
        ctx.out(`job ${job.id} "${job.name}": ${pausing ? `pausing ${now ? 'now' : 'after the frame in progress'}` : job.status}\n`);
      }
      if (!engineRunning && (action === 'retry' || action === 'resume')) {
        ctx.err('No Spool engine is running: start one with `spool run` to render.\n');
      }
    });
    return EXIT.ok;
  };
}

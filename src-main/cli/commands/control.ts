import { InputError } from '../../engine/errors';
import type { JobIntent } from '../../engine/types';
import { parse } from '../args';
import { EXIT, type CliContext } from '../context';
import { withQueue } from '../queue';

export const usage = {
  retry: 'spool retry JOB...    queue again every frame of the job that is not done',
  cancel: 'spool cancel JOB...   stop the job; frames already done stay done',
  pause: 'spool pause JOB...    stop dispatching (running renders go back to the queue)',
  resume: 'spool resume JOB...   continue a paused job',
};

type Action = keyof typeof usage;
const INTENT: Record<Exclude<Action, 'retry'>, JobIntent> = { cancel: 'canceled', pause: 'paused', resume: 'active' };

export function command(action: Action) {
  return async (argv: string[], ctx: CliContext): Promise<number> => {
    const { positionals } = parse(argv, {});
    if (positionals.length === 0) throw new InputError('JOB', `which job? usage: ${usage[action]}`);
    await withQueue(ctx, (queue, engineRunning) => {
      for (const ref of positionals) {
        const job = action === 'retry' ? queue.retry(ref) : queue.setIntent(ref, INTENT[action]);
        ctx.out(`job ${job.id} "${job.name}": ${job.status}\n`);
      }
      if (!engineRunning && (action === 'retry' || action === 'resume')) {
        ctx.err('No Spool engine is running: start one with `spool run` to render.\n');
      }
    });
    return EXIT.ok;
  };
}

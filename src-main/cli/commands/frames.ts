import { InputError } from '../../engine/errors';
import { FRAME_ACTIONS, type FrameAction } from '../../engine/lifecycle/frame-actions';
import { parse } from '../args';
import { EXIT, type CliContext } from '../context';
import { withQueue } from '../queue';

export const usage = `spool frames JOB requeue|suspend|resume|complete FRAMES [--dry-run] [--json]
                      act on frames (same syntax as --frames; -- before a set that starts with -): requeue done or
                      failed frames (their files are overwritten), suspend (skipped, not failed), resume, or mark
                      complete as they are (no file check); frames in a chunk rendering now are left alone`;

const isAction = (word: string): word is FrameAction => (FRAME_ACTIONS as readonly string[]).includes(word);

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { positionals, values } = parse(argv, { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } });
  const [ref, action, ...set] = positionals;
  if (!ref || !action) throw new InputError('input', `which job and what? usage: ${usage.split('\n')[0]}`);
  if (!isAction(action)) throw new InputError('ACTION', `"${action}" is not a frame action: use ${FRAME_ACTIONS.join(', ')}`);
  if (set.length === 0) throw new InputError('FRAMES', `which frames? e.g. spool frames ${ref} ${action} 10-20`);
  const preview = values['dry-run'] === true;
  await withQueue(ctx, (queue, engineRunning) => {
    const reply = queue.frameAction(ref, action, set.join(','), { preview });
    if (values.json) ctx.out(`${JSON.stringify(reply, null, 2)}\n`);
    else {
      ctx.out(`job ${reply.jobId} "${reply.job.name}": ${preview ? 'would have ' : ''}${reply.message}\n`);
      if (!preview) ctx.out(`job ${reply.jobId} is ${reply.job.status}${reply.job.reason ? ` (${reply.job.reason})` : ''}\n`);
    }
    const queued = action === 'requeue' || action === 'resume';
    if (!preview && queued && !engineRunning) ctx.err('No Spool engine is running: start one with `spool run` to render.\n');
  });
  return EXIT.ok;
}

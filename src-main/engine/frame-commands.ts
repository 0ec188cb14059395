import { existsSync } from 'node:fs';
import { InputError } from './errors';
import { parseFrameSet } from './frames';
import { describeFrameAction, type FrameAction } from './lifecycle/frame-actions';
import type { Chunker, Store } from './store';
import type { FrameActionReply, JobRecord } from './types';

/**
 * Requeue, suspend, resume or mark complete a frame set of a job (lifecycle/frame-actions.ts):
 * one transaction, stored, so it survives a restart. Frames that cannot take the action are
 * named with why; when none can, it is refused. `preview`: what it would do, nothing written
 * (the UI confirms a requeue with the number of files it will overwrite).
 */
export function actOnFrames(
  store: Store,
  job: JobRecord,
  action: FrameAction,
  framesText: string,
  chunker: Chunker,
  options: { preview?: boolean } = {},
): FrameActionReply {
  if (job.intent === 'canceled') throw new InputError('job', `job ${job.id} was canceled; retry it before acting on its frames`);
  const parsed = parseFrameSet(framesText);
  if (!parsed.ok) throw new InputError('frames', parsed.error.message);
  if (parsed.frames.length === 0) throw new InputError('frames', 'no frames given (e.g. 10-20)');
  const preview = options.preview === true;
  const result = store.work.actOnFrames(job.id, action, parsed.frames, chunker, preview);
  const { plan } = result;
  // Counted on disk: a done frame whose file is already gone has nothing to overwrite.
  const overwrites = result.overwrites.filter((file) => existsSync(file)).length;
  const message = describeFrameAction(plan, overwrites);
  if (plan.frames.length === 0) throw new InputError('frames', `nothing to ${action === 'complete' ? 'mark complete' : action}: ${message}`);
  return {
    jobId: job.id,
    action,
    applied: !preview,
    frames: plan.frames,
    overwrites,
    skipped: plan.skipped,
    message,
    job: store.summaries.summarize(store.jobs.get(job.id)!),
  };
}

import { call } from '../bridge/call';
import { farmChangeRefusal } from '../../../src-main/engine/lifecycle/farm-change';
import { presetFromJob, type FormPreset } from '../lib/job-form-preset';
import type { JobSummary } from '../../../src-main/engine/types';
import { toastError, useToasts } from './toasts-store';
import { useUi } from './ui-store';

/**
 * Opens the job form on an existing job: the queue's context menu, the toolbar and the job view
 * call these. The job is read fresh (its dependencies come with its detail).
 */
async function openOn(mode: FormPreset['mode'], jobId: number): Promise<boolean> {
  try {
    const detail = await call('jobs.get', { id: jobId });
    const preset = presetFromJob(mode, detail.job, (detail.deps ?? []).map((d) => d.id));
    // The engine's own rule: where it renders changes only while nothing of it went to a farm.
    const handedTo = detail.farm ? detail.farm.handoffs.map(() => detail.farm!.farm) : [];
    if (mode === 'modify') preset.farmLocked = farmChangeRefusal({ id: jobId, farm: detail.job.farm ?? null, handedTo });
    useUi.getState().openJobForm(preset);
    return true;
  } catch (error) {
    toastError(`${mode === 'modify' ? 'Modify' : 'Duplicate'} job ${jobId}`, error);
    return false;
  }
}

/** The Modify dialog, pre-filled from the job (queued, blocked or paused jobs; the engine refuses others and says why). */
export function openModifyDialog(jobId: number): Promise<boolean> {
  return openOn('modify', jobId);
}

/** The new-job form pre-filled with a copy of the job: nothing is queued until it is submitted. */
export function openDuplicateForm(jobId: number): Promise<boolean> {
  return openOn('duplicate', jobId);
}

/**
 * Every frame of these jobs rendered again, done ones included: the engine first says how many
 * files that overwrites (a preview writes nothing), and nothing moves until the user agrees.
 */
export async function requeueAllFrames(jobs: readonly JobSummary[]): Promise<void> {
  try {
    const previews = await Promise.all(jobs.map((job) => call('frames.act', { id: job.id, action: 'requeue', frames: job.framesText, preview: true })));
    const frames = previews.reduce((n, reply) => n + reply.frames.length, 0);
    const overwrites = previews.reduce((n, reply) => n + reply.overwrites, 0);
    if (frames === 0) {
      useToasts.getState().push({ kind: 'info', title: 'Requeue all frames', message: previews.map((reply) => reply.message).join('\n') });
      return;
    }
    const question = `Render ${frames} frame${frames === 1 ? '' : 's'} of ${jobs.length === 1 ? `job ${jobs[0]!.id}` : `${jobs.length} jobs`} again?` + (overwrites > 0 ? ` ${overwrites} rendered file${overwrites === 1 ? '' : 's'} will be overwritten.` : '');
    if (!window.confirm(question)) return;
    for (const job of jobs) await call('frames.act', { id: job.id, action: 'requeue', frames: job.framesText });
  } catch (error) {
    toastError('Requeue all frames', error);
  }
}

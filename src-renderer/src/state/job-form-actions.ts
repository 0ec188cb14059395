import { call } from '../bridge/call';
import { presetFromJob, type FormPreset } from '../lib/job-form-preset';
import { toastError } from './toasts-store';
import { useUi } from './ui-store';

/**
 * Opens the job form on an existing job: the queue's context menu, the toolbar and the job view
 * call these. The job is read fresh (its dependencies come with its detail).
 */
async function openOn(mode: FormPreset['mode'], jobId: number): Promise<boolean> {
  try {
    const detail = await call('jobs.get', { id: jobId });
    useUi.getState().openJobForm(presetFromJob(mode, detail.job, (detail.deps ?? []).map((d) => d.id)));
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

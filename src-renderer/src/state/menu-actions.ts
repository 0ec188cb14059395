import type { JobSummary } from '../../../src-main/engine/types';
import { call } from '../bridge/call';
import { copyText } from '../lib/clipboard';
import type { MenuAction, MenuEnv } from '../lib/job-menu';
import { saveText } from '../lib/save-text';
import { runQueueAction } from './actions';
import { openDuplicateForm, openModifyDialog, requeueAllFrames } from './job-form-actions';
import { useJobs } from './jobs-store';
import { toastError, useToasts } from './toasts-store';

export function menuEnv(): MenuEnv {
  return { electron: typeof window !== 'undefined' && window.spool !== undefined };
}

const info = (title: string, message: string): void => void useToasts.getState().push({ kind: 'info', title, message });

/** Runs an item of the queue's menu, toolbar or keys (confirmations are the caller's: see QueueView). */
export async function runMenuAction(action: MenuAction, jobs: readonly JobSummary[]): Promise<void> {
  const first = jobs[0];
  if (!first) return;
  switch (action) {
    case 'modify':
      await openModifyDialog(first.id);
      return;
    case 'duplicateEdit':
      await openDuplicateForm(first.id);
      return;
    case 'requeueAll':
      await requeueAllFrames(jobs);
      return;
    case 'outputFolder':
      return outputFolder(first);
    case 'copyScene': {
      const scenes = [...new Set(jobs.flatMap((j) => (j.scene ? [j.scene] : [])))];
      try {
        await copyText(scenes.join('\n'));
        info('Copied scene path', scenes.length === 1 ? scenes[0]! : `${scenes.length} scene paths`);
      } catch (error) {
        toastError('Copy scene path', error);
      }
      return;
    }
    case 'report':
      try {
        const report = await call('jobs.report', { ids: jobs.map((j) => j.id), format: 'html' });
        saveText(report.text, report.mime, jobs.length === 1 ? `spool-report-job-${first.id}.html` : `spool-report-${jobs.length}-jobs.html`);
      } catch (error) {
        toastError('Report', error);
      }
      return;
    default:
      await runQueueAction(action, jobs);
  }
}

/** Electron opens the folder; the browser cannot reach the file manager, so it copies the path. */
async function outputFolder(job: JobSummary): Promise<void> {
  const electron = menuEnv().electron;
  const title = electron ? 'Open output folder' : 'Copy output path';
  try {
    const { folder, opened } = await call('jobs.outputFolder', { id: job.id, open: electron });
    if (opened) return;
    if (!folder) {
      info(title, `job ${job.id} writes where its scene says; nothing rendered yet to find the folder from`);
      return;
    }
    await copyText(folder);
    info(electron ? 'Copied output path (the folder does not exist yet)' : 'Copied output path', folder);
  } catch (error) {
    toastError(title, error);
  }
}

/** "Clear finished": these finished jobs move to History (nothing is deleted; a retry brings one back). */
export async function clearFinished(ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  try {
    const moved = await call('jobs.clearFinished', { ids: [...ids] });
    useJobs.getState().applyBatch({ upserts: moved, removed: [], progress: [] });
    info('Cleared finished jobs', `${moved.length} moved to History`);
  } catch (error) {
    toastError('Clear finished', error);
  }
}

import type { JobSummary } from '../../../src-main/engine/types';
import { call, CommandFailure } from '../bridge/call';
import { applicableIds, PRIORITY_MAX, PRIORITY_MIN, type QueueAction } from '../lib/queue';
import { openDuplicateForm } from './job-form-actions';
import { useJobs } from './jobs-store';
import { toastError, useToasts } from './toasts-store';

const VERBS: Record<QueueAction, string> = {
  pause: 'Pause',
  pauseNow: 'Pause now',
  resume: 'Resume',
  cancel: 'Cancel',
  retry: 'Retry',
  duplicate: 'Duplicate',
  delete: 'Delete',
  priorityUp: 'Raise priority of',
  priorityDown: 'Lower priority of',
};

function subject(ids: readonly number[]): string {
  return ids.length === 1 ? `job ${ids[0]}` : `${ids.length} jobs`;
}

/** Answers carry the jobs' new summaries: apply them now instead of waiting for the events. */
function applyAnswer(jobs: readonly JobSummary[]): void {
  useJobs.getState().applyBatch({ upserts: jobs, removed: [], progress: [] });
}

/**
 * Runs a toolbar/shortcut action on the jobs it applies to. Errors become a toast titled with what
 * was attempted ("Pause job 12"), so a message like "job 12 was canceled" has its context.
 */
export async function runQueueAction(action: QueueAction, jobs: readonly JobSummary[]): Promise<boolean> {
  const ids = applicableIds(action, jobs);
  if (ids.length === 0) return false;
  const title = `${VERBS[action]} ${subject(ids)}`;
  try {
    switch (action) {
      case 'pause':
        applyAnswer(await call('jobs.pause', { ids }));
        break;
      case 'pauseNow':
        applyAnswer(await call('jobs.pause', { ids, now: true }));
        break;
      case 'resume':
        applyAnswer(await call('jobs.resume', { ids }));
        break;
      case 'cancel':
        applyAnswer(await call('jobs.cancel', { ids }));
        break;
      case 'retry':
        applyAnswer(await call('jobs.retry', { ids }));
        break;
      case 'duplicate': {
        // One job: the form opens on a copy to edit first; several are copied as they are.
        if (ids.length === 1) return await openDuplicateForm(ids[0]!);
        const copies = await call('jobs.duplicate', { ids });
        applyAnswer(copies);
        useToasts.getState().push({ kind: 'success', title, message: `created ${copies.map((c) => `#${c.id}`).join(', ')}` });
        break;
      }
      case 'delete': {
        const { deleted } = await call('jobs.delete', { ids });
        useJobs.getState().applyBatch({ upserts: [], removed: deleted, progress: [] });
        break;
      }
      case 'priorityUp':
      case 'priorityDown': {
        const delta = action === 'priorityUp' ? 1 : -1;
        for (const job of jobs.filter((j) => ids.includes(j.id))) {
          const priority = Math.max(PRIORITY_MIN, Math.min(PRIORITY_MAX, job.priority + delta));
          applyAnswer([await call('jobs.setPriority', { id: job.id, priority })]);
        }
        break;
      }
    }
    return true;
  } catch (error) {
    toastError(title, error);
    return false;
  }
}

export async function setPriority(jobId: number, priority: number): Promise<void> {
  try {
    applyAnswer([await call('jobs.setPriority', { id: jobId, priority })]);
  } catch (error) {
    toastError(`Move job ${jobId}`, error);
  }
}

export { CommandFailure };

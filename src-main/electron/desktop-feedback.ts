import { Notification, powerSaveBlocker, type BrowserWindow } from 'electron';
import type { JobSummary } from '../../src-preload/contract';
import { noticeWatcher } from '../../src-preload/job-feedback';
import { isRendering, queueProgress } from './desktop-signals';

/**
 * Shows the queue outside the window: taskbar progress, a notification when a job finishes, and
 * no system sleep while something renders. Fed by the batched `job` events, so at most ~20 a second.
 */
export function desktopFeedback(initial: readonly JobSummary[], window: () => BrowserWindow | null) {
  const notices = noticeWatcher(initial);
  let blocker: number | null = null;

  return {
    jobChanged(job: JobSummary) {
      const notice = notices(job);
      if (!notice || !Notification.isSupported()) return;
      new Notification({ title: notice.title, body: notice.body, silent: notice.silent }).show();
    },
    queueChanged(jobs: readonly JobSummary[]) {
      const win = window();
      if (win && !win.isDestroyed()) win.setProgressBar(queueProgress(jobs));
      const rendering = isRendering(jobs);
      if (rendering && blocker === null) blocker = powerSaveBlocker.start('prevent-app-suspension');
      if (!rendering && blocker !== null) {
        powerSaveBlocker.stop(blocker);
        blocker = null;
      }
    },
    dispose() {
      if (blocker !== null) powerSaveBlocker.stop(blocker);
      blocker = null;
    },
  };
}

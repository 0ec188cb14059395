import { create } from 'zustand';
import { noticeWatcher, queueGlance, type QueueGlance } from '../../../src-preload/job-feedback';
import type { JobSummary } from '../../../src-main/engine/types';
import type { UiBridge } from '../bridge';
import { useJobs } from './jobs-store';

const NOTIFY_KEY = 'spool.notify';

/** The same drawing as public/favicon.svg, so a badge can be added to it. */
const ICON = `<rect width="16" height="16" rx="3" fill="#18191d"/><circle cx="8" cy="8" r="5.2" fill="none" stroke="#4b8cf5" stroke-width="1.4"/><circle cx="8" cy="8" r="1.7" fill="#4b8cf5"/><path d="M8 2.8v3.6M13.2 8H9.7" stroke="#4b8cf5" stroke-width="1.4"/>`;
const BADGE: Record<NonNullable<QueueGlance['badge']>, string> = { failed: '#e5534b', running: '#3fb950' };

export function faviconUrl(badge: QueueGlance['badge']): string {
  const dot = badge ? `<circle cx="12" cy="12" r="4" fill="${BADGE[badge]}" stroke="#18191d" stroke-width="1.2"/>` : '';
  return `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">${ICON}${dot}</svg>`)}`;
}

type Permission = 'default' | 'granted' | 'denied' | 'unsupported';

function permissionNow(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Browser notifications are opt-in: the browser is asked only when the user turns them on. */
export const useNotify = create<{ enabled: boolean; permission: Permission; toggle(): Promise<void> }>()((set, get) => ({
  enabled: permissionNow() === 'granted' && localStorage.getItem(NOTIFY_KEY) === '1',
  permission: permissionNow(),
  async toggle() {
    if (get().enabled) {
      localStorage.removeItem(NOTIFY_KEY);
      set({ enabled: false });
      return;
    }
    if (typeof Notification === 'undefined') return;
    const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
    const enabled = permission === 'granted';
    if (enabled) localStorage.setItem(NOTIFY_KEY, '1');
    set({ enabled, permission });
  },
}));

/**
 * The tab tells the queue's state while the user looks elsewhere: its title and favicon always,
 * a notification per finished job when turned on. In Electron, main notifies (the same rules).
 */
export function startTabFeedback(bridge: UiBridge): () => void {
  const openedAt = Date.now();
  const icon = document.querySelector<HTMLLinkElement>('link[rel=icon]');
  let watch: ((job: JobSummary) => ReturnType<ReturnType<typeof noticeWatcher>>) | null = null;
  let lastBadge: QueueGlance['badge'] | undefined;

  const update = (byId: ReadonlyMap<number, JobSummary>, before: ReadonlyMap<number, JobSummary> | null): void => {
    const jobs = [...byId.values()];
    const glance = queueGlance(jobs, openedAt);
    if (document.title !== glance.title) document.title = glance.title;
    if (icon && glance.badge !== lastBadge) {
      lastBadge = glance.badge;
      icon.type = 'image/svg+xml';
      icon.href = faviconUrl(glance.badge);
    }
    if (watch === null) {
      watch = noticeWatcher(jobs);
      return;
    }
    for (const job of jobs) {
      if (before?.get(job.id) === job) continue;
      const notice = watch(job);
      if (notice && bridge.kind === 'browser' && useNotify.getState().enabled) {
        new Notification(notice.title, { body: notice.body, silent: notice.silent, tag: `spool-job-${notice.jobId}` });
      }
    }
  };

  const state = useJobs.getState();
  if (state.loaded) update(state.byId, null);
  return useJobs.subscribe((next, prev) => {
    if (next.loaded && next.byId !== prev.byId) update(next.byId, prev.loaded ? prev.byId : null);
  });
}

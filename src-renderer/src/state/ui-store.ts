import { create } from 'zustand';
import type { FormPreset } from '../lib/job-form-preset';
import type { StatusFilter } from '../lib/queue';
import { QUEUE_ORDER, type QueueSort } from '../lib/queue-sort';

export type Route =
  | { view: 'queue' }
  | { view: 'job'; id: number; frame?: number }
  | { view: 'history' }
  | { view: 'devices' }
  | { view: 'settings' };

/** `#/job/12` style: reload and back/forward keep the place, and no server routes are needed. */
export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const [head, arg, sub, subArg] = parts;
  if (head === 'job' && arg && /^\d+$/.test(arg)) {
    const frame = sub === 'frame' && subArg && /^-?\d+$/.test(subArg) ? Number(subArg) : undefined;
    return frame === undefined ? { view: 'job', id: Number(arg) } : { view: 'job', id: Number(arg), frame };
  }
  if (head === 'history' || head === 'devices' || head === 'settings') return { view: head };
  return { view: 'queue' };
}

export function routeHash(route: Route): string {
  if (route.view === 'job') return route.frame === undefined ? `#/job/${route.id}` : `#/job/${route.id}/frame/${route.frame}`;
  return `#/${route.view}`;
}

interface UiState {
  route: Route;
  filter: StatusFilter;
  newJobOpen: boolean;
  /** A scene offered from outside the page (a second launch with a file) for the new-job form. */
  newJobScene: string | null;
  /** The form opened on an existing job (Modify, Duplicate); null: a new job. */
  formPreset: FormPreset | null;
  helpOpen: boolean;
  /** The queue table's order, and whether finished jobs are grouped below live ones (on by default). */
  queueSort: QueueSort;
  grouped: boolean;
  setQueueSort(sort: QueueSort): void;
  setGrouped(grouped: boolean): void;
  navigate(route: Route, options?: { replace?: boolean }): void;
  setFilter(filter: StatusFilter): void;
  setNewJobOpen(open: boolean): void;
  openNewJob(scene: string): void;
  openJobForm(preset: FormPreset): void;
  setHelpOpen(open: boolean): void;
}

export const useUi = create<UiState>()((set) => ({
  route: typeof window === 'undefined' ? { view: 'queue' } : parseHash(window.location.hash),
  filter: 'all',
  newJobOpen: false,
  newJobScene: null,
  formPreset: null,
  helpOpen: false,
  queueSort: QUEUE_ORDER,
  grouped: true,
  setQueueSort: (queueSort) => set({ queueSort }),
  setGrouped: (grouped) => set({ grouped }),
  navigate(route, options) {
    const hash = routeHash(route);
    if (typeof window !== 'undefined' && window.location.hash !== hash) {
      if (options?.replace) window.history.replaceState(window.history.state, '', hash);
      else window.history.pushState(window.history.state, '', hash);
    }
    set({ route });
  },
  setFilter: (filter) => set({ filter }),
  setNewJobOpen: (newJobOpen) => set({ newJobOpen, newJobScene: null, formPreset: null }),
  openNewJob: (scene) => set({ newJobOpen: true, newJobScene: scene }),
  openJobForm: (formPreset) => set({ newJobOpen: true, newJobScene: null, formPreset }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
}));

/** Back/forward buttons change the hash without going through navigate(). */
export function followHashChanges(): () => void {
  const onChange = (): void => useUi.setState({ route: parseHash(window.location.hash) });
  window.addEventListener('hashchange', onChange);
  window.addEventListener('popstate', onChange);
  return () => {
    window.removeEventListener('hashchange', onChange);
    window.removeEventListener('popstate', onChange);
  };
}

import type { JobSummary } from '../../../src-main/engine/types';
import { canApply, type QueueAction } from './queue';

/** What the queue's context menu, its toolbar and its keys offer, in one list. */
export type MenuAction =
  | QueueAction
  | 'requeueAll'
  | 'modify'
  | 'duplicateEdit'
  | 'outputFolder'
  | 'copyScene'
  | 'report';

export interface MenuItem {
  action: MenuAction;
  label: string;
  /** The shortcut as shown (ShortcutHelp lists the same keys). */
  key: string;
  title?: string;
  danger?: boolean;
  /** A separator line above it. */
  group?: boolean;
}

/** What the environment offers: Electron opens folders, the browser copies paths. */
export interface MenuEnv {
  electron: boolean;
}

export function menuItems(env: Pick<MenuEnv, 'electron'>): MenuItem[] {
  return [
    { action: 'pause', label: 'Pause after current frame', key: 'P', title: 'Running renders stop once the frame in progress is saved' },
    { action: 'pauseNow', label: 'Pause now', key: 'Shift+P', title: 'Stop running renders at once (the frame in progress is rendered again)' },
    { action: 'resume', label: 'Resume', key: 'R' },
    { action: 'cancel', label: 'Cancel…', key: 'X', title: 'Stop the job; frames already done stay done (asks first when renders are running)' },
    { action: 'retry', label: 'Retry failed frames', key: 'Shift+R', group: true },
    { action: 'requeueAll', label: 'Requeue all frames…', key: 'Shift+Q', title: 'Render every frame again, done ones included' },
    { action: 'priorityUp', label: 'Raise priority', key: '+', group: true },
    { action: 'priorityDown', label: 'Lower priority', key: '−' },
    { action: 'modify', label: 'Modify…', key: 'M', group: true, title: 'Change frames, output, chunks, device… of a queued or paused job' },
    { action: 'duplicate', label: 'Duplicate', key: 'D', title: 'Queue a copy at once' },
    { action: 'duplicateEdit', label: 'Duplicate and edit…', key: 'Shift+D', title: 'Open the new-job form on a copy' },
    env.electron
      ? { action: 'outputFolder', label: 'Open output folder', key: 'O', group: true }
      : { action: 'outputFolder', label: 'Copy output path', key: 'O', group: true, title: 'The folder the frames are written to' },
    { action: 'copyScene', label: 'Copy scene path', key: 'Shift+C' },
    { action: 'report', label: 'Report…', key: 'Shift+E', title: 'Save an HTML report of the selected jobs' },
    { action: 'delete', label: 'Delete…', key: 'Del', danger: true, group: true },
  ];
}

/** Whether an item applies to the selection now; `reason` says why not where that is not obvious. */
export function menuState(action: MenuAction, jobs: readonly JobSummary[]): { enabled: boolean; reason?: string } {
  if (jobs.length === 0) return { enabled: false, reason: 'Select a job first' };
  const one = jobs.length === 1 ? jobs[0]! : null;
  switch (action) {
    case 'modify':
      if (!one) return { enabled: false, reason: 'Modify one job at a time' };
      // The lifecycle decides (lifecycle/actions.ts): only a job with nothing running can change.
      return (one.actions as readonly string[]).includes('modify') ? { enabled: true } : { enabled: false, reason: 'Only a queued, blocked or paused job can be modified' };
    case 'duplicateEdit':
      return one ? { enabled: one.actions.includes('duplicate') } : { enabled: false, reason: 'Duplicate and edit one job at a time' };
    case 'requeueAll':
      return { enabled: jobs.some((j) => j.status !== 'running') };
    case 'outputFolder':
      return one ? { enabled: true } : { enabled: false, reason: 'Choose one job' };
    case 'copyScene':
      return jobs.some((j) => j.scene) ? { enabled: true } : { enabled: false, reason: 'No scene file (a command job)' };
    case 'report':
      return { enabled: true };
    default:
      return { enabled: canApply(action, jobs) };
  }
}

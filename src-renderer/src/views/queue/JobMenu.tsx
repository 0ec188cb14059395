import type { JobSummary } from '../../../../src-main/engine/types';
import { Menu, type MenuEntry } from '../../components/Menu';
import { menuItems, menuState, type MenuAction } from '../../lib/job-menu';
import { menuEnv } from '../../state/menu-actions';

/** The menu entries for a selection: every item, enabled where the lifecycle allows it. */
export function jobMenuEntries(jobs: readonly JobSummary[]): MenuEntry[] {
  const env = menuEnv();
  return menuItems(env).map((item) => {
    const state = menuState(item.action, jobs);
    return {
      id: item.action,
      label: item.label,
      hint: item.key,
      disabled: !state.enabled,
      title: state.enabled ? item.title : (state.reason ?? item.title),
      danger: item.danger,
      group: item.group,
    };
  });
}

export function JobMenu({ jobs, at, onAction, onClose }: { jobs: readonly JobSummary[]; at: { x: number; y: number }; onAction(action: MenuAction): void; onClose(): void }) {
  const label = jobs.length === 1 ? `Job ${jobs[0]!.id} actions` : `${jobs.length} jobs: actions`;
  return <Menu label={label} entries={jobMenuEntries(jobs)} at={at} onSelect={(id) => onAction(id as MenuAction)} onClose={onClose} />;
}

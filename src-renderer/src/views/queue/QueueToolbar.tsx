import { useRef, useState } from 'react';
import type { JobSummary } from '../../../../src-main/engine/types';
import { Icon, type IconName } from '../../components/Icon';
import type { MenuAction } from '../../lib/job-menu';
import { canApply, type QueueAction } from '../../lib/queue';
import { JobMenu } from './JobMenu';

interface Props {
  selected: readonly JobSummary[];
  onAction(action: MenuAction): void;
  onNewJob(): void;
}

const BUTTONS: readonly { action: QueueAction; label: string; icon: IconName; key: string; title?: string; danger?: boolean }[] = [
  { action: 'pause', label: 'Pause', icon: 'pause', key: 'P', title: 'Pause after the frame in progress is saved (renderers that report no saved frames stop at once)' },
  { action: 'pauseNow', label: 'Pause now', icon: 'pause', key: 'Shift+P', title: 'Pause now: stop running renders at once (the frame in progress is rendered again)' },
  { action: 'resume', label: 'Resume', icon: 'play', key: 'R' },
  { action: 'cancel', label: 'Cancel', icon: 'stop', key: 'X' },
  { action: 'retry', label: 'Retry', icon: 'retry', key: 'Shift+R' },
  { action: 'duplicate', label: 'Duplicate', icon: 'copy', key: 'D' },
  { action: 'delete', label: 'Delete', icon: 'trash', key: 'Del', danger: true },
];

export function QueueToolbar({ selected, onAction, onNewJob }: Props) {
  const moreRef = useRef<HTMLButtonElement>(null);
  const [moreAt, setMoreAt] = useState<{ x: number; y: number } | null>(null);
  return (
    <div className="toolbar" role="toolbar" aria-label="Job actions">
      <button type="button" className="btn btn-primary" onClick={onNewJob} title="New job (N)" data-testid="new-job">
        <Icon name="plus" /> New job
      </button>
      <span className="toolbar-sep" />
      {BUTTONS.map((b) => (
        <button
          key={b.action}
          type="button"
          className={`btn btn-tool ${b.danger ? 'btn-tool-danger' : ''}`}
          disabled={!canApply(b.action, selected)}
          onClick={() => onAction(b.action)}
          title={`${b.title ?? b.label} (${b.key})`}
          data-action={b.action}
        >
          <Icon name={b.icon} /> {b.label}
        </button>
      ))}
      <span className="toolbar-sep" />
      <button
        type="button"
        className="btn btn-tool btn-icon"
        disabled={!canApply('priorityUp', selected)}
        onClick={() => onAction('priorityUp')}
        title="Raise priority (+ or Alt+↑)"
        aria-label="Raise priority"
        data-action="priorityUp"
      >
        <Icon name="up" />
      </button>
      <button
        type="button"
        className="btn btn-tool btn-icon"
        disabled={!canApply('priorityDown', selected)}
        onClick={() => onAction('priorityDown')}
        title="Lower priority (− or Alt+↓)"
        aria-label="Lower priority"
        data-action="priorityDown"
      >
        <Icon name="down" />
      </button>
      <span className="toolbar-sep" />
      {/* Every item of the rows' context menu, for mouse users who do not right-click. */}
      <button
        ref={moreRef}
        type="button"
        className="btn btn-tool"
        aria-haspopup="menu"
        aria-expanded={moreAt !== null}
        disabled={selected.length === 0}
        title="All actions on the selected jobs (right-click a row, or the Menu key / Shift+F10)"
        data-testid="more-actions"
        onClick={() => {
          const box = moreRef.current!.getBoundingClientRect();
          setMoreAt({ x: box.left, y: box.bottom + 2 });
        }}
      >
        More <Icon name="chevronDown" size={10} />
      </button>
      {moreAt && selected.length > 0 ? <JobMenu jobs={selected} at={moreAt} onAction={onAction} onClose={() => setMoreAt(null)} /> : null}
      <span className="toolbar-fill" />
      <span className="toolbar-note">{selected.length > 0 ? `${selected.length} selected` : ''}</span>
    </div>
  );
}

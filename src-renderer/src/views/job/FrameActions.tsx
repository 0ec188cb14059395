import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { TaskRecord } from '../../../../src-main/engine/types';
import type { FrameLookup } from '../../state/frame-table';
import { call } from '../../bridge/call';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useDetail } from '../../state/detail-store';
import { useJobs } from '../../state/jobs-store';
import { toastError, useToasts } from '../../state/toasts-store';
import { enabledItems, FRAME_MENU, frameSetText, type FrameMenuItem } from './frame-actions';

interface Props {
  jobId: number;
  /** The selected frames, in the job's order. */
  selected: readonly number[];
  frames: FrameLookup;
  tasks: readonly TaskRecord[];
  /** Where the context menu opens; null: closed. */
  menuAt: { x: number; y: number } | null;
  onCloseMenu(): void;
  onOpenLog(frame: number): void;
  /** The frame in the full-size viewer. */
  onOpenImage(frame: number): void;
}


/**
 * The frame actions, as a toolbar above the grid and as its context menu (the same entries, the
 * same rule for what is enabled). A requeue asks first, saying how many rendered files it will
 * overwrite (the engine counts them in a preview that writes nothing).
 */
export function FrameActions({ jobId, selected, frames, tasks, menuAt, onCloseMenu, onOpenLog, onOpenImage }: Props) {
  const [confirm, setConfirm] = useState<{ frames: string; count: number; overwrites: number } | null>(null);
  const enabled = enabledItems(selected, frames, tasks);
  const set = frameSetText(selected);

  const act = async (action: 'requeue' | 'suspend' | 'resume' | 'complete', preview = false): Promise<void> => {
    const title = `${FRAME_MENU.find((m) => m.id === action)!.label.replace('…', '')} frames ${set}`;
    try {
      const reply = await call('frames.act', { id: jobId, action, frames: set, preview });
      if (preview) {
        setConfirm({ frames: set, count: reply.frames.length, overwrites: reply.overwrites });
        return;
      }
      useJobs.getState().applyBatch({ upserts: [reply.job], removed: [], progress: [] });
      void useDetail.getState().refresh();
      useToasts.getState().push({ kind: 'success', title: `Job ${jobId}`, message: reply.message });
    } catch (error) {
      toastError(title, error);
    }
  };

  const run = (item: FrameMenuItem): void => {
    onCloseMenu();
    if (!enabled.has(item)) return;
    switch (item) {
      case 'requeue':
        void act('requeue', true);
        break;
      case 'suspend':
      case 'resume':
      case 'complete':
        void act(item);
        break;
      case 'image':
        onOpenImage(selected[0]!);
        break;
      case 'log':
        onOpenLog(selected[0]!);
        break;
    }
  };

  return (
    <>
      <div className="frame-toolbar" role="toolbar" aria-label="Frame actions" data-testid="frame-toolbar">
        <span className="muted frame-toolbar-count" data-testid="frames-selected">
          {selected.length === 0 ? 'Select frames: click, shift-click or drag' : `${selected.length} selected`}
        </span>
        {FRAME_MENU.map((item) => (
          <button key={item.id} type="button" className="btn btn-small" disabled={!enabled.has(item.id)} data-testid={`frames-${item.id}`} onClick={() => run(item.id)}>
            {item.label}
          </button>
        ))}
      </div>
      {menuAt ? <FrameMenu at={menuAt} enabled={enabled} onPick={run} onClose={onCloseMenu} /> : null}
      {confirm ? (
        <ConfirmDialog
          title={`Requeue ${confirm.count === 1 ? 'frame' : `${confirm.count} frames`} ${confirm.frames}?`}
          message={
            confirm.overwrites > 0
              ? `${confirm.overwrites} rendered ${confirm.overwrites === 1 ? 'file' : 'files'} will be overwritten when ${confirm.count === 1 ? 'it renders' : 'they render'} again.`
              : 'No rendered file will be overwritten.'
          }
          confirmLabel="Requeue"
          danger={confirm.overwrites > 0}
          onConfirm={() => {
            setConfirm(null);
            void act('requeue');
          }}
          onCancel={() => setConfirm(null)}
        />
      ) : null}
    </>
  );
}

/** A context menu: arrows move, Enter picks, Esc or a click outside closes; it stays inside the window. */
function FrameMenu({ at, enabled, onPick, onClose }: { at: { x: number; y: number }; enabled: ReadonlySet<FrameMenuItem>; onPick(item: FrameMenuItem): void; onClose(): void }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const menu = ref.current;
    if (!menu) return;
    menu.style.left = `${Math.max(4, Math.min(window.innerWidth - menu.offsetWidth - 4, at.x))}px`;
    menu.style.top = `${Math.max(4, Math.min(window.innerHeight - menu.offsetHeight - 4, at.y))}px`;
    menu.querySelector<HTMLElement>('[role=menuitem]:not([aria-disabled=true])')?.focus();
  }, [at]);
  useEffect(() => {
    const away = (e: Event): void => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    window.addEventListener('pointerdown', away, true);
    window.addEventListener('blur', onClose);
    return () => {
      window.removeEventListener('pointerdown', away, true);
      window.removeEventListener('blur', onClose);
    };
  }, [onClose]);
  const onKeyDown = (e: React.KeyboardEvent): void => {
    e.stopPropagation();
    if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      onClose();
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const items = [...(ref.current?.querySelectorAll<HTMLElement>('[role=menuitem]:not([aria-disabled=true])') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    items[(at + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length]?.focus();
  };
  return (
    <div ref={ref} className="menu" role="menu" aria-label="Frame actions" data-testid="frame-menu" style={{ left: at.x, top: at.y }} onKeyDown={onKeyDown}>
      {FRAME_MENU.map((item) => (
        <button
          key={item.id}
          type="button"
          role="menuitem"
          className="menu-item"
          aria-disabled={!enabled.has(item.id)}
          data-testid={`frame-menu-${item.id}`}
          tabIndex={-1}
          onClick={() => onPick(item.id)}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}

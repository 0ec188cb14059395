import { useState } from 'react';
import type { TaskRecord } from '../../../../src-main/engine/types';
import type { FrameLookup } from '../../state/frame-table';
import { call } from '../../bridge/call';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Menu } from '../../components/Menu';
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
      {menuAt ? (
        <Menu
          label="Frame actions"
          testId="frame-menu"
          at={menuAt}
          entries={FRAME_MENU.map((item) => ({ id: item.id, label: item.label, disabled: !enabled.has(item.id) }))}
          onSelect={(id) => run(id as FrameMenuItem)}
          onClose={onCloseMenu}
        />
      ) : null}
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

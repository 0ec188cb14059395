import { formatFrameSet } from '../../../../src-main/engine/frames/format';
import { planFrameAction, type FrameAction, type FrameFacts } from '../../../../src-main/engine/lifecycle/frame-actions';
import type { TaskRecord } from '../../../../src-main/engine/types';
import type { FrameLookup } from '../../state/frame-table';

/** An entry of the frame actions toolbar and menu. */
export type FrameMenuItem = FrameAction | 'image' | 'log';

export const FRAME_MENU: readonly { id: FrameMenuItem; label: string }[] = [
  { id: 'requeue', label: 'Requeue…' },
  { id: 'suspend', label: 'Suspend' },
  { id: 'resume', label: 'Resume' },
  { id: 'complete', label: 'Mark complete' },
  { id: 'image', label: 'Open image' },
  { id: 'log', label: 'Open log' },
];

/** The selected frames in the job's order (a drag or shift-range may have picked them in any order). */
export function selectedInOrder(order: readonly number[], ids: ReadonlySet<number>): number[] {
  return ids.size === 0 ? [] : order.filter((f) => ids.has(f));
}

/** The frame set text the engine parses ("3-4,7"), the same syntax as --frames. */
export const frameSetText = (frames: readonly number[]): string => formatFrameSet(frames);

/**
 * Which entries would do something for these frames: the engine's own rule (the lifecycle's
 * planner), so a button is enabled exactly when the command would move a frame. The first frame
 * opens its image (once done) and its log.
 */
export function enabledItems(selected: readonly number[], frames: FrameLookup, tasks: readonly TaskRecord[]): Set<FrameMenuItem> {
  const out = new Set<FrameMenuItem>();
  if (selected.length === 0) return out;
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const facts: FrameFacts[] = [];
  for (const frame of selected) {
    const record = frames.get(frame);
    if (!record) continue;
    const task = record.taskId === null ? undefined : byId.get(record.taskId);
    facts.push({ frame, state: record.state, task: task ? { state: task.state, index: task.index } : null });
  }
  for (const action of ['requeue', 'suspend', 'resume', 'complete'] as const) {
    if (planFrameAction(action, facts).frames.length > 0) out.add(action);
  }
  const first = frames.get(selected[0]!);
  if (first?.state === 'done' && first.output) out.add('image');
  out.add('log');
  return out;
}

import type { FrameLookup } from '../../state/frame-table';

/** The frames the viewer can show: done ones, in the job's order. */
export function viewableFrames(order: readonly number[], frames: FrameLookup): number[] {
  return order.filter((f) => frames.get(f)?.state === 'done');
}

/**
 * The frame `by` steps from `current` among `viewable` (wrapping when `wrap`, as a flipbook does;
 * stopping at the ends otherwise). A current frame that is not viewable steps to its neighbour
 * in job order.
 */
export function stepFrame(viewable: readonly number[], order: readonly number[], current: number, by: number, wrap = false): number {
  if (viewable.length === 0) return current;
  let at = viewable.indexOf(current);
  if (at < 0) {
    const pos = order.indexOf(current);
    const after = viewable.findIndex((f) => order.indexOf(f) > pos);
    at = by > 0 ? (after < 0 ? viewable.length : after) - 1 : after < 0 ? viewable.length : after;
  }
  const next = at + by;
  if (wrap) return viewable[((next % viewable.length) + viewable.length) % viewable.length]!;
  return viewable[Math.max(0, Math.min(viewable.length - 1, next))]!;
}

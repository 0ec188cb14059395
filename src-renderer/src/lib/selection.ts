/**
 * Table selection as a pure value: what the queue (and any list) does on click, ctrl/cmd-click,
 * shift-click and arrow keys. `visible` is the list as shown, so shift ranges follow the filter.
 */
export interface Selection {
  ids: ReadonlySet<number>;
  /** Where shift-ranges start. */
  anchor: number | null;
  /** The keyboard cursor. */
  focus: number | null;
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null, focus: null };

export interface Modifiers {
  ctrl?: boolean;
  shift?: boolean;
}

function range(visible: readonly number[], from: number, to: number): number[] {
  const a = visible.indexOf(from);
  const b = visible.indexOf(to);
  if (a < 0 || b < 0) return [to];
  return visible.slice(Math.min(a, b), Math.max(a, b) + 1);
}

export function clickSelect(sel: Selection, id: number, mods: Modifiers, visible: readonly number[]): Selection {
  if (mods.shift && sel.anchor !== null) {
    const ids = new Set(mods.ctrl ? sel.ids : []);
    for (const x of range(visible, sel.anchor, id)) ids.add(x);
    return { ids, anchor: sel.anchor, focus: id };
  }
  if (mods.ctrl) {
    const ids = new Set(sel.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { ids, anchor: id, focus: id };
  }
  return { ids: new Set([id]), anchor: id, focus: id };
}

export function moveFocus(sel: Selection, delta: number, extend: boolean, visible: readonly number[]): Selection {
  if (visible.length === 0) return sel;
  const current = sel.focus === null ? -1 : visible.indexOf(sel.focus);
  const start = current < 0 ? (delta > 0 ? -1 : visible.length) : current;
  const nextIndex = Math.max(0, Math.min(visible.length - 1, start + delta));
  const next = visible[nextIndex]!;
  if (extend) {
    const anchor = sel.anchor ?? next;
    return { ids: new Set(range(visible, anchor, next)), anchor, focus: next };
  }
  return { ids: new Set([next]), anchor: next, focus: next };
}

/** Everything shown; the cursor stays where it was (jumping to the end would scroll the list away). */
export function selectAll(visible: readonly number[], focus: number | null = null): Selection {
  const keep = focus !== null && visible.includes(focus) ? focus : (visible[0] ?? null);
  return { ids: new Set(visible), anchor: visible[0] ?? null, focus: keep };
}

/** Drops ids that no longer exist (deleted jobs), keeping the rest of the selection. */
export function pruneSelection(sel: Selection, exists: (id: number) => boolean): Selection {
  let changed = false;
  const ids = new Set<number>();
  for (const id of sel.ids) {
    if (exists(id)) ids.add(id);
    else changed = true;
  }
  const anchor = sel.anchor !== null && exists(sel.anchor) ? sel.anchor : null;
  const focus = sel.focus !== null && exists(sel.focus) ? sel.focus : null;
  if (!changed && anchor === sel.anchor && focus === sel.focus) return sel;
  return { ids, anchor, focus };
}

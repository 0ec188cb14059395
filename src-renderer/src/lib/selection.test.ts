import { describe, expect, it } from 'vitest';
import { clickSelect, EMPTY_SELECTION, moveFocus, pruneSelection, selectAll } from './selection';

const visible = [10, 11, 12, 13, 14];
const ids = (s: { ids: ReadonlySet<number> }): number[] => [...s.ids].sort((a, b) => a - b);

describe('selection', () => {
  it('click selects one, ctrl toggles, shift selects a range from the anchor', () => {
    let s = clickSelect(EMPTY_SELECTION, 11, {}, visible);
    expect(ids(s)).toEqual([11]);
    s = clickSelect(s, 13, { ctrl: true }, visible);
    expect(ids(s)).toEqual([11, 13]);
    s = clickSelect(s, 13, { ctrl: true }, visible);
    expect(ids(s)).toEqual([11]);
    s = clickSelect(clickSelect(EMPTY_SELECTION, 11, {}, visible), 14, { shift: true }, visible);
    expect(ids(s)).toEqual([11, 12, 13, 14]);
    s = clickSelect(s, 12, { shift: true }, visible);
    expect(ids(s)).toEqual([11, 12]);
  });

  it('arrows move the cursor; shift extends', () => {
    let s = moveFocus(EMPTY_SELECTION, 1, false, visible);
    expect(s.focus).toBe(10);
    s = moveFocus(s, 2, true, visible);
    expect(ids(s)).toEqual([10, 11, 12]);
    s = moveFocus(s, Infinity, false, visible);
    expect([s.focus, ...ids(s)]).toEqual([14, 14]);
    s = moveFocus(s, -Infinity, false, visible);
    expect(s.focus).toBe(10);
  });

  it('select all keeps the cursor where it is', () => {
    const s = selectAll(visible, 12);
    expect(ids(s)).toEqual(visible);
    expect(s.focus).toBe(12);
  });

  it('forgets deleted jobs', () => {
    const s = pruneSelection(selectAll(visible, 12), (id) => id !== 12);
    expect(ids(s)).toEqual([10, 11, 13, 14]);
    expect(s.focus).toBeNull();
  });
});

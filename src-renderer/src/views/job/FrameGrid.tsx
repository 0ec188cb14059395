import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { AttemptRecord } from '../../../../src-main/engine/types';
import type { FrameTable } from '../../state/frame-table';
import { countOf, formatDuration } from '../../lib/format';
import { clickSelect, moveFocus, type Selection } from '../../lib/selection';
import { useElementWidth } from '../../lib/use-element-width';
import { cellKind, cellLabel, type CellKind, type CurrentFrames } from './frame-cell';

interface Props {
  order: readonly number[];
  frames: FrameTable;
  fractions: ReadonlyMap<number, number>;
  current: CurrentFrames;
  attempts: readonly AttemptRecord[];
  selection: Selection;
  /**
   * A new selection; `opened`: the frame a plain click (or Enter) picked alone, whose log opens.
   */
  onSelect(selection: Selection, opened: number | null): void;
  /** Right-click or the context-menu key: the frame actions menu at this point. */
  onMenu(x: number, y: number): void;
  /** Double-click: the frame in the viewer (a click selects, as in Deadline's task list). */
  onOpen(frame: number): void;
}

/** What a cell does with the pointer and keys; one object for all cells, so cells stay memoized. */
interface CellHandlers {
  click(frame: number, e: React.MouseEvent): void;
  pointerDown(frame: number, e: React.PointerEvent): void;
  pointerEnter(frame: number, e: React.PointerEvent): void;
  menu(frame: number, e: React.MouseEvent): void;
  open(frame: number): void;
  hover(frame: number | null, el: HTMLElement | null): void;
}

const GAP = 3;

/** Big cells with numbers for short shots, small swatches for long sequences. */
function cellSize(count: number): { size: number; labels: boolean } {
  if (count <= 240) return { size: 30, labels: true };
  if (count <= 2000) return { size: 16, labels: false };
  return { size: 11, labels: false };
}

const Cell = memo(function Cell({
  frame,
  state,
  kind,
  fraction,
  labels,
  selected,
  handlers,
}: {
  frame: number;
  state: string;
  kind: CellKind;
  fraction: number | undefined;
  labels: boolean;
  selected: boolean;
  handlers: CellHandlers;
}) {
  return (
    <button
      type="button"
      role="gridcell"
      aria-selected={selected}
      className={`fcell fcell-${kind} ${selected ? 'fcell-selected' : ''}`}
      data-testid="frame-cell"
      data-frame={frame}
      data-state={state}
      data-kind={kind}
      aria-label={`frame ${frame}: ${cellLabel(kind)}`}
      onClick={(e) => handlers.click(frame, e)}
      onPointerDown={(e) => handlers.pointerDown(frame, e)}
      onPointerEnter={(e) => handlers.pointerEnter(frame, e)}
      onContextMenu={(e) => handlers.menu(frame, e)}
      onDoubleClick={() => handlers.open(frame)}
      onMouseEnter={(e) => handlers.hover(frame, e.currentTarget)}
      onMouseLeave={() => handlers.hover(null, null)}
      onFocus={(e) => handlers.hover(frame, e.currentTarget)}
      onBlur={() => handlers.hover(null, null)}
    >
      {kind === 'rendering' && fraction !== undefined ? <span className="fcell-fill" style={{ height: `${Math.round(fraction * 100)}%` }} /> : null}
      {labels ? <span className="fcell-label">{frame}</span> : null}
    </button>
  );
});

interface RowProps {
  cells: readonly number[];
  start: number;
  size: number;
  frames: FrameTable;
  fractions: ReadonlyMap<number, number>;
  current: CurrentFrames;
  single: ReadonlySet<number>;
  labels: boolean;
  selection: Selection;
  handlers: CellHandlers;
}

/**
 * A row of cells, drawn again only when one of its cells changed. Frame events arrive many times
 * a second while a long job fills, mostly for frames out of sight: rendering every visible cell
 * (1,600 of them) for each batch cost the page the frames the longjob bench counts.
 */
const GridRow = memo(function GridRow({ cells, start, size, frames, fractions, current, single, labels, selection, handlers }: RowProps) {
  return (
    <div className="fgrid-row" role="row" style={{ transform: `translateY(${start}px)`, gap: GAP, height: size }}>
      {cells.map((frame) => {
        const record = frames.get(frame);
        return (
          <Cell
            key={frame}
            frame={frame}
            state={record?.state ?? 'queued'}
            kind={cellKind(record, current, single)}
            fraction={fractions.get(frame)}
            labels={labels}
            selected={selection.ids.has(frame)}
            handlers={handlers}
          />
        );
      })}
    </div>
  );
}, sameRow);

/** Whether every cell of the row would draw the same: its record, progress, selection and (running only) kind. */
function sameRow(a: RowProps, b: RowProps): boolean {
  if (a.start !== b.start || a.size !== b.size || a.labels !== b.labels || a.handlers !== b.handlers || a.cells.length !== b.cells.length) return false;
  for (let i = 0; i < a.cells.length; i++) {
    const frame = a.cells[i]!;
    if (frame !== b.cells[i]) return false;
    const before = a.frames.get(frame);
    const after = b.frames.get(frame);
    if (before !== after || a.fractions.get(frame) !== b.fractions.get(frame) || a.selection.ids.has(frame) !== b.selection.ids.has(frame)) return false;
    // Only a running frame's kind depends on what its chunk says it renders now.
    if (after?.state === 'running' && cellKind(before, a.current, a.single) !== cellKind(after, b.current, b.single)) return false;
  }
  return true;
}

/**
 * One cell per frame, coloured by what it really is (frame-cell.ts); rows are virtualized so a
 * 100,000-frame job stays light. Click selects a frame (and opens its log), shift-click or a drag
 * a range, ctrl/cmd-click toggles one; arrows move (shift extends); right-click or the
 * context-menu key opens the frame actions.
 */
export function FrameGrid({ order, frames, fractions, current, attempts, selection, onSelect, onMenu, onOpen }: Props) {
  const [wrapRef, width] = useElementWidth<HTMLDivElement>();
  const [hover, setHover] = useState<{ frame: number; x: number; y: number } | null>(null);
  const { size, labels } = cellSize(order.length);
  const columns = Math.max(1, Math.floor((width + GAP) / (size + GAP)));
  const rows = Math.ceil(order.length / columns);

  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => wrapRef.current,
    estimateSize: () => size + GAP,
    overscan: 4,
  });
  useEffect(() => virtualizer.measure(), [size, columns, virtualizer]);

  // The box scrolls by itself: rows out of sight below are announced, or nobody knows they exist.
  const [rowsBelow, setRowsBelow] = useState(0);
  const measureBelow = useCallback(() => {
    const el = wrapRef.current;
    if (!el) return;
    const hidden = el.scrollHeight - el.scrollTop - el.clientHeight;
    setRowsBelow(hidden > 1 ? Math.ceil(hidden / (size + GAP)) : 0);
  }, [wrapRef, size]);
  useEffect(measureBelow, [measureBelow, rows, width]);

  const attemptsByTask = useMemo(() => {
    const m = new Map<number, number>();
    for (const a of attempts) m.set(a.taskId, (m.get(a.taskId) ?? 0) + 1);
    return m;
  }, [attempts]);

  // Viewport coordinates: the tooltip is position: fixed so the grid's scroll box cannot clip it.
  const onHover = useMemo(
    () => (frame: number | null, el: HTMLElement | null) => {
      if (frame === null || !el) {
        setHover(null);
        return;
      }
      const r = el.getBoundingClientRect();
      setHover({ frame, x: r.left + r.width / 2, y: r.top });
    },
    [],
  );
  const tipRef = useRef<HTMLDivElement>(null);
  // Keep the tooltip inside the window: measured after render, nudged before paint.
  useLayoutEffect(() => {
    const tip = tipRef.current;
    if (!tip || !hover) return;
    const w = tip.offsetWidth;
    const h = tip.offsetHeight;
    const left = Math.max(6, Math.min(window.innerWidth - w - 6, hover.x - w / 2));
    const top = hover.y - h - 8 >= 6 ? hover.y - h - 8 : hover.y + 24;
    tip.style.left = `${left}px`;
    tip.style.top = `${top}px`;
  });

  // Kept by the table as frames change: counting 100,000 frames on every render would not scale.
  const single = frames.singleRunningTasks();

  // The latest props for handlers that outlive a render (one handlers object keeps cells memoized).
  const latest = useRef({ selection, order, onSelect, onMenu, onOpen, columns });
  latest.current = { selection, order, onSelect, onMenu, onOpen, columns };
  const drag = useRef<{ anchor: number; moved: boolean } | null>(null);
  useEffect(() => {
    // A drag's own click (if it lands on a cell) is swallowed; the next click is a click again.
    const end = (): void => {
      if (drag.current?.moved) setTimeout(() => (drag.current = null), 0);
      else drag.current = null;
    };
    window.addEventListener('pointerup', end);
    return () => window.removeEventListener('pointerup', end);
  }, []);
  const handlers = useMemo<CellHandlers>(
    () => ({
      click(frame, e) {
        const { selection: sel, order: visible, onSelect: select } = latest.current;
        if (drag.current?.moved) {
          drag.current = null;
          return;
        }
        drag.current = null;
        const mods = { shift: e.shiftKey, ctrl: e.ctrlKey || e.metaKey };
        select(clickSelect(sel, frame, mods, visible), mods.shift || mods.ctrl ? null : frame);
      },
      pointerDown(frame, e) {
        if (e.button === 0 && !e.shiftKey && !e.ctrlKey && !e.metaKey) drag.current = { anchor: frame, moved: false };
      },
      pointerEnter(frame, e) {
        const d = drag.current;
        if (!d || (e.buttons & 1) === 0) return;
        d.moved = true;
        const { order: visible, onSelect: select } = latest.current;
        select(clickSelect({ ids: new Set(), anchor: d.anchor, focus: d.anchor }, frame, { shift: true }, visible), null);
      },
      menu(frame, e) {
        e.preventDefault();
        const { selection: sel, order: visible, onSelect: select, onMenu: open } = latest.current;
        if (!sel.ids.has(frame)) select(clickSelect(sel, frame, {}, visible), null);
        // The context-menu key gives no pointer position: the menu opens at the cell.
        const r = e.currentTarget.getBoundingClientRect();
        const byKey = e.clientX === 0 && e.clientY === 0;
        open(byKey ? r.left + r.width / 2 : e.clientX, byKey ? r.bottom : e.clientY);
      },
      open(frame) {
        latest.current.onOpen(frame);
      },
      hover: onHover,
    }),
    [onHover],
  );

  const onKeyDown = (e: React.KeyboardEvent): void => {
    const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -columns, ArrowDown: columns }[e.key];
    if (step === undefined) return;
    e.preventDefault();
    const next = moveFocus(selection, step, e.shiftKey, order);
    onSelect(next, null);
    if (next.focus === null) return;
    virtualizer.scrollToIndex(Math.floor(order.indexOf(next.focus) / columns));
    requestAnimationFrame(() => wrapRef.current?.querySelector<HTMLElement>(`[data-frame="${next.focus}"]`)?.focus());
  };

  const hovered = hover ? frames.get(hover.frame) : undefined;
  const hoverAttempts = hovered?.taskId != null ? (attemptsByTask.get(hovered.taskId) ?? 0) : 0;

  return (
    <div className="fgrid-box">
    <div className="fgrid" ref={wrapRef} data-testid="frame-grid" role="grid" aria-label="Frames" aria-multiselectable onScroll={measureBelow} onKeyDown={onKeyDown}>
      <div className="fgrid-inner" style={{ height: virtualizer.getTotalSize() }}>
        {width > 0
          ? virtualizer.getVirtualItems().map((row) => (
              <GridRow
                key={row.key}
                cells={order.slice(row.index * columns, row.index * columns + columns)}
                start={row.start}
                size={size}
                frames={frames}
                fractions={fractions}
                current={current}
                single={single}
                labels={labels}
                selection={selection}
                handlers={handlers}
              />
            ))
          : null}
      </div>
      {hover && hovered ? (
        <div ref={tipRef} className="tooltip fgrid-tip" role="tooltip" data-testid="frame-tooltip">
          <div className="tooltip-title">
            Frame {hover.frame} · <span className={`state-text state-${hovered.state}`}>{cellLabel(cellKind(hovered, current, single))}</span>
          </div>
          <div>Render time: {formatDuration(hovered.renderMs)}</div>
          <div>
            Attempts: {hoverAttempts}
            {cellKind(hovered, current, single) === 'rendering' && fractions.get(hover.frame) !== undefined ? ` · ${Math.round(fractions.get(hover.frame)! * 100)}%` : ''}
          </div>
          {hovered.reason ? <div className="tooltip-reason">{hovered.reason}</div> : null}
          <div className="tooltip-hint">click for this frame's log · right-click for actions</div>
        </div>
      ) : null}
    </div>
      {rowsBelow > 0 ? (
        <div className="fgrid-more" data-testid="frame-grid-more" aria-hidden>
          <span className="fgrid-more-text">{countOf(rowsBelow, 'more row')} below ↓</span>
        </div>
      ) : null}
    </div>
  );
}

import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { AttemptRecord, FrameRecord } from '../../../../src-main/engine/types';
import { countOf, formatDuration } from '../../lib/format';
import { useElementWidth } from '../../lib/use-element-width';
import { cellKind, cellLabel } from './frame-cell';

interface Props {
  order: readonly number[];
  frames: ReadonlyMap<number, FrameRecord>;
  fractions: ReadonlyMap<number, number>;
  attempts: readonly AttemptRecord[];
  selectedFrame: number | null;
  onSelect(frame: number): void;
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
  record,
  fraction,
  labels,
  selected,
  onSelect,
  onHover,
}: {
  frame: number;
  record: FrameRecord | undefined;
  fraction: number | undefined;
  labels: boolean;
  selected: boolean;
  onSelect(frame: number): void;
  onHover(frame: number | null, el: HTMLElement | null): void;
}) {
  const state = record?.state ?? 'queued';
  const kind = cellKind(record);
  return (
    <button
      type="button"
      role="gridcell"
      aria-selected={selected}
      className={`fcell fcell-${kind} ${selected ? 'fcell-selected' : ''}`}
      data-testid="frame-cell"
      data-frame={frame}
      data-state={state}
      aria-label={`frame ${frame}: ${cellLabel(kind)}`}
      onClick={() => onSelect(frame)}
      onMouseEnter={(e) => onHover(frame, e.currentTarget)}
      onMouseLeave={() => onHover(null, null)}
      onFocus={(e) => onHover(frame, e.currentTarget)}
      onBlur={() => onHover(null, null)}
    >
      {state === 'running' && fraction !== undefined ? <span className="fcell-fill" style={{ height: `${Math.round(fraction * 100)}%` }} /> : null}
      {labels ? <span className="fcell-label">{frame}</span> : null}
    </button>
  );
});

/** One cell per frame, coloured by state; rows are virtualized so a 100,000-frame job stays light. */
export function FrameGrid({ order, frames, fractions, attempts, selectedFrame, onSelect }: Props) {
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

  const hovered = hover ? frames.get(hover.frame) : undefined;
  const hoverAttempts = hovered?.taskId != null ? (attemptsByTask.get(hovered.taskId) ?? 0) : 0;

  return (
    <div className="fgrid-box">
    <div className="fgrid" ref={wrapRef} data-testid="frame-grid" role="grid" aria-label="Frames" onScroll={measureBelow}>
      <div className="fgrid-inner" style={{ height: virtualizer.getTotalSize() }}>
        {width > 0
          ? virtualizer.getVirtualItems().map((row) => (
              <div key={row.key} className="fgrid-row" role="row" style={{ transform: `translateY(${row.start}px)`, gap: GAP, height: size }}>
                {order.slice(row.index * columns, row.index * columns + columns).map((frame) => (
                  <Cell
                    key={frame}
                    frame={frame}
                    record={frames.get(frame)}
                    fraction={fractions.get(frame)}
                    labels={labels}
                    selected={selectedFrame === frame}
                    onSelect={onSelect}
                    onHover={onHover}
                  />
                ))}
              </div>
            ))
          : null}
      </div>
      {hover && hovered ? (
        <div ref={tipRef} className="tooltip fgrid-tip" role="tooltip" data-testid="frame-tooltip">
          <div className="tooltip-title">
            Frame {hover.frame} · <span className={`state-text state-${hovered.state}`}>{cellLabel(cellKind(hovered))}</span>
          </div>
          <div>Render time: {formatDuration(hovered.renderMs)}</div>
          <div>
            Attempts: {hoverAttempts}
            {hovered.state === 'running' && fractions.get(hover.frame) !== undefined ? ` · ${Math.round(fractions.get(hover.frame)! * 100)}%` : ''}
          </div>
          {hovered.reason ? <div className="tooltip-reason">{hovered.reason}</div> : null}
          <div className="tooltip-hint">click for this frame's log</div>
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

import { useVirtualizer } from '@tanstack/react-virtual';
import { Icon } from '../../components/Icon';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type MouseEvent } from 'react';
import type { JobSummary } from '../../../../src-main/engine/types';
import { nextSort, type QueueSort, type SortKey } from '../../lib/queue-sort';
import { partialOf, useJobs } from '../../state/jobs-store';
import { QueueRow, type RowHandlers } from './QueueRow';

const COLUMNS: readonly { key: Exclude<SortKey, 'queue'>; label: string; num?: boolean }[] = [
  { key: 'name', label: 'Name' },
  { key: 'dcc', label: 'DCC' },
  { key: 'frames', label: 'Frames' },
  { key: 'status', label: 'Status' },
  { key: 'priority', label: 'Priority', num: true },
  { key: 'elapsed', label: 'Elapsed', num: true },
  { key: 'eta', label: 'ETA', num: true },
];

const ROW_HEIGHT = 30;

interface Props {
  jobs: readonly JobSummary[];
  selectedIds: ReadonlySet<number>;
  focusId: number | null;
  sort: QueueSort;
  onSort(sort: QueueSort): void;
  /** Rows can be dragged to change priorities (only in the queue's own order). */
  reorderable: boolean;
  onRowClick(id: number, mods: { ctrl: boolean; shift: boolean }): void;
  /** A right-click (or the menu key) on a row, at a viewport point. */
  onContextMenu(id: number, at: { x: number; y: number }): void;
  onOpen(id: number): void;
  /** Drop `draggedId` so that it lands at `targetIndex` of `jobs` (jobs.length = the end). */
  onReorder(draggedId: number, targetIndex: number): void;
}

export function QueueTable({ jobs, selectedIds, focusId, sort, onSort, reorderable, onRowClick, onContextMenu, onOpen, onReorder }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const partial = useJobs((s) => s.partial);
  const [dragId, setDragId] = useState<number | null>(null);
  const [dropIndex, setDropIndex] = useState<number | null>(null);

  const virtualizer = useVirtualizer({
    count: jobs.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 5,
  });

  // Keyboard moves must bring the cursor row into view.
  const focusIndex = useMemo(() => (focusId === null ? -1 : jobs.findIndex((j) => j.id === focusId)), [jobs, focusId]);
  useEffect(() => {
    if (focusIndex >= 0) virtualizer.scrollToIndex(focusIndex, { align: 'auto' });
  }, [focusIndex, virtualizer]);

  // Refs keep the handlers object stable, so memoized rows don't re-render when it changes.
  const state = useRef({ jobs, dragId, dropIndex, onRowClick, onContextMenu, onOpen, onReorder });
  state.current = { jobs, dragId, dropIndex, onRowClick, onContextMenu, onOpen, onReorder };

  const handlers: RowHandlers = useMemo(
    () => ({
      onClick: (id: number, e: MouseEvent) => state.current.onRowClick(id, { ctrl: e.ctrlKey || e.metaKey, shift: e.shiftKey }),
      onOpen: (id: number) => state.current.onOpen(id),
      onContextMenu: (id: number, e: MouseEvent) => {
        e.preventDefault();
        state.current.onContextMenu(id, { x: e.clientX, y: e.clientY });
      },
      onDragStart: (id: number, e: DragEvent) => {
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('application/x-spool-job', String(id));
        setDragId(id);
      },
      onDragOver: (index: number, e: DragEvent<HTMLDivElement>) => {
        if (state.current.dragId === null) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        const rect = e.currentTarget.getBoundingClientRect();
        const next = e.clientY < rect.top + rect.height / 2 ? index : index + 1;
        if (next !== state.current.dropIndex) setDropIndex(next);
      },
      onDrop: (e: DragEvent) => {
        e.preventDefault();
        const { dragId: id, dropIndex: target } = state.current;
        setDragId(null);
        setDropIndex(null);
        if (id !== null && target !== null) state.current.onReorder(id, target);
      },
      onDragEnd: () => {
        setDragId(null);
        setDropIndex(null);
      },
    }),
    [],
  );

  const onBodyDragOver = useCallback((e: DragEvent) => {
    if (state.current.dragId !== null) e.preventDefault();
  }, []);

  return (
    // Focusable itself, with the cursor row as its active descendant: Tab reaches the list in one
    // stop and the queue's arrow keys (on the window) move the cursor, as in a file manager.
    <div
      className="qtable"
      role="grid"
      aria-label="Jobs"
      aria-rowcount={jobs.length + 1}
      aria-multiselectable="true"
      aria-activedescendant={focusIndex >= 0 ? `job-row-${focusId}` : undefined}
      tabIndex={0}
      data-testid="queue-table"
    >
      <div className="qrow qrow-head" role="row" aria-rowindex={1}>
        <span role="columnheader" className="qcell qcell-grip">
          <span className="sr-only">Order</span>
        </span>
        {COLUMNS.map((c) => {
          const sorted = sort.key === c.key;
          return (
            <span
              key={c.key}
              role="columnheader"
              className={`qcell ${c.num ? 'qcell-num' : ''}`}
              aria-sort={sorted ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
            >
              <button
                type="button"
                className="qhead-sort"
                data-sort={c.key}
                data-sorted={sorted ? sort.dir : undefined}
                title={sorted && sort.dir === 'desc' ? 'Back to queue order' : `Sort by ${c.label.toLowerCase()}`}
                onClick={() => onSort(nextSort(sort, c.key))}
              >
                {c.label}
                {sorted ? <Icon name={sort.dir === 'asc' ? 'chevronUp' : 'chevronDown'} size={10} /> : null}
              </button>
            </span>
          );
        })}
      </div>
      <div ref={scrollRef} className="qbody" data-testid="queue-scroll" onDragOver={onBodyDragOver} onDrop={handlers.onDrop}>
        <div className="qbody-inner" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const job = jobs[item.index]!;
            const drop =
              dropIndex === null || dragId === null ? null : dropIndex === item.index ? 'before' : dropIndex === item.index + 1 && item.index === jobs.length - 1 ? 'after' : null;
            return (
              <QueueRow
                key={job.id}
                job={job}
                index={item.index}
                top={item.start}
                selected={selectedIds.has(job.id)}
                focused={focusId === job.id}
                partial={job.status === 'running' ? partialOf(partial, job.id) : 0}
                drop={drop}
                dragging={dragId === job.id}
                draggable={reorderable}
                handlers={handlers}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

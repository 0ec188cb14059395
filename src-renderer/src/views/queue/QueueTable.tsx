import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type MouseEvent } from 'react';
import type { JobSummary } from '../../../../src-main/engine/types';
import { partialOf, useJobs } from '../../state/jobs-store';
import { QueueRow, type RowHandlers } from './QueueRow';

const ROW_HEIGHT = 30;

interface Props {
  jobs: readonly JobSummary[];
  selectedIds: ReadonlySet<number>;
  focusId: number | null;
  onRowClick(id: number, mods: { ctrl: boolean; shift: boolean }): void;
  onOpen(id: number): void;
  /** Drop `draggedId` so that it lands at `targetIndex` of `jobs` (jobs.length = the end). */
  onReorder(draggedId: number, targetIndex: number): void;
}

export function QueueTable({ jobs, selectedIds, focusId, onRowClick, onOpen, onReorder }: Props) {
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
  const state = useRef({ jobs, dragId, dropIndex, onRowClick, onOpen, onReorder });
  state.current = { jobs, dragId, dropIndex, onRowClick, onOpen, onReorder };

  const handlers: RowHandlers = useMemo(
    () => ({
      onClick: (id: number, e: MouseEvent) => state.current.onRowClick(id, { ctrl: e.ctrlKey || e.metaKey, shift: e.shiftKey }),
      onOpen: (id: number) => state.current.onOpen(id),
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
    <div className="qtable" role="grid" aria-rowcount={jobs.length + 1} aria-multiselectable="true" data-testid="queue-table">
      <div className="qrow qrow-head" role="row" aria-rowindex={1}>
        <span role="columnheader" className="qcell qcell-grip" />
        <span role="columnheader" className="qcell">
          Name
        </span>
        <span role="columnheader" className="qcell">
          DCC
        </span>
        <span role="columnheader" className="qcell">
          Frames
        </span>
        <span role="columnheader" className="qcell">
          Status
        </span>
        <span role="columnheader" className="qcell qcell-num">
          Priority
        </span>
        <span role="columnheader" className="qcell qcell-num">
          Elapsed
        </span>
        <span role="columnheader" className="qcell qcell-num">
          ETA
        </span>
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
                handlers={handlers}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

import { memo, type DragEvent, type MouseEvent } from 'react';
import type { JobSummary } from '../../../../src-main/engine/types';
import { DccBadge } from '../../components/DccBadge';
import { Icon } from '../../components/Icon';
import { LiveDuration } from '../../components/LiveDuration';
import { ProgressBar } from '../../components/ProgressBar';
import { StatusPill } from '../../components/StatusPill';
import { formatDuration } from '../../lib/format';
import { elapsedMs, etaMs, shownStatus } from '../../lib/queue';

export interface RowHandlers {
  onClick(id: number, e: MouseEvent): void;
  onOpen(id: number): void;
  onContextMenu(id: number, e: MouseEvent): void;
  onDragStart(id: number, e: DragEvent): void;
  onDragOver(index: number, e: DragEvent<HTMLDivElement>): void;
  onDrop(e: DragEvent): void;
  onDragEnd(): void;
}

interface Props {
  job: JobSummary;
  index: number;
  top: number;
  selected: boolean;
  focused: boolean;
  partial: number;
  drop: 'before' | 'after' | null;
  dragging: boolean;
  draggable: boolean;
  handlers: RowHandlers;
}

/** Memoized: with 5,000 rows only the few whose job or flags changed re-render on an event batch. */
export const QueueRow = memo(function QueueRow({ job, index, top, selected, focused, partial, drop, dragging, draggable, handlers }: Props) {
  const running = job.status === 'running';
  const staticElapsed = elapsedMs(job, job.finishedAt ?? Date.now());
  return (
    <div
      role="row"
      id={`job-row-${job.id}`}
      aria-selected={selected}
      aria-rowindex={index + 2}
      className={[
        'qrow',
        index % 2 ? 'qrow-odd' : '',
        selected ? 'qrow-selected' : '',
        focused ? 'qrow-focused' : '',
        drop ? `qrow-drop-${drop}` : '',
        dragging ? 'qrow-dragging' : '',
      ].join(' ')}
      style={{ transform: `translateY(${top}px)` }}
      data-testid="job-row"
      data-job-id={job.id}
      data-status={job.status}
      draggable={draggable}
      onMouseDown={(e) => {
        // Shift-click selects a range; without this the browser also selects the rows' text.
        if (e.shiftKey) e.preventDefault();
      }}
      onClick={(e) => handlers.onClick(job.id, e)}
      onDoubleClick={() => handlers.onOpen(job.id)}
      onContextMenu={(e) => handlers.onContextMenu(job.id, e)}
      onDragStart={(e) => handlers.onDragStart(job.id, e)}
      onDragOver={(e) => handlers.onDragOver(index, e)}
      onDrop={handlers.onDrop}
      onDragEnd={handlers.onDragEnd}
    >
      <span role="gridcell" className="qcell qcell-grip" title={draggable ? 'Drag to reorder' : 'Sorted by a column: back to queue order to drag'}>
        <Icon name="grip" size={12} />
      </span>
      <span role="gridcell" className="qcell qcell-name" title={job.scene ?? job.name}>
        <span className="qcell-id">#{job.id}</span>
        <span className="truncate">{job.name}</span>
        {job.reason && (job.status === 'failed' || job.framesFailed > 0) ? (
          <span className="qcell-reason truncate" title={job.reason}>
            {job.reason}
          </span>
        ) : null}
      </span>
      <span role="gridcell" className="qcell">
        <DccBadge dcc={job.dcc} withLabel />
      </span>
      <span role="gridcell" className="qcell qcell-frames">
        <span className="qcell-count mono">
          {job.framesDone}/{job.frameCount}
        </span>
        <ProgressBar total={job.frameCount} done={job.framesDone} failed={job.framesFailed} partial={partial} label={`Frames of job ${job.id}`} />
      </span>
      <span role="gridcell" className="qcell qcell-status">
        <StatusPill status={shownStatus(job)} />
      </span>
      <span role="gridcell" className="qcell qcell-num mono">
        {job.priority}
      </span>
      <span role="gridcell" className="qcell qcell-num mono">
        {running ? <LiveDuration compute={(now) => elapsedMs(job, now)} /> : formatDuration(staticElapsed)}
      </span>
      <span role="gridcell" className="qcell qcell-num mono">
        {running ? <LiveDuration compute={(now) => etaMs(job, now, partial)} /> : '—'}
      </span>
    </div>
  );
});

import { useCallback, useMemo, useState } from 'react';
import type { JobSummary } from '../../../../src-main/engine/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { applicableIds, countByStatus, matchesFilter, prioritiesForGroupDrop, priorityForDrop, STATUS_FILTERS } from '../../lib/queue';
import { menuState, type MenuAction } from '../../lib/job-menu';
import { finishedInQueue, sortJobs } from '../../lib/queue-sort';
import { clickSelect, moveFocus, selectAll, type Selection } from '../../lib/selection';
import { setPriority } from '../../state/actions';
import { useJobs } from '../../state/jobs-store';
import { loadJobs } from '../../state/load-jobs';
import { clearFinished, runMenuAction } from '../../state/menu-actions';
import { useSelection } from '../../state/selection-store';
import { useUi } from '../../state/ui-store';
import { FilterTabs } from './FilterTabs';
import { JobMenu } from './JobMenu';
import { QueueTable } from './QueueTable';
import { QueueToolbar } from './QueueToolbar';
import { useQueueShortcuts } from './use-queue-shortcuts';

/** A question before an action that loses work or data. */
type Confirm = { action: 'delete' | 'cancel'; jobs: readonly JobSummary[] };

export function QueueView() {
  const byId = useJobs((s) => s.byId);
  const order = useJobs((s) => s.order);
  const loaded = useJobs((s) => s.loaded);
  const loadError = useJobs((s) => s.loadError);
  const filter = useUi((s) => s.filter);
  const setFilter = useUi((s) => s.setFilter);
  const sort = useUi((s) => s.queueSort);
  const setSort = useUi((s) => s.setQueueSort);
  const grouped = useUi((s) => s.grouped);
  const setGrouped = useUi((s) => s.setGrouped);
  const navigate = useUi((s) => s.navigate);
  const newJobOpen = useUi((s) => s.newJobOpen);
  const setNewJobOpen = useUi((s) => s.setNewJobOpen);
  const selection = useSelection((s) => s.selection);
  const setSelection = useSelection((s) => s.set);
  const [confirm, setConfirm] = useState<Confirm | null>(null);
  const [menuAt, setMenuAt] = useState<{ x: number; y: number } | null>(null);

  // Jobs "Clear finished" moved to History are not in the queue.
  const inQueue = useMemo(() => {
    const out: JobSummary[] = [];
    for (const id of order) {
      const job = byId.get(id);
      if (job && job.archivedAt === null) out.push(job);
    }
    return out;
  }, [order, byId]);
  const visible = useMemo(() => sortJobs(inQueue.filter((job) => matchesFilter(job, filter)), sort, grouped, Date.now()), [inQueue, filter, sort, grouped]);
  const visibleIds = useMemo(() => visible.map((j) => j.id), [visible]);
  const counts = useMemo(() => countByStatus(inQueue), [inQueue]);
  const finished = useMemo(() => finishedInQueue(inQueue), [inQueue]);
  const selected = useMemo(() => {
    const out: JobSummary[] = [];
    for (const id of selection.ids) {
      const job = byId.get(id);
      if (job) out.push(job);
    }
    return out;
  }, [selection, byId]);

  const update = useCallback((next: Selection) => setSelection(next), [setSelection]);

  const act = useCallback(
    (action: MenuAction) => {
      if (selected.length === 0 || !menuState(action, selected).enabled) return;
      if (action === 'delete') return setConfirm({ action, jobs: selected });
      // Canceling stops renders in progress and loses their frames: asked first (see README).
      if (action === 'cancel') {
        const jobs = selected.filter((j) => applicableIds('cancel', [j]).length > 0);
        if (jobs.some((j) => j.status === 'running' || j.framesRunning > 0)) return setConfirm({ action, jobs });
      }
      void runMenuAction(action, selected);
    },
    [selected],
  );

  const open = useCallback((id: number) => navigate({ view: 'job', id }), [navigate]);

  useQueueShortcuts(!newJobOpen && confirm === null && menuAt === null, {
    action: act,
    move: (delta, extend) => update(moveFocus(selection, delta, extend, visibleIds)),
    selectAll: () => update(selectAll(visibleIds, selection.focus)),
    open: () => {
      if (selection.focus !== null) open(selection.focus);
    },
    clear: () => update({ ids: new Set(), anchor: null, focus: selection.focus }),
    menu: () => {
      if (selected.length === 0) return;
      // The keyboard's menu opens by the cursor row (or the table's top-left without one).
      const row = document.querySelector(`[data-testid=job-row][data-job-id="${selection.focus ?? selected[0]!.id}"]`);
      const box = (row ?? document.querySelector('[data-testid=queue-table]'))?.getBoundingClientRect();
      setMenuAt({ x: (box?.left ?? 0) + 40, y: (box?.bottom ?? 0) - 4 });
    },
  });

  const onContextMenu = useCallback(
    (id: number, at: { x: number; y: number }) => {
      // As in every file manager: right-click on an unselected row selects it alone first.
      if (!selection.ids.has(id)) update({ ids: new Set([id]), anchor: id, focus: id });
      setMenuAt(at);
    },
    [selection, update],
  );

  const onReorder = useCallback(
    (draggedId: number, targetIndex: number) => {
      // Dragging one of several selected jobs moves them all, in their queue order.
      if (selection.ids.has(draggedId) && selection.ids.size > 1) {
        for (const [id, priority] of prioritiesForGroupDrop(visible, selection.ids, targetIndex)) void setPriority(id, priority);
        return;
      }
      const priority = priorityForDrop(visible, draggedId, targetIndex);
      const job = byId.get(draggedId);
      if (priority === null || !job || priority === job.priority) return;
      void setPriority(draggedId, priority);
    },
    [visible, byId, selection],
  );

  const filterLabel = STATUS_FILTERS.find((f) => f.id === filter)?.label.toLowerCase() ?? '';

  return (
    <section className="queue" aria-labelledby="queue-title">
      <h1 id="queue-title" className="sr-only">
        Queue
      </h1>
      <QueueToolbar selected={selected} onAction={act} onNewJob={() => setNewJobOpen(true)} />
      <FilterTabs
        filter={filter}
        counts={counts}
        onChange={setFilter}
        grouped={grouped}
        onGrouped={setGrouped}
        finished={finished.length}
        onClearFinished={() => void clearFinished(finished)}
      />
      {loadError && !loaded ? (
        <EmptyState title="Could not load the queue">
          <p className="error-text">{loadError}</p>
          <button type="button" className="btn" onClick={() => void loadJobs()}>
            Try again
          </button>
        </EmptyState>
      ) : !loaded ? (
        <EmptyState title="Loading queue…" />
      ) : visible.length === 0 ? (
        inQueue.length === 0 ? (
          <EmptyState title="No jobs yet">
            Press <kbd>N</kbd> or click <b>New job</b> to queue a render.
          </EmptyState>
        ) : (
          <EmptyState title={`No ${filterLabel} jobs`}>
            <button type="button" className="link-btn" onClick={() => setFilter('all')}>
              Show all {inQueue.length} jobs
            </button>
          </EmptyState>
        )
      ) : (
        <QueueTable
          // A new filter is a new list: start it at the top (or at the cursor row, if shown).
          key={filter}
          jobs={visible}
          selectedIds={selection.ids}
          focusId={selection.focus}
          sort={sort}
          onSort={setSort}
          // Dragging sets priorities, which only means something in the queue's own order.
          reorderable={sort.key === 'queue'}
          onRowClick={(id, mods) => update(clickSelect(selection, id, mods, visibleIds))}
          onContextMenu={onContextMenu}
          onOpen={open}
          onReorder={onReorder}
        />
      )}
      {menuAt && selected.length > 0 ? <JobMenu jobs={selected} at={menuAt} onAction={act} onClose={() => setMenuAt(null)} /> : null}
      {confirm ? (
        <ConfirmDialog
          {...confirmText(confirm)}
          danger
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            const { action, jobs } = confirm;
            setConfirm(null);
            void runMenuAction(action, jobs);
          }}
        />
      ) : null}
    </section>
  );
}

function confirmText({ action, jobs }: Confirm): { title: string; message: string; confirmLabel: string; cancelLabel: string } {
  const what = jobs.length === 1 ? `“${jobs[0]!.name}”` : `${jobs.length} jobs`;
  if (action === 'delete') {
    return { title: `Delete ${what}?`, message: 'The jobs and their logs leave the queue. Rendered images stay on disk.', confirmLabel: 'Delete', cancelLabel: 'Cancel' };
  }
  const rendering = jobs.reduce((n, j) => n + j.framesRunning, 0);
  const left = jobs.reduce((n, j) => n + Math.max(0, j.frameCount - j.framesDone), 0);
  return {
    title: `Cancel ${what}?`,
    message: `Renders in progress stop now${rendering ? ` (${rendering} frame${rendering === 1 ? '' : 's'} rendering is lost)` : ''}; ${left} frame${left === 1 ? '' : 's'} will not be rendered. Frames already done stay done, and Retry renders the rest later.`,
    confirmLabel: 'Cancel job' + (jobs.length === 1 ? '' : 's'),
    cancelLabel: 'Keep rendering',
  };
}

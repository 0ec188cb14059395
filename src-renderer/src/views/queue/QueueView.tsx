import { useCallback, useMemo, useState } from 'react';
import type { JobSummary } from '../../../../src-main/engine/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { countByStatus, matchesFilter, prioritiesForGroupDrop, priorityForDrop, STATUS_FILTERS, type QueueAction } from '../../lib/queue';
import { clickSelect, moveFocus, selectAll, type Selection } from '../../lib/selection';
import { runQueueAction, setPriority } from '../../state/actions';
import { useJobs } from '../../state/jobs-store';
import { loadJobs } from '../../state/load-jobs';
import { useSelection } from '../../state/selection-store';
import { useUi } from '../../state/ui-store';
import { FilterTabs } from './FilterTabs';
import { QueueTable } from './QueueTable';
import { QueueToolbar } from './QueueToolbar';
import { useQueueShortcuts } from './use-queue-shortcuts';

export function QueueView() {
  const byId = useJobs((s) => s.byId);
  const order = useJobs((s) => s.order);
  const loaded = useJobs((s) => s.loaded);
  const loadError = useJobs((s) => s.loadError);
  const filter = useUi((s) => s.filter);
  const setFilter = useUi((s) => s.setFilter);
  const navigate = useUi((s) => s.navigate);
  const newJobOpen = useUi((s) => s.newJobOpen);
  const setNewJobOpen = useUi((s) => s.setNewJobOpen);
  const selection = useSelection((s) => s.selection);
  const setSelection = useSelection((s) => s.set);
  const [confirmDelete, setConfirmDelete] = useState<readonly JobSummary[] | null>(null);

  const visible = useMemo(() => {
    const out: JobSummary[] = [];
    for (const id of order) {
      const job = byId.get(id);
      if (job && matchesFilter(job, filter)) out.push(job);
    }
    return out;
  }, [order, byId, filter]);
  const visibleIds = useMemo(() => visible.map((j) => j.id), [visible]);
  const counts = useMemo(() => countByStatus(byId.values()), [byId]);
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
    (action: QueueAction) => {
      if (action === 'delete') {
        if (selected.length > 0) setConfirmDelete(selected);
        return;
      }
      void runQueueAction(action, selected);
    },
    [selected],
  );

  const open = useCallback((id: number) => navigate({ view: 'job', id }), [navigate]);

  useQueueShortcuts(!newJobOpen && confirmDelete === null, {
    action: act,
    move: (delta, extend) => update(moveFocus(selection, delta, extend, visibleIds)),
    selectAll: () => update(selectAll(visibleIds, selection.focus)),
    open: () => {
      if (selection.focus !== null) open(selection.focus);
    },
    clear: () => update({ ids: new Set(), anchor: null, focus: selection.focus }),
  });

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
    <section className="queue" aria-label="Queue">
      <QueueToolbar selected={selected} onAction={act} onNewJob={() => setNewJobOpen(true)} />
      <FilterTabs filter={filter} counts={counts} onChange={setFilter} />
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
        byId.size === 0 ? (
          <EmptyState title="No jobs yet">
            Press <kbd>N</kbd> or click <b>New job</b> to queue a render.
          </EmptyState>
        ) : (
          <EmptyState title={`No ${filterLabel} jobs`}>
            <button type="button" className="link-btn" onClick={() => setFilter('all')}>
              Show all {byId.size} jobs
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
          onRowClick={(id, mods) => update(clickSelect(selection, id, mods, visibleIds))}
          onOpen={open}
          onReorder={onReorder}
        />
      )}
      {confirmDelete ? (
        <ConfirmDialog
          title={confirmDelete.length === 1 ? `Delete “${confirmDelete[0]!.name}”?` : `Delete ${confirmDelete.length} jobs?`}
          message="The jobs and their logs leave the queue. Rendered images stay on disk."
          confirmLabel="Delete"
          danger
          onCancel={() => setConfirmDelete(null)}
          onConfirm={() => {
            const jobs = confirmDelete;
            setConfirmDelete(null);
            void runQueueAction('delete', jobs);
          }}
        />
      ) : null}
    </section>
  );
}

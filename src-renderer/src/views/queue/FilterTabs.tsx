import { STATUS_FILTERS, type StatusFilter } from '../../lib/queue';

interface Props {
  filter: StatusFilter;
  counts: Record<StatusFilter, number>;
  onChange(f: StatusFilter): void;
  grouped: boolean;
  onGrouped(grouped: boolean): void;
  /** Finished jobs still in the queue: what "Clear finished" would move to History. */
  finished: number;
  onClearFinished(): void;
}

export function FilterTabs({ filter, counts, onChange, grouped, onGrouped, finished, onClearFinished }: Props) {
  return (
    <div className="tabs-bar">
      <div className="tabs" role="tablist" aria-label="Filter by status">
        {STATUS_FILTERS.map((f) => (
          <button
            key={f.id}
            type="button"
            role="tab"
            aria-selected={filter === f.id}
            className={`tab ${filter === f.id ? 'tab-active' : ''}`}
            data-filter={f.id}
            onClick={() => onChange(f.id)}
          >
            {f.label}
            <span className="tab-count">{counts[f.id]}</span>
          </button>
        ))}
      </div>
      <span className="toolbar-fill" />
      <label className="check tabs-option" title="Running, queued, paused and blocked jobs above finished ones">
        <input type="checkbox" checked={grouped} onChange={(e) => onGrouped(e.target.checked)} data-testid="group-finished" /> Finished last
      </label>
      <button
        type="button"
        className="btn btn-tool tabs-option"
        disabled={finished === 0}
        onClick={onClearFinished}
        title="Move done, failed and canceled jobs to History (nothing is deleted; a retried job comes back)"
        data-testid="clear-finished"
      >
        Clear finished{finished ? ` (${finished})` : ''}
      </button>
    </div>
  );
}

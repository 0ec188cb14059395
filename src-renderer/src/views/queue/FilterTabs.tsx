import { STATUS_FILTERS, type StatusFilter } from '../../lib/queue';

export function FilterTabs({ filter, counts, onChange }: { filter: StatusFilter; counts: Record<StatusFilter, number>; onChange(f: StatusFilter): void }) {
  return (
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
  );
}

import { useEffect, useRef } from 'react';
import type { AttemptRecord } from '../../../../src-main/engine/types';
import { Icon } from '../../components/Icon';

export interface LogFilter {
  label: string;
  attemptIds: readonly number[];
}

interface Props {
  query: string;
  onQuery(q: string): void;
  matchCount: number;
  current: number;
  onStep(delta: number): void;
  attempts: readonly AttemptRecord[];
  filter: LogFilter | null;
  onFilter(filter: LogFilter | null): void;
  onCopy(): void;
  lineCount: number;
  dropped: number;
}

export function LogToolbar({ query, onQuery, matchCount, current, onStep, attempts, filter, onFilter, onCopy, lineCount, dropped }: Props) {
  const searchRef = useRef<HTMLInputElement>(null);
  // Ctrl+F inside the job view searches the log rather than the page.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (e.key === 'F3') {
        e.preventDefault();
        onStep(e.shiftKey ? -1 : 1);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onStep]);

  const selectValue = filter ? (filter.attemptIds.length === 1 ? `a:${filter.attemptIds[0]}` : 'custom') : 'all';
  return (
    <div className="log-toolbar">
      <div className="search">
        <Icon name="search" size={12} />
        <input
          ref={searchRef}
          className="search-input"
          value={query}
          placeholder="Search log"
          aria-label="Search log"
          spellCheck={false}
          data-testid="log-search"
          onChange={(e) => onQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              onStep(e.shiftKey ? -1 : 1);
            } else if (e.key === 'Escape' && query) {
              e.stopPropagation();
              onQuery('');
            }
          }}
        />
        {query ? (
          <span className="search-count mono" data-testid="log-search-count">
            {matchCount === 0 ? 'no matches' : `${current + 1}/${matchCount}`}
          </span>
        ) : null}
        <button type="button" className="icon-btn" aria-label="Previous match" title="Previous match (Shift+Enter)" disabled={matchCount === 0} onClick={() => onStep(-1)}>
          <Icon name="chevronUp" size={12} />
        </button>
        <button type="button" className="icon-btn" aria-label="Next match" title="Next match (Enter)" disabled={matchCount === 0} onClick={() => onStep(1)} data-testid="log-next">
          <Icon name="chevronDown" size={12} />
        </button>
      </div>
      <select
        className="input input-sm"
        aria-label="Which attempts"
        value={selectValue}
        onChange={(e) => {
          const v = e.target.value;
          if (v === 'all') onFilter(null);
          else if (v.startsWith('a:')) onFilter({ label: `attempt ${v.slice(2)}`, attemptIds: [Number(v.slice(2))] });
        }}
      >
        <option value="all">All attempts</option>
        {filter && selectValue === 'custom' ? <option value="custom">{filter.label}</option> : null}
        {attempts.map((a) => (
          <option key={a.id} value={`a:${a.id}`}>
            Attempt {a.number}
            {a.reason ? ' (failed)' : a.endedAt === null ? ' (running)' : ''}
          </option>
        ))}
      </select>
      <span className="toolbar-fill" />
      <span className="log-count mono" title={dropped > 0 ? `${dropped} older lines were dropped to stay fast` : undefined}>
        {lineCount.toLocaleString()} lines{dropped > 0 ? ` (+${dropped.toLocaleString()} older)` : ''}
      </span>
      <button type="button" className="btn btn-tool" onClick={onCopy} title="Copy the shown lines" data-testid="log-copy">
        <Icon name="copy" /> Copy
      </button>
    </div>
  );
}

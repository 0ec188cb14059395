import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { AttemptRecord } from '../../../../src-main/engine/types';
import { EmptyState } from '../../components/EmptyState';
import { Icon } from '../../components/Icon';
import { LogIndex, searchPredicate } from '../../lib/log-index';
import { useThrottled } from '../../lib/use-throttled';
import { useLog } from '../../state/log-store';
import { useToasts } from '../../state/toasts-store';
import type { LogLine } from '../../lib/log-lines';
import { LogRow } from './LogRow';
import { WholeLine } from './WholeLine';
import { LogToolbar, type LogFilter } from './LogToolbar';

const ROW = 18;

async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // Clipboard API refused (not focused, insecure origin): the old way still works there.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

interface Props {
  attempts: readonly AttemptRecord[];
  filter: LogFilter | null;
  onFilter(filter: LogFilter | null): void;
}

/**
 * The job's log: stored lines then live ones, virtualized at a fixed row height. It follows the
 * tail until the user scrolls up, then offers "Jump to latest".
 */
const LOG_REDRAW_MS = 100;

export const LogView = memo(function LogView({ attempts, filter, onFilter }: Props) {
  const ring = useLog((s) => s.lines);
  // Redrawn at most 10 times a second: a flood changes the log on every display frame, and
  // following its tail costs a layout each time (nobody reads 60 redraws a second).
  const version = useThrottled(useLog((s) => s.version), LOG_REDRAW_MS);
  const loading = useLog((s) => s.loading);
  const error = useLog((s) => s.error);
  const reload = useLog((s) => s.reload);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);
  const setFollowing = useLog((s) => s.setFollowing);
  useEffect(() => setFollowing(follow), [follow, setFollowing]);
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState(0);
  const [whole, setWhole] = useState<{ line: LogLine; number: number } | null>(null);
  const showWhole = useCallback((line: LogLine, number: number) => setWhole({ line, number }), []);

  const filterKey = filter ? filter.attemptIds.join(',') : '';
  const filterIndex = useMemo(() => {
    if (!filter) return null;
    const ids = new Set(filter.attemptIds);
    return new LogIndex((line) => line.attemptId !== null && ids.has(line.attemptId));
  }, [filterKey]);
  const searchIndex = useMemo(() => {
    const matches = searchPredicate(query);
    if (!matches) return null;
    const ids = filter ? new Set(filter.attemptIds) : null;
    return new LogIndex((line) => (!ids || (line.attemptId !== null && ids.has(line.attemptId))) && matches(line));
  }, [query, filterKey]);

  // Incremental: each version only scans the lines added since the previous one.
  const rows = useMemo(() => filterIndex?.sync(ring) ?? null, [filterIndex, ring, version]);
  const found = useMemo(() => searchIndex?.sync(ring) ?? null, [searchIndex, ring, version]);
  const rowCount = rows ? rows.length : ring.length;

  const absAt = useCallback((row: number): number => (rows ? rows.at(row)! : ring.first + row), [rows, ring]);
  const rowOfAbs = useCallback((abs: number): number => (rows ? rows.positionOf(abs) : abs - ring.first), [rows, ring]);

  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 30,
  });

  useLayoutEffect(() => {
    if (follow && rowCount > 0) virtualizer.scrollToIndex(rowCount - 1, { align: 'end' });
  }, [follow, rowCount, version, virtualizer]);

  const onScroll = (): void => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW * 1.5;
    if (atBottom !== follow) setFollow(atBottom);
  };

  const matchCount = found?.length ?? 0;
  const currentMatch = matchCount > 0 ? Math.min(current, matchCount - 1) : 0;
  const currentAbs = found && matchCount > 0 ? found.at(currentMatch) : undefined;

  const step = useCallback(
    (delta: number) => {
      if (!found || found.length === 0) return;
      const next = (((currentMatch + delta) % found.length) + found.length) % found.length;
      setCurrent(next);
      setFollow(false);
      virtualizer.scrollToIndex(rowOfAbs(found.at(next)!), { align: 'center' });
    },
    [found, currentMatch, virtualizer, rowOfAbs],
  );

  const onQuery = (q: string): void => {
    setQuery(q);
    setCurrent(0);
    const pred = searchPredicate(q);
    if (!pred) return;
    // Jump to the first match as you type, like an editor's find.
    const index = new LogIndex(pred).sync(ring);
    for (let i = 0; i < index.length; i++) {
      const abs = index.at(i)!;
      const line = ring.at(abs - ring.first)!;
      if (filter && (line.attemptId === null || !filter.attemptIds.includes(line.attemptId))) continue;
      setFollow(false);
      requestAnimationFrame(() => virtualizer.scrollToIndex(rowOfAbs(abs), { align: 'center' }));
      break;
    }
  };

  const copy = async (): Promise<void> => {
    const out: string[] = [];
    for (let i = 0; i < rowCount; i++) out.push(ring.at(absAt(i) - ring.first)?.plain ?? '');
    await copyText(out.join('\n'));
    useToasts.getState().push({ kind: 'success', title: 'Copied', message: `${out.length.toLocaleString()} log lines` });
  };

  return (
    <section className="log" aria-label="Live log" data-testid="log-view">
      <LogToolbar
        query={query}
        onQuery={onQuery}
        matchCount={matchCount}
        current={currentMatch}
        onStep={step}
        attempts={attempts}
        filter={filter}
        onFilter={(f) => {
          onFilter(f);
          setFollow(true);
        }}
        onCopy={() => void copy()}
        lineCount={rowCount}
        dropped={ring.dropped}
      />
      {filter ? (
        <div className="log-filter-note">
          Showing {filter.label}.{' '}
          <button type="button" className="link-btn" onClick={() => onFilter(null)}>
            Show all attempts
          </button>
        </div>
      ) : null}
      <div className="log-scroll" ref={scrollRef} onScroll={onScroll} data-testid="log-scroll" tabIndex={0}>
        {rowCount === 0 ? (
          loading ? (
            <EmptyState title="Loading log…" />
          ) : error ? (
            <EmptyState title="Could not load the log">
              <p className="error-text">{error}</p>
              <button type="button" className="btn" onClick={() => void reload()}>
                Try again
              </button>
            </EmptyState>
          ) : (
            <EmptyState title="No output yet">The log streams here as soon as a chunk starts rendering.</EmptyState>
          )
        ) : (
          <div className="log-inner" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const abs = absAt(item.index);
              const line = ring.at(abs - ring.first);
              if (!line) return null;
              return <LogRow key={abs} line={line} number={abs + 1} top={item.start} query={query.trim()} current={abs === currentAbs} onWholeLine={showWhole} />;
            })}
          </div>
        )}
      </div>
      {whole ? <WholeLine line={whole.line} number={whole.number} attempts={attempts} onClose={() => setWhole(null)} /> : null}
      {!follow && rowCount > 0 ? (
        <button
          type="button"
          className="btn btn-primary jump-latest"
          data-testid="jump-latest"
          onClick={() => {
            setFollow(true);
            virtualizer.scrollToIndex(rowCount - 1, { align: 'end' });
          }}
        >
          <Icon name="arrowDown" /> Jump to latest
        </button>
      ) : null}
    </section>
  );
});

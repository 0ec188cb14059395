import { memo, useMemo } from 'react';
import { parseAnsi, segmentCss } from '../../lib/ansi';
import { highlightSegments } from '../../lib/highlight';
import type { LogLine } from '../../lib/log-lines';

interface Props {
  line: LogLine;
  number: number;
  top: number;
  query: string;
  current: boolean;
}

/** One log line: colours from its ANSI codes, search matches marked, error lines flagged. */
export const LogRow = memo(function LogRow({ line, number, top, query, current }: Props) {
  const parts = useMemo(() => highlightSegments(parseAnsi(line.text).segments, query), [line, query]);
  const cls = ['log-line', line.error ? 'log-line-error' : '', line.stream === 'meta' ? 'log-line-meta' : '', line.stream === 'stderr' ? 'log-line-stderr' : '', current ? 'log-line-current' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={cls} style={{ transform: `translateY(${top}px)` }} data-testid="log-line" data-line={number} data-error={line.error || undefined}>
      <span className="log-gutter" aria-hidden>
        {number}
      </span>
      <span className="log-text">
        {parts.map((p, i) => {
          const style = p.style ? segmentCss(p.style) : undefined;
          return p.match ? (
            <mark key={i} className="log-match" style={style}>
              {p.text}
            </mark>
          ) : style ? (
            <span key={i} style={style}>
              {p.text}
            </span>
          ) : (
            <span key={i}>{p.text}</span>
          );
        })}
      </span>
    </div>
  );
});

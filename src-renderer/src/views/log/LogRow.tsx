import { memo, useMemo } from 'react';
import { parseAnsi, segmentCss } from '../../lib/ansi';
import { highlightSegments } from '../../lib/highlight';
import type { LogLine } from '../../lib/log-lines';

/** A row shows this much of a line; longer ones offer the whole line in a panel (a 1 MB row would stall layout). */
export const SHOWN_CHARS = 2000;

interface Props {
  line: LogLine;
  number: number;
  top: number;
  query: string;
  current: boolean;
  onWholeLine(line: LogLine, number: number): void;
}

/** One log line: colours from its ANSI codes, search matches marked, error lines flagged. */
export const LogRow = memo(function LogRow({ line, number, top, query, current, onWholeLine }: Props) {
  const long = line.text.length > SHOWN_CHARS || Boolean(line.cut);
  const parts = useMemo(() => highlightSegments(parseAnsi(long ? line.text.slice(0, SHOWN_CHARS) : line.text).segments, query), [line, query, long]);
  const more = line.text.length - Math.min(line.text.length, SHOWN_CHARS) + (line.cut ?? 0);
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
        {long ? (
          <button type="button" className="link-btn log-line-more" data-testid="log-line-more" onClick={() => onWholeLine(line, number)}>
            … {more.toLocaleString()} more characters: show the whole line
          </button>
        ) : null}
      </span>
    </div>
  );
});

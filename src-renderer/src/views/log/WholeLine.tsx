import { useEffect } from 'react';
import type { AttemptRecord } from '../../../../src-main/engine/types';
import type { LogLine } from '../../lib/log-lines';

interface Props {
  line: LogLine;
  number: number;
  attempts: readonly AttemptRecord[];
  onClose(): void;
}

/**
 * A very long log line in full, wrapped and selectable. What the view holds of it is shown; a
 * line longer than that (a renderer printing 1 MB lines) names the file that has the rest.
 */
export function WholeLine({ line, number, attempts, onClose }: Props) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const file = attempts.find((a) => a.id === line.attemptId)?.logPath;
  return (
    <div className="log-whole-line" role="dialog" aria-label={`Log line ${number}`} data-testid="log-whole-line">
      <div className="log-whole-line-head">
        <span>
          Line {number.toLocaleString()}, {(line.plain.length + (line.cut ?? 0)).toLocaleString()} characters
        </span>
        <button type="button" className="btn btn-tool" onClick={onClose}>
          Close
        </button>
      </div>
      <pre className="log-whole-line-text">{line.plain}</pre>
      {line.cut ? (
        <p className="log-whole-line-note" data-testid="log-whole-line-cut">
          {line.cut.toLocaleString()} more characters of this line are in the log file{file ? `: ${file}` : ''}.
        </p>
      ) : null}
    </div>
  );
}

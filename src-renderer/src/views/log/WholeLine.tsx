import { useEffect, useState } from 'react';
import type { AttemptRecord } from '../../../../src-main/engine/types';
import { call } from '../../bridge/call';
import type { LogLine } from '../../lib/log-lines';
import { useLog } from '../../state/log-store';

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
  const known = attempts.find((a) => a.id === line.attemptId)?.logPath;
  const fetched = useAttemptLogPath(known ? null : line.attemptId);
  const file = known ?? fetched;
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

/**
 * The log file of an attempt the job view has not heard of yet (it started after the view's last
 * fetch of the job): asked of the engine, one byte of its log.
 */
function useAttemptLogPath(attemptId: number | null): string | undefined {
  const jobId = useLog((s) => s.jobId);
  const [path, setPath] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (attemptId === null || jobId === null) return;
    let live = true;
    void call('jobs.log', { id: jobId, attemptId, tail: 1 })
      .then((log) => {
        if (live) setPath(log.attempts.find((a) => a.id === attemptId)?.logPath);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [attemptId, jobId]);
  return path;
}

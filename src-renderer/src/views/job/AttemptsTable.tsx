import { memo } from 'react';
import type { AttemptRecord } from '../../../../src-main/engine/types';
import { formatClock, formatDuration } from '../../lib/format';

/** Where it ran: the farm and the farm's own id of the work (Slurm `123_4`), or the device here. */
function whereText(a: AttemptRecord, farm: string | null): string {
  if (a.farmId) return farm ? `${farm} ${a.farmId}` : `farm ${a.farmId}`;
  return a.device.kind === 'cpu' ? `CPU ×${a.device.threads}` : `GPU ${a.device.index}`;
}

function outcome(a: AttemptRecord): { text: string; cls: string } {
  if (a.endedAt === null) return { text: 'running', cls: 'state-running' };
  // Stopped by the user or the engine, not the job's fault: no retry was spent on these.
  if (a.outcome === 'paused') return { text: 'paused', cls: 'state-paused' };
  if (a.outcome === 'interrupted') return { text: 'interrupted', cls: 'state-paused' };
  // The scheduler stopped it after a saved frame and gave its other frames back as a new chunk.
  if (a.outcome === 'shortened') return { text: 'shortened', cls: 'state-done' };
  if (a.outcome === 'canceled') return { text: 'canceled', cls: 'state-canceled' };
  if (a.outcome === 'succeeded') return { text: 'ok', cls: 'state-done' };
  if (a.reason) return { text: 'failed', cls: 'state-failed' };
  if (a.signal) return { text: a.signal, cls: 'state-failed' };
  if (a.exitCode !== null && a.exitCode !== 0) return { text: `exit ${a.exitCode}`, cls: 'state-failed' };
  return { text: 'ok', cls: 'state-done' };
}

/** Every child process run, newest first, each failure with its one-line reason. */
export const AttemptsTable = memo(function AttemptsTable({ attempts, farm = null, onShowLog }: { attempts: readonly AttemptRecord[]; farm?: string | null; onShowLog(attemptId: number): void }) {
  if (attempts.length === 0) return <div className="chart-empty">No attempts yet.</div>;
  return (
    <table className="attempts" data-testid="attempts">
      <thead>
        <tr>
          <th>#</th>
          <th>Chunk</th>
          <th>Frames</th>
          <th>{farm ? 'Farm id' : 'Device'}</th>
          <th>Started</th>
          <th>Took</th>
          <th>Result</th>
          <th>Reason</th>
        </tr>
      </thead>
      <tbody>
        {[...attempts].reverse().map((a) => {
          const o = outcome(a);
          return (
            <tr key={a.id} data-testid="attempt-row" data-attempt={a.id} data-task={a.taskId} onClick={() => onShowLog(a.id)} title="Show this attempt's log">
              <td className="mono" title={`attempt id ${a.id}`}>
                {a.number}
              </td>
              <td className="mono">{a.role === 'step' ? `step ${a.taskIndex + 1}` : a.taskIndex + 1}</td>
              <td className="mono truncate" data-testid="attempt-frames" title={a.frames}>
                {a.frames}
              </td>
              <td className={a.farmId ? 'mono' : undefined} data-testid={a.farmId ? 'attempt-farm-id' : undefined}>
                {whereText(a, farm)}
              </td>
              <td className="mono">{formatClock(a.startedAt)}</td>
              <td className="mono">{a.endedAt ? formatDuration(a.endedAt - a.startedAt) : '…'}</td>
              <td className={o.cls}>{o.text}</td>
              <td className="attempt-reason truncate" title={a.reason ?? ''}>
                {a.reason ?? ''}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
});

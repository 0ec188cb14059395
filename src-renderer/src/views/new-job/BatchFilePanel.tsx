import { useRef, useState } from 'react';
import type { BatchSourceDto, PlannedJob } from '../../../../src-preload/contract';
import { call, errorMessage } from '../../bridge/call';
import { useJobs } from '../../state/jobs-store';
import { useToasts } from '../../state/toasts-store';

/**
 * A batch file (YAML/JSON, as `spool submit jobs.yaml` reads) dropped on the form or picked: its
 * jobs are checked and listed first, then queued all at once or not at all.
 */
export function BatchFilePanel({ onQueued }: { onQueued(): void }) {
  const [source, setSource] = useState<BatchSourceDto | null>(null);
  const [plan, setPlan] = useState<PlannedJob[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const load = async (file: File): Promise<void> => {
    const next: BatchSourceDto = { name: file.name, text: await file.text() };
    setSource(next);
    setPlan(null);
    setError(null);
    setBusy(true);
    try {
      setPlan(await call('batch.plan', next));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const queue = async (): Promise<void> => {
    if (!source) return;
    setBusy(true);
    try {
      const jobs = await call('batch.submit', source);
      useJobs.getState().applyBatch({ upserts: jobs, removed: [], progress: [] });
      useToasts.getState().push({ kind: 'success', title: `Queued ${jobs.length} job${jobs.length === 1 ? '' : 's'}`, message: 'name' in source ? source.name : source.file });
      onQueued();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const reset = (): void => {
    setSource(null);
    setPlan(null);
    setError(null);
  };

  return (
    <div
      className={`batch-drop ${over ? 'batch-drop-over' : ''}`}
      data-testid="batch-drop"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const file = e.dataTransfer.files[0];
        if (file) void load(file);
      }}
    >
      {!source ? (
        <div className="batch-drop-hint">
          Drop a batch file (.yaml, .json) here, or{' '}
          <button type="button" className="link-btn" onClick={() => input.current?.click()}>
            open one…
          </button>
          <input
            ref={input}
            type="file"
            accept=".yaml,.yml,.json"
            hidden
            data-testid="batch-file-input"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void load(file);
              e.target.value = '';
            }}
          />
        </div>
      ) : (
        <div className="batch-preview" data-testid="batch-preview">
          <div className="batch-preview-head">
            <strong>{'name' in source ? source.name : source.file}</strong>
            {plan ? ` — ${plan.length} job${plan.length === 1 ? '' : 's'}, ${plan.reduce((n, p) => n + p.frameCount, 0)} frames; relative paths start in your home folder` : busy ? ' — checking…' : ''}
          </div>
          {plan ? (
            <table className="batch-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>DCC</th>
                  <th>Frames</th>
                  <th>Scene</th>
                  <th>After</th>
                </tr>
              </thead>
              <tbody>
                {plan.map((p, i) => (
                  <tr key={i} data-testid="batch-job">
                    <td>{p.name}</td>
                    <td>{p.dcc}</td>
                    <td className="mono">
                      {p.frames} ({p.frameCount})
                    </td>
                    <td className="mono">{p.scene ?? '—'}</td>
                    <td>{p.after.join(', ') || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {error ? (
            <div className="form-error" role="alert" data-testid="batch-error">
              {error}
            </div>
          ) : null}
          <div className="batch-actions">
            <button type="button" className="btn" onClick={reset}>
              Queue none
            </button>
            <button type="button" className="btn btn-primary" disabled={!plan || busy} onClick={() => void queue()} data-testid="batch-queue-all">
              {plan ? `Queue all ${plan.length}` : 'Queue all'}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

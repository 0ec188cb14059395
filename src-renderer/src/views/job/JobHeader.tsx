import { useState } from 'react';
import type { JobDependency, JobSummary } from '../../../../src-main/engine/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DccBadge } from '../../components/DccBadge';
import { Icon, type IconName } from '../../components/Icon';
import { StatusPill } from '../../components/StatusPill';
import { canApply, shownStatus, type QueueAction } from '../../lib/queue';
import { runQueueAction } from '../../state/actions';
import { openModifyDialog } from '../../state/job-form-actions';
import { useUi } from '../../state/ui-store';

const ACTIONS: readonly { action: QueueAction; label: string; icon: IconName; title?: string }[] = [
  { action: 'pause', label: 'Pause', icon: 'pause', title: 'Pause after the frame in progress is saved (renderers that report no saved frames stop at once)' },
  { action: 'pauseNow', label: 'Pause now', icon: 'pause', title: 'Stop running renders at once; the frame in progress is rendered again' },
  { action: 'resume', label: 'Resume', icon: 'play' },
  { action: 'cancel', label: 'Cancel', icon: 'stop' },
  { action: 'retry', label: 'Retry failed', icon: 'retry' },
  { action: 'duplicate', label: 'Duplicate', icon: 'copy' },
  { action: 'delete', label: 'Delete', icon: 'trash' },
];

export function JobHeader({ job, deps = [] }: { job: JobSummary; deps?: readonly JobDependency[] }) {
  const navigate = useUi((s) => s.navigate);
  const [confirm, setConfirm] = useState(false);
  return (
    <header className="job-head">
      <div className="job-head-row">
        <button type="button" className="icon-btn" onClick={() => navigate({ view: 'queue' })} title="Back to the queue (Esc)" aria-label="Back to the queue">
          <Icon name="back" />
        </button>
        <DccBadge dcc={job.dcc} />
        <h1 className="job-title truncate" title={job.name}>
          <span className="qcell-id">#{job.id}</span> {job.name}
        </h1>
        <StatusPill status={shownStatus(job)} />
        {job.farm ? (
          <span className="job-farm mono" data-testid="job-farm" title="Handed to this farm profile; the attempts below carry the farm's own ids">
            on farm {job.farm}
          </span>
        ) : null}
        <span className="toolbar-fill" />
        {ACTIONS.filter((a) => canApply(a.action, [job])).map((a) => (
          <button
            key={a.action}
            type="button"
            className={`btn btn-tool ${a.action === 'delete' ? 'btn-tool-danger' : ''}`}
            data-action={a.action}
            title={a.title}
            onClick={() => {
              if (a.action === 'delete') setConfirm(true);
              else void runQueueAction(a.action, [job]);
            }}
          >
            <Icon name={a.icon} /> {a.label}
          </button>
        ))}
        {job.actions.includes('modify') ? (
          <button type="button" className="btn btn-tool" data-action="modify" title="Change frames, output, chunk size, settings or dependencies" onClick={() => void openModifyDialog(job.id)}>
            <Icon name="edit" /> Modify
          </button>
        ) : null}
      </div>
      {job.intent === 'paused' && job.status === 'running' ? (
        <div className="job-reason job-reason-muted" role="status" data-testid="job-pausing">
          <Icon name="pause" /> Pausing: running renders stop once the frame in progress is saved{job.pauseMode === 'now' ? ' (stopping now)' : ''}.
        </div>
      ) : null}
      {job.reason ? (
        <div className={`job-reason ${job.status === 'canceled' ? 'job-reason-muted' : ''}`} role="status" data-testid="job-reason">
          <Icon name="warn" /> {job.reason}
        </div>
      ) : null}
      {deps.length > 0 ? (
        <div className="job-deps" data-testid="job-deps">
          Runs after{' '}
          {deps.map((d, i) => (
            <span key={d.id}>
              {i > 0 ? ', ' : ''}
              <button type="button" className="link-btn" onClick={() => navigate({ view: 'job', id: d.id })}>
                #{d.id} {d.name}
              </button>{' '}
              <span className={`state-${d.status === 'succeeded' ? 'done' : d.status}`}>({d.status})</span>
            </span>
          ))}
        </div>
      ) : null}
      {confirm ? (
        <ConfirmDialog
          title={`Delete “${job.name}”?`}
          message="The job and its logs leave the queue. Rendered images stay on disk."
          confirmLabel="Delete"
          danger
          onCancel={() => setConfirm(false)}
          onConfirm={() => {
            setConfirm(false);
            void runQueueAction('delete', [job]).then((ok) => {
              if (ok) navigate({ view: 'queue' });
            });
          }}
        />
      ) : null}
    </header>
  );
}

import type { JobSummary } from '../../../../src-main/engine/types';
import { LiveDuration } from '../../components/LiveDuration';
import { ProgressBar } from '../../components/ProgressBar';
import { formatDuration } from '../../lib/format';
import { elapsedMs, etaMs } from '../../lib/queue';

function deviceLabel(job: JobSummary): string {
  // The farm places the work; this workstation's devices play no part.
  if (job.farm) return `farm ${job.farm}`;
  if (job.device.kind === 'cpu') return 'CPU';
  if (job.device.kind === 'any-gpu') return 'any GPU';
  return `GPU ${job.device.index}`;
}

/** `waiting`: frames of running chunks not rendering yet (the header counts only what really renders). */
export function JobStats({ job, avgMs, partial, waiting = 0 }: { job: JobSummary; avgMs: number | null; partial: number; waiting?: number }) {
  const running = job.status === 'running';
  return (
    <div className="stats">
      <div className="stats-progress">
        <ProgressBar total={job.frameCount} done={job.framesDone} failed={job.framesFailed} partial={partial} />
        <span className="mono" data-testid="job-frame-counts">
          {job.framesDone}/{job.frameCount} done{job.framesFailed ? ` · ${job.framesFailed} failed` : ''}
          {job.framesRunning ? ` · ${job.framesRunning} rendering` : ''}
          {waiting ? ` · ${waiting} waiting in chunk` : ''}
          {job.framesSuspended ? ` · ${job.framesSuspended} suspended` : ''}
        </span>
      </div>
      <dl className="stats-list">
        <div>
          <dt>Frames</dt>
          <dd className="mono truncate" title={job.framesText}>
            {job.framesText}
          </dd>
        </div>
        <div>
          <dt title="From start to now or to the finish, start-up and waiting included, paused time left out">Wall time</dt>
          <dd className="mono">{running ? <LiveDuration compute={(now) => elapsedMs(job, now)} /> : formatDuration(elapsedMs(job, job.finishedAt ?? Date.now()))}</dd>
        </div>
        <div>
          <dt>ETA</dt>
          <dd className="mono">{running ? <LiveDuration compute={(now) => etaMs(job, now, partial)} /> : '—'}</dd>
        </div>
        <div>
          <dt title="Average frame time: the median of the frames' measured render times">Per frame</dt>
          <dd className="mono" data-testid="job-frame-time">
            {formatDuration(avgMs)}
          </dd>
        </div>
        <div>
          <dt>Chunk</dt>
          <dd className="mono">{job.chunkSize ?? 'auto'}</dd>
        </div>
        <div>
          <dt>Device</dt>
          <dd>{deviceLabel(job)}</dd>
        </div>
        <div>
          <dt>Priority</dt>
          <dd className="mono">{job.priority}</dd>
        </div>
        <div>
          <dt>Retries</dt>
          <dd className="mono">{job.retries}</dd>
        </div>
      </dl>
      <dl className="stats-paths">
        <div>
          <dt>Scene</dt>
          <dd className="mono truncate" title={job.scene ?? ''}>
            {job.scene ?? '—'}
          </dd>
        </div>
        <div>
          <dt>Output</dt>
          <dd className="mono truncate" title={job.output ?? ''}>
            {job.output ?? "scene's own output"}
          </dd>
        </div>
      </dl>
    </div>
  );
}

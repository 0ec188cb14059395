import { useEffect, useMemo, useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBoundary } from '../../components/ErrorBoundary';
import { useDetail } from '../../state/detail-store';
import { partialOf, useJobs } from '../../state/jobs-store';
import { useLog } from '../../state/log-store';
import { useUi } from '../../state/ui-store';
import { isTypingTarget } from '../queue/use-queue-shortcuts';
import { LogView } from '../log/LogView';
import type { LogFilter } from '../log/LogToolbar';
import { AttemptsTable } from './AttemptsTable';
import { FrameGrid } from './FrameGrid';
import { viewableFrames } from './frame-steps';
import { FrameViewer } from './FrameViewer';
import { CELL_KINDS, cellKind, cellLabel } from './frame-cell';
import { JobHeader } from './JobHeader';
import { JobStats } from './JobStats';
import { RenderTimeChart } from './RenderTimeChart';
import { StepsList } from './StepsList';
import { Thumbnail } from './Thumbnail';

export function JobView({ id, frame }: { id: number; frame: number | undefined }) {
  const detail = useDetail();
  const navigate = useUi((s) => s.navigate);
  const listed = useJobs((s) => s.byId.get(id));
  const partial = useJobs((s) => (s.byId.get(id)?.status === 'running' ? partialOf(s.partial, id) : 0));
  // One attempt's log (picked in the attempts table or the log's menu); a frame comes from the route.
  const [attemptId, setAttemptId] = useState<number | null>(null);
  // The frame open in the full-size viewer (a done frame clicked in the grid or the thumbnail).
  const [viewing, setViewing] = useState<number | null>(null);

  useEffect(() => {
    useDetail.getState().open(id);
    useLog.getState().open(id);
    setAttemptId(null);
    setViewing(null);
  }, [id]);
  useEffect(
    () => () => {
      useDetail.getState().open(null);
      useLog.getState().open(null);
    },
    [],
  );

  // Esc leaves the job, unless a field or dialog wants it.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && !e.defaultPrevented && !isTypingTarget(e.target)) navigate({ view: 'queue' });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate]);

  // The job's newest summary may come from the list (events) before the detail refetch lands;
  // its frame counts come from the frames themselves, which change frame by frame.
  const summary = detail.jobId === id ? (listed ?? detail.job) : listed;
  const job = useMemo(() => {
    if (!summary || detail.jobId !== id || detail.frames.size === 0) return summary;
    let done = 0;
    let failed = 0;
    let running = 0;
    for (const f of detail.frames.values()) {
      if (f.state === 'done') done++;
      else if (f.state === 'failed') failed++;
      else if (f.state === 'running') running++;
    }
    return { ...summary, framesDone: done, framesFailed: failed, framesRunning: running };
  }, [summary, detail.jobId, detail.frames, id]);
  // Queued frames a failed chunk never got to: counted apart, they are neither failed nor waiting.
  const notReached = useMemo(() => {
    let n = 0;
    for (const f of detail.frames.values()) if (cellKind(f) === 'notreached') n++;
    return n;
  }, [detail.frames]);
  const avgMs = useMemo(() => {
    let sum = 0;
    let n = 0;
    for (const f of detail.frames.values()) {
      if (f.renderMs !== null && f.state === 'done') {
        sum += f.renderMs;
        n++;
      }
    }
    return n ? sum / n : null;
  }, [detail.frames]);

  const viewable = useMemo(() => viewableFrames(detail.frameOrder, detail.frames), [detail.frameOrder, detail.frames]);
  const showFrame = (f: number): void => {
    setAttemptId(null);
    setViewing(f);
    navigate({ view: 'job', id, frame: f }, { replace: true });
  };

  const filter: LogFilter | null = useMemo(() => {
    if (attemptId !== null) return { label: `attempt ${attemptId}`, attemptIds: [attemptId] };
    if (frame === undefined) return null;
    const record = detail.frames.get(frame);
    if (!record) return null;
    const ids = detail.attempts.filter((a) => a.taskId === record.taskId).map((a) => a.id);
    return { label: `frame ${frame}'s attempts (${ids.length ? ids.join(', ') : 'none yet'})`, attemptIds: ids };
  }, [attemptId, frame, detail.frames, detail.attempts]);

  if (!job) {
    if (detail.loading || detail.jobId !== id) return <EmptyState title="Loading job…" />;
    return (
      <EmptyState title={`Job ${id} is not here`}>
        <p className="error-text">{detail.error ?? 'It may have been deleted.'}</p>
        <button type="button" className="btn" onClick={() => navigate({ view: 'queue' })}>
          Back to the queue
        </button>
      </EmptyState>
    );
  }

  return (
    <div className="job" data-testid="job-view" data-job-id={id}>
      <JobHeader job={job} deps={detail.deps} />
      <div className="job-body">
        <div className="job-left">
          <JobStats job={job} avgMs={avgMs} partial={partial} />
          <section className="card">
            <h3 className="card-title">
              Frames
              <span className="legend">
                {CELL_KINDS.map((s) => (
                  <span key={s} className="legend-item">
                    <span className={`fcell fcell-${s} legend-swatch`} /> {cellLabel(s)}
                  </span>
                ))}
              </span>
              {notReached > 0 ? (
                <span className="muted" data-testid="frames-not-reached">
                  {notReached} not reached
                </span>
              ) : null}
            </h3>
            {detail.error && detail.frames.size === 0 ? <p className="error-text">{detail.error}</p> : null}
            <FrameGrid
              order={detail.frameOrder}
              frames={detail.frames}
              fractions={detail.fractions}
              attempts={detail.attempts}
              selectedFrame={frame ?? null}
              onSelect={(f) => {
                // A done frame opens in the viewer (its log beside it); others filter the log.
                if (detail.frames.get(f)?.state === 'done') return showFrame(f);
                setAttemptId(null);
                navigate(f === frame ? { view: 'job', id } : { view: 'job', id, frame: f }, { replace: true });
              }}
            />
          </section>
          <div className="card-row">
            <section className="card card-grow">
              <h3 className="card-title">Render time per frame</h3>
              <RenderTimeChart order={detail.frameOrder} frames={detail.frames} />
            </section>
            <section className="card card-thumb">
              <h3 className="card-title">Latest frame</h3>
              <Thumbnail key={id} jobId={id} frame={detail.latestDone} onOpen={showFrame} />
            </section>
          </div>
          {detail.steps.length > 0 ? (
            <section className="card">
              <h3 className="card-title">After render</h3>
              <StepsList steps={detail.steps} />
            </section>
          ) : null}
          <section className="card">
            <h3 className="card-title">Attempts</h3>
            <AttemptsTable
              attempts={detail.attempts}
              onShowLog={(attempt) => {
                navigate({ view: 'job', id }, { replace: true });
                setAttemptId(attempt);
              }}
            />
          </section>
        </div>
        <div className="job-right">
          <ErrorBoundary area="this job's log" resetKey={id}>
            <LogView
              attempts={detail.attempts}
              filter={filter}
              onFilter={(f) => {
                if (frame !== undefined) navigate({ view: 'job', id }, { replace: true });
                setAttemptId(f && f.attemptIds.length === 1 ? f.attemptIds[0]! : null);
              }}
            />
          </ErrorBoundary>
        </div>
      </div>
      {viewing !== null ? (
        <FrameViewer
          jobId={id}
          frame={viewing}
          viewable={viewable}
          order={detail.frameOrder}
          onFrame={showFrame}
          onClose={() => setViewing(null)}
        />
      ) : null}
    </div>
  );
}

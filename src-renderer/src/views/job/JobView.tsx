import { useCallback, useEffect, useMemo, useState } from 'react';
import { medianFrameMs } from '../../../../src-main/engine/frames/frame-time';
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
import { FarmHandoffs } from './FarmHandoffs';
import { FrameGrid } from './FrameGrid';
import { EMPTY_SELECTION, type Selection } from '../../lib/selection';
import { useThrottled } from '../../lib/use-throttled';
import { CELL_KINDS, cellLabel, countKinds } from './frame-cell';
import { FrameActions } from './FrameActions';
import { selectedInOrder } from './frame-actions';
import { viewableFrames } from './frame-steps';
import { FrameViewer } from './FrameViewer';
import { JobHeader } from './JobHeader';
import { JobStats } from './JobStats';
import { RenderTimeChart } from './RenderTimeChart';
import { StepsList } from './StepsList';
import { Thumbnail } from './Thumbnail';

const WHOLE_JOB_FIGURES_MS = 250;
/**
 * A bigger job refreshes them less often, so their passes cost the page the same share of its time
 * at any size: 250 ms up to 25,000 frames, 1 s at 100,000. Each refresh is several passes over all
 * the frames and a redraw of the chart's bars, landing in a display frame already busy with events.
 */
const FRAMES_PER_FIGURES_MS = 100;
const NONE_VIEWABLE: readonly number[] = [];

export function JobView({ id, frame }: { id: number; frame: number | undefined }) {
  const detail = useDetail();
  const navigate = useUi((s) => s.navigate);
  const listed = useJobs((s) => s.byId.get(id));
  const partial = useJobs((s) => (s.byId.get(id)?.status === 'running' ? partialOf(s.partial, id) : 0));
  // One attempt's log (picked in the attempts table or the log's menu); a frame comes from the route.
  const [attemptId, setAttemptId] = useState<number | null>(null);
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const [menuAt, setMenuAt] = useState<{ x: number; y: number } | null>(null);
  // The frame open in the full-size viewer (a done frame clicked in the grid or the thumbnail).
  const [viewing, setViewing] = useState<number | null>(null);

  useEffect(() => {
    useDetail.getState().open(id);
    useLog.getState().open(id);
    setAttemptId(null);
    setSelection(EMPTY_SELECTION);
    setMenuAt(null);
    setViewing(null);
  }, [id]);
  // A frame named by the route (a link, the back button) is the selection unless it is in it already.
  useEffect(() => {
    if (frame !== undefined) setSelection((s) => (s.ids.has(frame) ? s : { ids: new Set([frame]), anchor: frame, focus: frame }));
  }, [frame]);
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
  // One state per frame (frame-cell.ts): "rendering" counts only the frames the renderers say they
  // are on; the rest of their chunks wait apart, and not-reached frames are neither failed nor waiting.
  // Figures over every frame (counts, median, chart, viewer's list) follow the frames a few times a
  // second, not on every batch of events: on a 100,000-frame job each costs a pass over all of them.
  const live = useMemo(() => ({ frames: detail.frames, current: detail.current }), [detail.frames, detail.current]);
  const slow = useThrottled(live, Math.max(WHOLE_JOB_FIGURES_MS, Math.round(detail.frameOrder.length / FRAMES_PER_FIGURES_MS)));
  const kinds = useMemo(() => countKinds(slow.frames.values(), slow.current, slow.frames.singleRunningTasks()), [slow]);
  const job = useMemo(() => {
    if (!summary || detail.jobId !== id || slow.frames.size === 0) return summary;
    return { ...summary, framesDone: kinds.done, framesFailed: kinds.failed, framesRunning: kinds.rendering, framesSuspended: kinds.suspended };
  }, [summary, detail.jobId, slow.frames.size, id, kinds]);
  const notReached = kinds.notreached;
  const selected = useMemo(() => selectedInOrder(detail.frameOrder, selection.ids), [detail.frameOrder, selection.ids]);
  const openLog = useCallback(
    (f: number) => {
      setAttemptId(null);
      navigate({ view: 'job', id, frame: f }, { replace: true });
    },
    [navigate, id],
  );
  const closeMenu = useCallback(() => {
    setMenuAt(null);
    // Back to the grid, where the keyboard was.
    if (selection.focus !== null) document.querySelector<HTMLElement>(`[data-testid=frame-cell][data-frame="${selection.focus}"]`)?.focus();
  }, [selection.focus]);
  // The one definition of average frame time, as History and reports compute it (frames/frame-time.ts).
  const avgMs = useMemo(() => medianFrameMs(slow.frames.values()), [slow.frames]);

  // Only the open viewer steps through them: a pass over every frame a few times a second otherwise.
  const viewable = useMemo(() => (viewing === null ? NONE_VIEWABLE : viewableFrames(detail.frameOrder, slow.frames)), [viewing, detail.frameOrder, slow.frames]);
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

  // Stable, so the memoized log and attempts table skip the renders the frames' updates cause.
  const showAttemptLog = useCallback(
    (attempt: number) => {
      navigate({ view: 'job', id }, { replace: true });
      setAttemptId(attempt);
    },
    [navigate, id],
  );
  const filterLog = useCallback(
    (f: LogFilter | null) => {
      if (frame !== undefined) navigate({ view: 'job', id }, { replace: true });
      setAttemptId(f && f.attemptIds.length === 1 ? f.attemptIds[0]! : null);
    },
    [navigate, id, frame],
  );

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
          <JobStats job={job} avgMs={avgMs} partial={partial} waiting={detail.frames.size ? kinds.waiting : 0} />
          <section className="card">
            <h2 className="card-title">
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
            </h2>
            {detail.error && detail.frames.size === 0 ? <p className="error-text">{detail.error}</p> : null}
            <FrameActions
              jobId={id}
              selected={selected}
              frames={detail.frames}
              tasks={detail.tasks}
              menuAt={menuAt}
              onCloseMenu={closeMenu}
              onOpenLog={openLog}
              onOpenImage={showFrame}
            />
            <FrameGrid
              order={detail.frameOrder}
              frames={detail.frames}
              fractions={detail.fractions}
              current={detail.current}
              attempts={detail.attempts}
              selection={selection}
              onSelect={(next, opened) => {
                setSelection(next);
                // A plain click picks one frame and shows its log; clicking it again shows the whole job's.
                if (opened === null) return;
                setAttemptId(null);
                navigate(opened === frame ? { view: 'job', id } : { view: 'job', id, frame: opened }, { replace: true });
              }}
              onMenu={(x, y) => setMenuAt({ x, y })}
              onOpen={(f) => {
                if (detail.frames.get(f)?.state === 'done') showFrame(f);
              }}
            />
          </section>
          <div className="card-row">
            <section className="card card-grow">
              <h2 className="card-title">Render time per frame</h2>
              <RenderTimeChart order={detail.frameOrder} frames={slow.frames} />
            </section>
            <section className="card card-thumb">
              <h2 className="card-title">Latest frame</h2>
              <Thumbnail key={id} jobId={id} frame={detail.latestDone} onOpen={showFrame} />
            </section>
          </div>
          {detail.steps.length > 0 ? (
            <section className="card">
              <h2 className="card-title">After render</h2>
              <StepsList steps={detail.steps} />
            </section>
          ) : null}
          <section className="card">
            <h2 className="card-title">Attempts</h2>
            {detail.farm ? <FarmHandoffs info={detail.farm} /> : null}
            <AttemptsTable
              attempts={detail.attempts}
              farm={job.farm ?? null}
              onShowLog={showAttemptLog}
            />
          </section>
        </div>
        <div className="job-right">
          <ErrorBoundary area="this job's log" resetKey={id}>
            <LogView
              attempts={detail.attempts}
              filter={filter}
              onFilter={filterLog}
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

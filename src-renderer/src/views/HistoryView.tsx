import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import type { JobSummary } from '../../../src-main/engine/types';
import { DccBadge } from '../components/DccBadge';
import { EmptyState } from '../components/EmptyState';
import { Icon } from '../components/Icon';
import { StatusPill } from '../components/StatusPill';
import { call } from '../bridge/call';
import { countOf, formatClock, formatDuration } from '../lib/format';
import { elapsedMs } from '../lib/queue';
import { isFinal } from '../../../src-main/engine/lifecycle/job-status';
import { saveText } from '../lib/save-text';
import { useJobs } from '../state/jobs-store';
import { toastError } from '../state/toasts-store';
import { useUi } from '../state/ui-store';

/** The contract takes at most this many ids per report. */
const MAX_REPORT_JOBS = 10_000;

/** Finished jobs, newest first, with how long they took; searchable by name, scene or reason. */
export function HistoryView() {
  const byId = useJobs((s) => s.byId);
  const navigate = useUi((s) => s.navigate);
  const [query, setQuery] = useState('');
  const scrollRef = useRef<HTMLDivElement>(null);

  const finished = useMemo(() => {
    const q = query.trim().toLowerCase();
    const out: JobSummary[] = [];
    for (const job of byId.values()) {
      if (!isFinal(job.status)) continue;
      if (q && !`${job.id} ${job.name} ${job.scene ?? ''} ${job.reason ?? ''} ${job.dcc}`.toLowerCase().includes(q)) continue;
      out.push(job);
    }
    return out.sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0) || b.id - a.id);
  }, [byId, query]);

  const totals = useMemo(() => {
    let frames = 0;
    let ms = 0;
    for (const j of finished) {
      frames += j.framesDone;
      ms += elapsedMs(j, j.finishedAt ?? Date.now()) ?? 0;
    }
    return { frames, ms };
  }, [finished]);

  const [exporting, setExporting] = useState(false);
  // The report covers what the list shows (the search applies), newest first like the list.
  const exportReport = async (): Promise<void> => {
    setExporting(true);
    try {
      const ids = finished.slice(0, MAX_REPORT_JOBS).map((j) => j.id);
      const report = await call('jobs.report', { ids, format: 'html' });
      saveText(report.text, report.mime, `spool-report-${new Date().toISOString().slice(0, 10)}.html`);
    } catch (error) {
      toastError('Could not export the report', error);
    } finally {
      setExporting(false);
    }
  };

  const virtualizer = useVirtualizer({ count: finished.length, getScrollElement: () => scrollRef.current, estimateSize: () => 30, overscan: 10 });

  return (
    <div className="page page-fill" data-testid="history-view">
      <header className="page-head">
        <h1>History</h1>
        <div className="search">
          <Icon name="search" size={12} />
          <input className="search-input" value={query} placeholder="Search name, scene, reason" aria-label="Search history" onChange={(e) => setQuery(e.target.value)} />
        </div>
        <span className="toolbar-fill" />
        <span className="muted">
          {countOf(finished.length, 'job')} · {countOf(totals.frames, 'frame')} · {formatDuration(totals.ms)} wall time
        </span>
        <button
          type="button"
          className="btn"
          disabled={finished.length === 0 || exporting}
          onClick={() => void exportReport()}
          title={finished.length > MAX_REPORT_JOBS ? `The newest ${MAX_REPORT_JOBS.toLocaleString()} of these jobs` : 'These jobs as one HTML file'}
          data-testid="export-report"
        >
          {exporting ? 'Exporting…' : 'Export report'}
        </button>
      </header>
      {finished.length === 0 ? (
        <EmptyState title={query ? 'Nothing matches' : 'No finished jobs yet'} />
      ) : (
        <div className="htable">
          <div className="hrow hrow-head">
            <span>Name</span>
            <span>DCC</span>
            <span>Status</span>
            <span className="qcell-num">Frames</span>
            <span className="qcell-num" title="From start to finish, start-up and waiting included, paused time left out">
              Wall time
            </span>
            <span className="qcell-num" title="Average frame time: the median of the frames' measured render times">
              Per frame
            </span>
            <span>Finished</span>
          </div>
          <div className="qbody" ref={scrollRef}>
            <div className="qbody-inner" style={{ height: virtualizer.getTotalSize() }}>
              {virtualizer.getVirtualItems().map((item) => {
                const job = finished[item.index]!;
                const wall = elapsedMs(job, job.finishedAt ?? Date.now());
                return (
                  <div
                    key={job.id}
                    className={`hrow ${item.index % 2 ? 'qrow-odd' : ''}`}
                    style={{ transform: `translateY(${item.start}px)` }}
                    onDoubleClick={() => navigate({ view: 'job', id: job.id })}
                    onKeyDown={(e) => e.key === 'Enter' && navigate({ view: 'job', id: job.id })}
                    tabIndex={0}
                    title={job.reason ?? job.scene ?? ''}
                  >
                    <span className="truncate">
                      <span className="qcell-id">#{job.id}</span> {job.name}
                      {job.reason ? <span className="qcell-reason"> {job.reason}</span> : null}
                    </span>
                    <DccBadge dcc={job.dcc} withLabel />
                    <StatusPill status={job.status} />
                    <span className="qcell-num mono">
                      {job.framesDone}/{job.frameCount}
                    </span>
                    <span className="qcell-num mono">{formatDuration(wall)}</span>
                    <span className="qcell-num mono" data-testid="history-frame-time">
                      {formatDuration(job.medianFrameMs)}
                    </span>
                    <span className="mono">{formatClock(job.finishedAt)}</span>
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      )}
    </div>
  );
}

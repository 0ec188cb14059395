import { EVENT_NAMES, type EventName, type Events } from '../../../src-preload/contract';
import type { JobSummary } from '../../../src-main/engine/types';
import type { UiBridge } from '../bridge';
import { freezeClock } from './clock';
import { isOffline, useConnection } from './connection-store';
import { useDetail } from './detail-store';
import { useJobs } from './jobs-store';
import { loadJobs } from './load-jobs';
import { drainQueuedEventsWith, useLog } from './log-store';
import { useUi } from './ui-store';

type Queued = { [E in EventName]: { event: E; payload: Events[E] } }[EventName];

/** Calls `flush` on the next animation frame, or on a slow timer while the tab is hidden (no frames come then). */
function frameScheduler(flush: () => void): () => void {
  let scheduled = false;
  const run = (): void => {
    scheduled = false;
    flush();
  };
  return () => {
    if (scheduled) return;
    scheduled = true;
    if (typeof document !== 'undefined' && document.visibilityState === 'visible' && typeof requestAnimationFrame === 'function') {
      requestAnimationFrame(run);
    } else {
      setTimeout(run, 250);
    }
  };
}

/**
 * Feeds the stores from the bridge's events. Whatever arrives between two animation frames is
 * applied together, one `set` per store, so a flood of log lines or progress costs one render a
 * frame at most.
 */
export function startEventPump(bridge: UiBridge): () => void {
  let queue: Queued[] = [];

  const flush = (): void => {
    const batch = queue;
    if (batch.length === 0) return; // drained early by a log read
    queue = [];
    const jobs = new Map<number, JobSummary>();
    const removed = new Set<number>();
    let changed = false;
    const frames: Events['frames'][number][] = [];
    const progress: Events['progress'][number][] = [];
    const logs: Events['log'][number][] = [];
    for (const item of batch) {
      switch (item.event) {
        case 'job':
          jobs.set(item.payload.id, item.payload);
          removed.delete(item.payload.id);
          break;
        case 'jobRemoved':
          removed.add(item.payload.id);
          jobs.delete(item.payload.id);
          break;
        case 'changed':
          changed = true;
          break;
        case 'frames':
          for (const f of item.payload) frames.push(f);
          break;
        case 'progress':
          for (const p of item.payload) progress.push(p);
          break;
        case 'log':
          for (const l of item.payload) logs.push(l);
          break;
        case 'openScene':
          useUi.getState().openNewJob(item.payload.scene);
          break;
      }
    }
    useJobs.getState().applyBatch({ upserts: [...jobs.values()], removed: [...removed], progress, frames });
    const detail = useDetail.getState();
    if (detail.jobId !== null) {
      const id = detail.jobId;
      detail.applyBatch({
        job: jobs.get(id) ?? null,
        removed: removed.has(id),
        frames: frames.filter((f) => f.jobId === id),
        progress: progress.filter((p) => p.jobId === id),
      });
    }
    if (logs.length > 0) useLog.getState().applyBatch(logs);
    if (changed) {
      void loadJobs();
      void useDetail.getState().refresh();
    }
  };

  const schedule = frameScheduler(flush);
  drainQueuedEventsWith(flush);
  const offs = EVENT_NAMES.map((event) =>
    bridge.on(event, (payload: Events[typeof event]) => {
      queue.push({ event, payload } as Queued);
      schedule();
    }),
  );

  // Events missed while disconnected are gone: on every connection, the first one included, the
  // state is fetched again. Fetching before the first one too gave every load two 3 MB lists.
  let generation = bridge.connection().generation;
  useConnection.getState().set(bridge.connection());
  if (bridge.connection().state === 'open') void loadJobs(); // IPC: connected from the start
  const offConnection = bridge.onConnection((info) => {
    useConnection.getState().set(info);
    freezeClock(isOffline(info.state));
    if (info.state === 'open' && info.generation !== generation) {
      generation = info.generation;
      void loadJobs();
      void useDetail.getState().refresh();
      if (useLog.getState().jobId !== null) void useLog.getState().reload();
    }
  });

  return () => {
    drainQueuedEventsWith(() => {});
    for (const off of offs) off();
    offConnection();
  };
}

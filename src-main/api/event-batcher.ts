import type { EventEmitter } from 'node:events';
import type { EventName, Events, JobSummary } from '../../src-preload/contract';
import type { EngineEvents } from '../engine/engine';

export type EventSink = <E extends EventName>(event: E, payload: Events[E]) => void;

export interface BatcherOptions {
  /** How long events gather before one delivery (the UI needs no more than ~20 a second). */
  intervalMs?: number;
  /** Log lines kept per job per delivery; a flood keeps its newest lines and says how many it skipped. */
  maxLogLinesPerJob?: number;
  /** The same cap in characters: a renderer printing 1 MB lines must not send 2,000 of them at once. */
  maxLogCharsPerJob?: number;
}

/**
 * The log caps are a rate: per interval as long as the lines actually gathered, up to this many
 * intervals. A busy engine fires its 50 ms timer late; a fixed cap per delivery then skipped lines
 * of a render printing well under the rate, and every skip made the log view re-read 4 MB.
 */
const MAX_STRETCH = 4;

/** Live lines longer than this are cut (and say by how much): a view shows their start, the file has them whole. */
export const LIVE_LINE_CHARS = 16 * 1024;

export interface EventBatcher {
  /** Delivers what has gathered now (tests, and before a transport closes). */
  flush(): void;
  /** Unsubscribes from the engine and drops whatever has not been delivered. */
  close(): void;
}

type FrameEvent = Events['frames'][number];
type ProgressEvent = Events['progress'][number];
interface LogLine {
  attemptId: number;
  stream: 'stdout' | 'stderr';
  text: string;
  cut: number;
}
interface JobLog {
  lines: LogLine[];
  chars: number;
  skipped: number;
}

/**
 * Turns the engine's per-line, per-frame events into a few messages per interval so a render
 * printing thousands of lines a second cannot flood IPC or a WebSocket: job updates keep only the
 * latest per job, progress the latest per task, frames the latest per frame, and log lines are
 * capped per job (the full log is always on disk).
 */
export function createEventBatcher(
  engine: EventEmitter<EngineEvents>,
  sink: EventSink,
  options: BatcherOptions = {},
): EventBatcher {
  const intervalMs = options.intervalMs ?? 50;
  const maxLines = options.maxLogLinesPerJob ?? 2000;
  const maxChars = options.maxLogCharsPerJob ?? 1024 * 1024;

  let changed = false;
  const jobs = new Map<number, JobSummary>();
  const removed = new Set<number>();
  const frames = new Map<string, FrameEvent>();
  const progress = new Map<number, ProgressEvent>();
  const logs = new Map<number, JobLog>();
  let timer: NodeJS.Timeout | null = null;
  let gatheringSince = 0;
  let closed = false;

  const schedule = (): void => {
    if (timer || closed) return;
    gatheringSince = Date.now();
    timer = setTimeout(flush, intervalMs);
  };

  const listeners: { [E in keyof EngineEvents]?: (...args: EngineEvents[E]) => void } = {
    changed: () => {
      changed = true;
      schedule();
    },
    job: (job) => {
      jobs.set(job.id, job);
      schedule();
    },
    jobRemoved: (id) => {
      jobs.delete(id);
      removed.add(id);
      schedule();
    },
    frame: (frame) => {
      frames.set(`${frame.jobId}:${frame.frame}`, frame);
      schedule();
    },
    progress: (p) => {
      progress.set(p.taskId, p);
      schedule();
    },
    log: ({ jobId, attemptId, stream, line }) => {
      let log = logs.get(jobId);
      if (!log) logs.set(jobId, (log = { lines: [], chars: 0, skipped: 0 }));
      const cut = Math.max(0, line.length - LIVE_LINE_CHARS);
      const text = cut ? line.slice(0, LIVE_LINE_CHARS) : line;
      log.lines.push({ attemptId, stream, text, cut });
      log.chars += text.length;
      // Trimmed in batches so a flood costs amortised O(1) per line, not a shift per line.
      if (log.lines.length >= maxLines * MAX_STRETCH * 2 || log.chars >= maxChars * MAX_STRETCH * 2) trim(log, maxLines * MAX_STRETCH, maxChars * MAX_STRETCH);
      schedule();
    },
  };
  for (const [event, listener] of Object.entries(listeners)) {
    engine.on(event as keyof EngineEvents, listener as () => void);
  }

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (closed) return;
    const batch = take();
    if (batch.changed) sink('changed', {});
    for (const job of batch.jobs) sink('job', job);
    for (const id of batch.removed) sink('jobRemoved', { id });
    if (batch.frames.length) sink('frames', batch.frames);
    if (batch.progress.length) sink('progress', batch.progress);
    if (batch.log.length) sink('log', batch.log);
  }

  function take() {
    const stretch = Math.min(MAX_STRETCH, Math.max(1, (Date.now() - gatheringSince) / intervalMs));
    const [lineCap, charCap] = [Math.round(maxLines * stretch), Math.round(maxChars * stretch)];
    const batch = {
      changed,
      jobs: [...jobs.values()],
      removed: [...removed],
      frames: [...frames.values()].filter((f) => !removed.has(f.jobId)),
      progress: [...progress.values()].filter((p) => !removed.has(p.jobId)),
      log: [...logs.entries()].filter(([jobId]) => !removed.has(jobId)).flatMap(([jobId, log]) => groupLog(jobId, trim(log, lineCap, charCap))),
    };
    changed = false;
    jobs.clear();
    removed.clear();
    frames.clear();
    progress.clear();
    logs.clear();
    return batch;
  }

  return {
    flush,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      for (const [event, listener] of Object.entries(listeners)) {
        engine.off(event as keyof EngineEvents, listener as () => void);
      }
    },
  };
}

/** Keeps the newest lines within both caps (at least the newest line), counting what it drops. */
function trim(log: JobLog, maxLines: number, maxChars: number): JobLog {
  let keepFrom = Math.max(0, log.lines.length - maxLines);
  let chars = 0;
  for (let i = log.lines.length - 1; i >= keepFrom; i--) {
    chars += log.lines[i]!.text.length;
    if (chars > maxChars && i < log.lines.length - 1) {
      keepFrom = i + 1;
      chars -= log.lines[i]!.text.length;
      break;
    }
  }
  if (keepFrom === 0) return log;
  log.skipped += keepFrom;
  log.lines = log.lines.slice(keepFrom);
  log.chars = chars;
  return log;
}

/** The contract's shape: runs of consecutive lines of one attempt, oldest first. */
function groupLog(jobId: number, log: JobLog): Events['log'] {
  const kept = log.lines;
  const skipped = log.skipped;
  const groups: Events['log'] = [];
  if (skipped > 0 && kept[0]) {
    groups.push({
      jobId,
      attemptId: kept[0].attemptId,
      skipped,
      lines: [{ stream: 'stderr', text: `[spool] ${skipped} lines skipped here to keep up; the full log is on disk` }],
    });
  }
  for (const line of kept) {
    const last = groups.at(-1);
    const entry = line.cut ? { stream: line.stream, text: line.text, cut: line.cut } : { stream: line.stream, text: line.text };
    if (last && last.attemptId === line.attemptId && !last.skipped) last.lines.push(entry);
    else groups.push({ jobId, attemptId: line.attemptId, lines: [entry] });
  }
  return groups;
}

import { create } from 'zustand';
import type { Events, LogDto } from '../../../src-preload/contract';
import { call, errorMessage } from '../bridge/call';
import { dropOverlap, makeLine, parseStoredLog, type LogLine } from '../lib/log-lines';
import { RingBuffer } from '../lib/ring-buffer';

export const LOG_CAPACITY = 100_000;
/** The view's memory cap: characters held (text and its plain copy). A flood of 1 MB lines held 550 MB before. */
export const LOG_MAX_CHARS = 16 * 1024 * 1024;
/** A line longer than this is held cut, saying by how much; the file keeps it whole. */
export const HELD_LINE_CHARS = 16 * 1024;
/** How much of the log's end a (re)load reads. */
export const LOG_TAIL_BYTES = 4 * 1024 * 1024;
/**
 * After lines were skipped, the re-read waits for the flood to let up: this long without another
 * skip. Re-reading 300 ms after each skip instead, a 100,000-frame job re-read 3 MB of log 16 times
 * in 26 s, and each re-read held the page for a few display frames.
 */
const RESYNC_QUIET_MS = 2000;
/** A flood that never lets up is still filled in this often. */
const RESYNC_MAX_WAIT_MS = 20_000;

export interface LogState {
  jobId: number | null;
  /** Mutated in place (see RingBuffer); `version` changes whenever it does. */
  lines: RingBuffer<LogLine>;
  version: number;
  loading: boolean;
  error: string | null;
  open(jobId: number | null): void;
  reload(): Promise<void>;
  /**
   * Whether the view follows the tail. A re-read rebuilds the lines: while the user reads
   * further up it waits, so the page does not jump under them, and runs once they follow again.
   */
  setFollowing(following: boolean): void;
  applyBatch(batch: readonly Events['log'][number][]): void;
}

// Live lines that arrive while the stored log is being read, held back to be de-duplicated.
let pending: LogLine[] | null = null;
let requestSeq = 0;
let resyncTimer: ReturnType<typeof setTimeout> | null = null;
/** When the first skip the next re-read fills in was noticed. */
let firstSkipAt: number | null = null;
let resyncAgain = false;
let following = true;
let resyncWhenFollowing = false;
let applyQueuedEvents = (): void => {};

/**
 * The event pump holds events until the next animation frame. A log read that answers first would
 * then push its own tail's newest lines a second time: the read calls this to take them in first.
 */
export function drainQueuedEventsWith(drain: () => void): void {
  applyQueuedEvents = drain;
}

const newRing = (): RingBuffer<LogLine> =>
  new RingBuffer<LogLine>(LOG_CAPACITY, { maxWeight: LOG_MAX_CHARS, weigh: (line) => line.text.length + (line.plain === line.text ? 0 : line.plain.length) });

/** Cuts a very long line to what the view holds; the row offers the rest. */
function held(line: LogLine, cut = 0): LogLine {
  if (line.text.length <= HELD_LINE_CHARS && !cut) return line;
  const extra = Math.max(0, line.text.length - HELD_LINE_CHARS);
  if (!extra) return { ...line, cut };
  const text = line.text.slice(0, HELD_LINE_CHARS);
  return { ...line, text, plain: line.plain === line.text ? text : line.plain.slice(0, HELD_LINE_CHARS), cut: cut + extra };
}

function metaLine(attemptId: number | null, text: string): LogLine {
  return { attemptId, stream: 'meta', text, plain: text, error: false };
}

function storedLines(log: LogDto): LogLine[] {
  const lines = parseStoredLog(log.text, log.attempts).map((line) => held(line));
  if (log.skippedBytes > 0) {
    const mb = (log.skippedBytes / (1024 * 1024)).toFixed(1);
    lines.unshift(metaLine(null, `[spool] ${mb} MB of earlier log not shown here; the whole log is in the attempts' log files`));
  }
  return lines;
}

export const useLog = create<LogState>()((set, get) => {
  /** Lines were skipped on their way here: read the log's tail again, once the flood lets up. */
  const scheduleResync = (): void => {
    if (!following) {
      resyncWhenFollowing = true;
      return;
    }
    if (get().loading) {
      resyncAgain = true;
      return;
    }
    const now = Date.now();
    firstSkipAt ??= now;
    if (resyncTimer) clearTimeout(resyncTimer);
    resyncTimer = setTimeout(
      () => {
        resyncTimer = null;
        firstSkipAt = null;
        void get().reload();
      },
      Math.max(0, Math.min(RESYNC_QUIET_MS, firstSkipAt + RESYNC_MAX_WAIT_MS - now)),
    );
  };

  return {
    jobId: null,
    lines: newRing(),
    version: 0,
    loading: false,
    error: null,

    open(jobId) {
      if (get().jobId === jobId) return;
      if (resyncTimer) clearTimeout(resyncTimer);
      resyncTimer = null;
      firstSkipAt = null;
      resyncAgain = false;
      resyncWhenFollowing = false;
      set((s) => ({ jobId, lines: newRing(), version: s.version + 1, loading: jobId !== null, error: null }));
      if (jobId !== null) void get().reload();
    },

    setFollowing(next) {
      following = next;
      if (!next || !resyncWhenFollowing) return;
      resyncWhenFollowing = false;
      scheduleResync();
    },

    async reload() {
      const jobId = get().jobId;
      if (jobId === null) return;
      const seq = ++requestSeq;
      pending = [];
      resyncAgain = false;
      set({ loading: true, error: null });
      try {
        const log = await call('jobs.log', { id: jobId, tail: LOG_TAIL_BYTES });
        if (seq !== requestSeq || get().jobId !== jobId) return;
        applyQueuedEvents();
        const stored = storedLines(log);
        const live = dropOverlap(stored, pending ?? []);
        pending = null;
        const lines = newRing();
        // Only the newest lines fit: skip the rest instead of pushing and dropping them one by one.
        const all = stored.length + live.length > LOG_CAPACITY ? [...stored, ...live].slice(-LOG_CAPACITY) : null;
        if (all) lines.pushAll(all);
        else {
          lines.pushAll(stored);
          lines.pushAll(live);
        }
        set((s) => ({ lines, version: s.version + 1, loading: false }));
      } catch (error) {
        if (seq !== requestSeq || get().jobId !== jobId) return;
        const live = pending ?? [];
        pending = null;
        const lines = newRing();
        lines.pushAll(live);
        set((s) => ({ lines, version: s.version + 1, loading: false, error: errorMessage(error) }));
      }
      if (resyncAgain) scheduleResync();
    },

    applyBatch(batch) {
      const { jobId, lines } = get();
      if (jobId === null) return;
      let added = 0;
      let skipped = false;
      for (const chunk of batch) {
        if (chunk.jobId !== jobId) continue;
        if (chunk.skipped) skipped = true;
        for (const line of chunk.lines) {
          // The skip notice is Spool's own line, shown as a marker where the lines went missing.
          const entry = chunk.skipped ? metaLine(chunk.attemptId, line.text) : held(makeLine(chunk.attemptId, line.stream, line.text), line.cut);
          if (pending) pending.push(entry);
          else lines.push(entry);
          added++;
        }
      }
      if (added > 0 && !pending) set((s) => ({ version: s.version + 1 }));
      if (skipped) scheduleResync();
    },
  };
});

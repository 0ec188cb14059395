import { create } from 'zustand';
import type { Events } from '../../../src-preload/contract';
import { call, errorMessage } from '../bridge/call';
import { dropOverlap, makeLine, parseStoredLog, type LogLine } from '../lib/log-lines';
import { RingBuffer } from '../lib/ring-buffer';

export const LOG_CAPACITY = 100_000;

export interface LogState {
  jobId: number | null;
  /** Mutated in place (see RingBuffer); `version` changes whenever it does. */
  lines: RingBuffer<LogLine>;
  version: number;
  loading: boolean;
  error: string | null;
  open(jobId: number | null): void;
  reload(): Promise<void>;
  applyBatch(batch: readonly Events['log'][number][]): void;
}

// Live lines that arrive while the stored log is being read, held back to be de-duplicated.
let pending: LogLine[] | null = null;
let requestSeq = 0;

export const useLog = create<LogState>()((set, get) => ({
  jobId: null,
  lines: new RingBuffer<LogLine>(LOG_CAPACITY),
  version: 0,
  loading: false,
  error: null,

  open(jobId) {
    if (get().jobId === jobId) return;
    set((s) => ({ jobId, lines: new RingBuffer<LogLine>(LOG_CAPACITY), version: s.version + 1, loading: jobId !== null, error: null }));
    if (jobId !== null) void get().reload();
  },

  async reload() {
    const jobId = get().jobId;
    if (jobId === null) return;
    const seq = ++requestSeq;
    pending = [];
    set({ loading: true, error: null });
    try {
      const log = await call('jobs.log', { id: jobId });
      if (seq !== requestSeq || get().jobId !== jobId) return;
      const stored = parseStoredLog(log.text);
      const live = dropOverlap(stored, pending ?? []);
      pending = null;
      const lines = new RingBuffer<LogLine>(LOG_CAPACITY);
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
      const lines = new RingBuffer<LogLine>(LOG_CAPACITY);
      lines.pushAll(live);
      set((s) => ({ lines, version: s.version + 1, loading: false, error: errorMessage(error) }));
    }
  },

  applyBatch(batch) {
    const { jobId, lines } = get();
    if (jobId === null) return;
    let added = 0;
    for (const chunk of batch) {
      if (chunk.jobId !== jobId) continue;
      for (const line of chunk.lines) {
        const entry = makeLine(chunk.attemptId, line.stream, line.text);
        if (pending) pending.push(entry);
        else lines.push(entry);
        added++;
      }
    }
    if (added > 0 && !pending) set((s) => ({ version: s.version + 1 }));
  },
}));

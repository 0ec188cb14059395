import { create } from 'zustand';
import type { Events } from '../../../src-preload/contract';
import type { JobSummary } from '../../../src-main/engine/types';
import { compareQueue } from '../lib/queue';

export interface JobsState {
  byId: ReadonlyMap<number, JobSummary>;
  /** Every job id in the scheduler's order. */
  order: readonly number[];
  loaded: boolean;
  loadError: string | null;
  /** Fraction of the current frame of each running task, by job: smooths progress bars. */
  partial: ReadonlyMap<number, ReadonlyMap<number, number>>;
  replaceAll(jobs: readonly JobSummary[]): void;
  setLoadError(message: string | null): void;
  applyBatch(batch: JobsBatch): void;
}

export interface JobsBatch {
  upserts: readonly JobSummary[];
  removed: readonly number[];
  progress: readonly Events['progress'][number][];
  /** Frame state changes: the engine announces a job's summary only when a task starts or ends. */
  frames?: readonly Events['frames'][number][];
}

/**
 * Moves a summary's frame counts along with frame events, so progress bars advance frame by frame.
 * Only for jobs without a fresh summary in the same batch (that summary is the truth, and may
 * already include these frames); the next summary corrects any drift.
 */
export function advanceCounts(job: JobSummary, frames: readonly Events['frames'][number][]): JobSummary {
  let { framesDone, framesFailed, framesRunning } = job;
  for (const f of frames) {
    if (f.state === 'running') framesRunning++;
    else {
      framesRunning = Math.max(0, framesRunning - 1);
      if (f.state === 'done') framesDone++;
      else if (f.state === 'failed') framesFailed++;
    }
  }
  const cap = (n: number): number => Math.max(0, Math.min(job.frameCount, n));
  return { ...job, framesDone: cap(framesDone), framesFailed: cap(framesFailed), framesRunning: cap(framesRunning) };
}

function sortIds(byId: ReadonlyMap<number, JobSummary>): number[] {
  return [...byId.values()].sort(compareQueue).map((j) => j.id);
}

export const useJobs = create<JobsState>()((set) => ({
  byId: new Map(),
  order: [],
  loaded: false,
  loadError: null,
  partial: new Map(),

  replaceAll(jobs) {
    const byId = new Map(jobs.map((j) => [j.id, j]));
    set((s) => ({
      byId,
      order: sortIds(byId),
      loaded: true,
      loadError: null,
      partial: new Map([...s.partial].filter(([id]) => byId.get(id)?.status === 'running')),
    }));
  },

  setLoadError(message) {
    set({ loadError: message });
  },

  applyBatch({ upserts, removed, progress, frames = [] }) {
    if (upserts.length === 0 && removed.length === 0 && progress.length === 0 && frames.length === 0) return;
    set((s) => {
      let byId = s.byId;
      let partial = s.partial;
      // Re-sorting 5,000 jobs is cheap but not free: only when membership or a priority changed.
      let resort = false;
      if (upserts.length > 0 || removed.length > 0 || frames.length > 0) {
        const next = new Map(byId);
        for (const job of upserts) {
          const before = next.get(job.id);
          if (!before || before.priority !== job.priority) resort = true;
          next.set(job.id, job);
        }
        const fresh = new Set(upserts.map((j) => j.id));
        const byJob = new Map<number, Events['frames'][number][]>();
        for (const f of frames) {
          if (fresh.has(f.jobId)) continue;
          let list = byJob.get(f.jobId);
          if (!list) byJob.set(f.jobId, (list = []));
          list.push(f);
        }
        for (const [id, list] of byJob) {
          const job = next.get(id);
          if (job) next.set(id, advanceCounts(job, list));
        }
        for (const id of removed) if (next.delete(id)) resort = true;
        byId = next;
      }
      if (progress.length > 0 || upserts.length > 0 || removed.length > 0) {
        const nextPartial = new Map(partial);
        for (const p of progress) {
          const tasks = new Map(nextPartial.get(p.jobId) ?? []);
          tasks.set(p.taskId, Math.max(0, Math.min(1, p.fraction)));
          nextPartial.set(p.jobId, tasks);
        }
        // A job that is no longer running has no frame in flight.
        for (const job of upserts) if (job.status !== 'running' || job.framesRunning === 0) nextPartial.delete(job.id);
        for (const id of removed) nextPartial.delete(id);
        partial = nextPartial;
      }
      return { byId, partial, order: resort ? sortIds(byId) : s.order };
    });
  },
}));

/** Sum of in-flight frame fractions of a job (0 when none run). */
export function partialOf(partial: JobsState['partial'], jobId: number): number {
  const tasks = partial.get(jobId);
  if (!tasks) return 0;
  let sum = 0;
  for (const f of tasks.values()) sum += f;
  return sum;
}

import { create } from 'zustand';
import type { Events } from '../../../src-preload/contract';
import type { AttemptRecord, FrameRecord, JobDependency, JobDetail, JobFarmInfo, JobSummary, StepRecord, TaskRecord } from '../../../src-main/engine/types';
import { call, errorMessage } from '../bridge/call';
import { FrameTable } from './frame-table';

export interface DetailState {
  jobId: number | null;
  job: JobSummary | null;
  tasks: readonly TaskRecord[];
  attempts: readonly AttemptRecord[];
  steps: readonly StepRecord[];
  deps: readonly JobDependency[];
  /** Where a farm job went (its farm's ids, how to see it there); null on this workstation. */
  farm: JobFarmInfo | null;
  /** Frames in the job's order. */
  frameOrder: readonly number[];
  /** Paged and immutable: a batch of frame events copies the pages it touches, not the job's every frame. */
  frames: FrameTable;
  /** The job's frame revision the frames were read at: a refresh asks only for frames changed since. */
  framesRev: number | null;
  /** Progress within a running frame, 0..1. */
  fractions: ReadonlyMap<number, number>;
  /** The frame each running chunk (task id) renders now, from the renderer's current-frame lines. */
  current: ReadonlyMap<number, number>;
  /** The most recent frame that finished while we watched (or the last done one on load). */
  latestDone: number | null;
  loading: boolean;
  error: string | null;
  open(jobId: number | null): void;
  /**
   * Fetches the job again. `frames: false` (the periodic look while it runs) fetches tasks and
   * attempts only, since frame events keep the frames current; it fetches the frames too when
   * the tasks or attempts changed in a way frame events do not carry (new chunks, ended attempts).
   * Frames already held are not fetched again: only those changed since their revision.
   */
  refresh(options?: { frames?: boolean; full?: boolean }): Promise<void>;
  applyBatch(batch: DetailBatch): void;
}

export interface DetailBatch {
  job: JobSummary | null;
  removed: boolean;
  frames: readonly Events['frames'][number][];
  progress: readonly Events['progress'][number][];
}

// Attempts and tasks arrive with no event of their own: a job event means "look again", at most
// this often, so a running job with many frames does not turn into a fetch storm.
const REFRESH_MIN_GAP_MS = 700;
let refreshTimer: ReturnType<typeof setTimeout> | null = null;
let lastRefresh = 0;
let requestSeq = 0;
/**
 * A read of all the job's frames in flight. A refresh asked meanwhile (the connection opening as
 * the view does) waits for it and then reads what changed since: it used to start a second full
 * read of 100,000 frames and throw the first away.
 */
let fullRead: { jobId: number; again: boolean; done: Promise<void> } | null = null;

type FromDetail = Pick<DetailState, 'job' | 'tasks' | 'attempts' | 'steps' | 'deps' | 'farm'> & Partial<Pick<DetailState, 'frameOrder' | 'frames' | 'framesRev'>>;

/** The state a reply gives; null when its changed frames do not fit the frames held (a full read is due). */
function fromDetail(detail: JobDetail, held: FrameTable): FromDetail | null {
  const rest = { job: detail.job, tasks: detail.tasks, attempts: detail.attempts, steps: detail.steps ?? [], deps: detail.deps ?? [], farm: detail.farm ?? null };
  if (detail.framesOmitted) return rest;
  const framesRev = detail.framesRev ?? null;
  if (detail.framesSince === undefined) return { ...rest, frameOrder: detail.frames.map((f) => f.frame), frames: FrameTable.of(detail.frames), framesRev };
  // A changed frame is whole in the reply. One the table does not hold, or a job with another
  // number of frames, means the job's frames themselves changed (a modify): read them all.
  if (detail.job.frameCount !== held.size || detail.frames.some((f) => !held.get(f.frame))) return null;
  return { ...rest, frames: held.update(detail.frames, (_, f) => f), framesRev };
}

/**
 * What frame events do not carry changes with the tasks and attempts: a frame's chunk (new
 * tasks), its failure reason and attempt (an attempt ended). Equal shapes: the frames we hold
 * from events are the stored ones.
 */
function workShape(tasks: readonly TaskRecord[], attempts: readonly AttemptRecord[]): string {
  return `${tasks.map((t) => `${t.id}:${t.state}`).join(',')}|${attempts.map((a) => `${a.id}:${a.endedAt ?? ''}`).join(',')}`;
}

function lastDoneFrame(frames: readonly FrameRecord[]): number | null {
  for (let i = frames.length - 1; i >= 0; i--) if (frames[i]!.state === 'done') return frames[i]!.frame;
  return null;
}

/** What the view holds before a job's detail arrives. */
function emptyDetail(jobId: number | null) {
  return {
    jobId,
    job: null,
    tasks: [],
    attempts: [],
    steps: [],
    deps: [],
    farm: null,
    frameOrder: [],
    frames: FrameTable.EMPTY,
    framesRev: null,
    fractions: new Map(),
    current: new Map(),
    latestDone: null,
    loading: jobId !== null,
    error: null,
  } satisfies Partial<DetailState>;
}

export const useDetail = create<DetailState>()((set, get) => ({
  ...emptyDetail(null),

  open(jobId) {
    if (get().jobId === jobId) return;
    if (refreshTimer !== null) clearTimeout(refreshTimer);
    refreshTimer = null;
    set(emptyDetail(jobId));
    if (jobId !== null) void get().refresh();
  },

  async refresh(options = {}) {
    const jobId = get().jobId;
    if (jobId === null) return;
    lastRefresh = Date.now();
    if (fullRead?.jobId === jobId) {
      fullRead.again = true;
      return fullRead.done;
    }
    const withFrames = options.frames ?? true;
    const before = get();
    const since = withFrames && !options.full && before.frames.size > 0 ? before.framesRev : null;
    if (!withFrames || since !== null) return readDetail(jobId, withFrames, since);
    const read = { jobId, again: false, done: Promise.resolve() };
    fullRead = read;
    read.done = readDetail(jobId, true, null).then(async () => {
      if (fullRead === read) fullRead = null;
      if (read.again && get().jobId === jobId) await get().refresh();
    });
    return read.done;
  },

  applyBatch({ job, removed, frames, progress }) {
    const s = get();
    if (s.jobId === null) return;
    if (removed) {
      set({ error: `job ${s.jobId} was deleted`, job: s.job ? { ...s.job } : null });
      return;
    }
    if (!job && frames.length === 0 && progress.length === 0) return;
    const patch: Partial<DetailState> = {};
    if (job) patch.job = job;
    if (frames.length > 0 && s.frames.size > 0) {
      const next = s.frames.update(frames, (before, f) => ({ ...before, state: f.state, output: f.output ?? before.output, renderMs: f.renderMs ?? before.renderMs }));
      const fractions = new Map(s.fractions);
      const current = new Map(s.current);
      let latestDone = s.latestDone;
      for (const f of frames) {
        const before = s.frames.get(f.frame);
        if (!before) continue;
        if (f.state !== 'running') {
          fractions.delete(f.frame);
          // Its chunk is past it: no other frame is "rendering now" until the renderer names the next.
          if (before.taskId !== null && current.get(before.taskId) === f.frame) current.delete(before.taskId);
        }
        if (f.state === 'done') latestDone = f.frame;
      }
      patch.frames = next;
      patch.fractions = fractions;
      patch.current = current;
      patch.latestDone = latestDone;
    }
    if (progress.length > 0) {
      const fractions = new Map(patch.fractions ?? s.fractions);
      const current = new Map(patch.current ?? s.current);
      for (const p of progress) {
        if (p.frame === null) continue;
        fractions.set(p.frame, Math.max(0, Math.min(1, p.fraction)));
        current.set(p.taskId, p.frame);
      }
      patch.fractions = fractions;
      patch.current = current;
    }
    set(patch);
    if (job) scheduleRefresh();
  },
}));

/** One jobs.get: without frames, with those changed since a revision, or (since null) with all. */
async function readDetail(jobId: number, withFrames: boolean, since: number | null): Promise<void> {
  const { getState: get, setState: set } = useDetail;
  const seq = ++requestSeq;
  const before = get();
  try {
    const detail = await call('jobs.get', !withFrames ? { id: jobId, frames: false } : since !== null ? { id: jobId, framesSince: since } : { id: jobId });
    if (seq !== requestSeq || get().jobId !== jobId) return;
    if (!withFrames && (before.frames.size === 0 || workShape(before.tasks, before.attempts) !== workShape(detail.tasks, detail.attempts))) {
      await get().refresh();
      return;
    }
    const next = fromDetail(detail, get().frames);
    if (!next) {
      await get().refresh({ full: true });
      return;
    }
    set((s) => ({
      ...next,
      latestDone: s.latestDone ?? lastDoneFrame(detail.frames),
      loading: false,
      error: null,
    }));
  } catch (error) {
    if (seq !== requestSeq || get().jobId !== jobId) return;
    set({ loading: false, error: errorMessage(error) });
  }
}

function scheduleRefresh(): void {
  if (refreshTimer !== null) return;
  const wait = Math.max(0, REFRESH_MIN_GAP_MS - (Date.now() - lastRefresh));
  refreshTimer = setTimeout(() => {
    refreshTimer = null;
    void useDetail.getState().refresh({ frames: false });
  }, wait);
}

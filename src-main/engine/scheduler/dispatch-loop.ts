import { compileRemaining, sceneKey } from '../commands';
import type { Store } from '../store';
import type { WorkSlots } from '../work-slots';
import type { JobRecord } from '../types';
import { startupFloor } from './auto-chunk';
import { assignDevice, mostAtOnce } from './devices';
import { chunkToSplit, chunkToYield, type RunningChunk } from './shorten';

/** After-render steps running at once across jobs (a job runs its steps one after another). */
const STEP_SLOTS = 2;
/** How long launches wait after a runner broke, so the same failure cannot spin. */
const BROKEN_TASK_PAUSE_MS = 1000;

export interface DispatchLoopOptions {
  store: Store;
  slots: WorkSlots;
  logicalCores: number;
  gpuCount(): number;
  /** Nothing runs and nothing is runnable now or later. */
  onIdle(): void;
  /** A pump failed (the store could not be read): the engine decides whether to go on. */
  onError(error: unknown): void;
}

/**
 * The scheduler's loop: decides what runs next (priority, dependencies, device slots, backoff) and
 * hands it to the work slots. One pump at a time; a pump asked for during one runs right after.
 */
export class DispatchLoop {
  private pumping = false;
  private pumpAgain = false;
  private stopped = false;
  private wakeTimer: NodeJS.Timeout | null = null;
  /** No task starts before this time: set when a runner broke. */
  private launchesPausedUntil = 0;

  constructor(private readonly options: DispatchLoopOptions) {}

  pumpSoon(): void {
    if (this.stopped) return;
    queueMicrotask(() => this.pump());
  }

  /** A runner broke (a store it cannot write): its task is still queued, so wait before the next launch. */
  pauseLaunches(): void {
    this.launchesPausedUntil = Date.now() + BROKEN_TASK_PAUSE_MS;
  }

  stop(): void {
    this.stopped = true;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
  }

  private pump(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        this.compileWaitingJobs();
        this.startRenders();
        this.startSteps();
      } while (this.pumpAgain);
      this.scheduleWakeUp();
      if (this.isIdle()) this.options.onIdle();
    } catch (error) {
      // Thrown from a microtask it would take the process down with a stack trace.
      this.options.onError(error);
    } finally {
      this.pumping = false;
    }
  }

  /** Jobs whose automatic chunks are all done but frames remain unassigned get their next chunks. */
  private compileWaitingJobs(): void {
    const { store } = this.options;
    for (const jobId of store.queue.jobsAwaitingChunks()) compileRemaining(store, store.jobs.get(jobId)!);
  }

  private startRenders(): void {
    if (Date.now() < this.launchesPausedUntil) return;
    const { store, slots } = this.options;
    const gpuCount = this.options.gpuCount();
    const candidates = store.queue.runnableTasks(Date.now(), 64, (job) => mostAtOnce(job, gpuCount));
    const skipped = new Set<number>();
    let blocked: JobRecord | null = null;
    for (const candidate of candidates) {
      if (skipped.has(candidate.job.id)) continue;
      const running = slots.of('render').filter((unit) => !unit.farm);
      const device = assignDevice(candidate.job, { logicalCores: this.options.logicalCores, gpuCount, running });
      if (device === 'busy') {
        skipped.add(candidate.job.id);
        // Busy because of other jobs, not its own slots: the best such job may take a slot back.
        if (!blocked && running.filter((unit) => unit.jobId === candidate.job.id).length < mostAtOnce(candidate.job, gpuCount)) blocked = candidate.job;
        continue;
      }
      slots.startRender(candidate, device);
    }
    this.shortenChunks(blocked);
  }

  /**
   * Elastic chunks: a higher-priority job kept waiting by running chunks takes a slot back at the
   * next frame boundary; otherwise a job with a free slot and nothing queued splits its biggest
   * chunk. One shortening at a time, so one arrival never stops more than it needs.
   */
  private shortenChunks(blocked: JobRecord | null): void {
    const { store, slots } = this.options;
    // Farm chunks hold no local slot: the farm schedules them, so they neither block nor give way here.
    const renders = slots.of('render').filter((unit) => !unit.farm);
    if (renders.length === 0 || renders.some((unit) => unit.attempt.stopping() !== null)) return;
    const chunk = (unit: (typeof renders)[number]): RunningChunk => ({
      taskId: unit.taskId,
      jobId: unit.jobId,
      priority: store.jobs.get(unit.jobId)?.priority ?? 0,
      device: unit.device,
      pending: store.work.pendingFramesOf(unit.taskId).length,
    });
    const shortenable = renders.filter((unit) => unit.attempt.stopsAfterFrame());
    if (blocked) {
      const kind = blocked.device.kind === 'cpu' ? 'cpu' : 'gpu';
      const taskId = chunkToYield({ priority: blocked.priority, deviceKind: kind }, shortenable.map(chunk));
      if (taskId !== null) slots.shorten(taskId);
      return;
    }
    const gpuCount = this.options.gpuCount();
    for (const jobId of new Set(shortenable.map((unit) => unit.jobId))) {
      const job = store.jobs.get(jobId);
      // A chunk size the user chose stays; only automatic chunks are elastic.
      if (!job || job.chunkSize !== null) continue;
      const device = assignDevice(job, { logicalCores: this.options.logicalCores, gpuCount, running: renders });
      const key = sceneKey(job);
      const timing = key ? store.sceneStats.get(key) : null;
      if (device === 'busy' || device === null || !timing) continue;
      const ofJob = shortenable.filter((unit) => unit.jobId === jobId).map(chunk);
      const taskId = chunkToSplit(ofJob, mostAtOnce(job, gpuCount), startupFloor(timing));
      if (taskId !== null && slots.shorten(taskId)) return;
    }
  }

  /** Steps start once their job's frames are all done; a job runs its steps one at a time. */
  private startSteps(): void {
    const { store, slots } = this.options;
    const running = slots.of('step');
    if (running.length >= STEP_SLOTS) return;
    const busyJobs = new Set(running.map((unit) => unit.jobId));
    let free = STEP_SLOTS - running.length;
    for (const candidate of store.queue.runnableSteps(Date.now(), 32)) {
      if (free === 0) break;
      if (busyJobs.has(candidate.job.id) || slots.has(candidate.step.id)) continue;
      busyJobs.add(candidate.job.id);
      free--;
      slots.startStep(candidate);
    }
  }

  private scheduleWakeUp(): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    const waiting = this.options.store.queue.nextWakeUp();
    const paused = this.launchesPausedUntil > Date.now() ? this.launchesPausedUntil : null;
    const next = waiting === null ? paused : paused === null ? waiting : Math.min(waiting, paused);
    if (next === null) return;
    this.wakeTimer = setTimeout(() => this.pumpSoon(), Math.max(0, next - Date.now()) + 5);
  }

  isIdle(): boolean {
    const { store, slots } = this.options;
    if (slots.size > 0) return false;
    if (store.queue.runnableSteps(Number.MAX_SAFE_INTEGER, 1).length > 0) return false;
    if (store.queue.nextWakeUp() !== null) return false;
    if (store.queue.runnableTasks(Number.MAX_SAFE_INTEGER, 1).length > 0) return false;
    return store.queue.jobsAwaitingChunks().length === 0;
  }
}

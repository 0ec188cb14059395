import type { Adapter } from './adapters/adapter';
import { compileRemaining } from './commands';
import { getAdapter } from './adapters/registry';
import { resolveExecutable } from './executables';
import type { Executor } from './executors/executor';
import { FarmRuns } from './farm/farm-runs';
import type { WatchFolder } from './farm/handoff-watches';
import { stopForIntent } from './lifecycle/intent';
import { renderWork, type RenderEvents } from './runner/render-work';
import { runAttempt, type RunningAttempt, type UnitWork } from './runner/run-attempt';
import { stepWork } from './runner/step-work';
import type { RunnableStep, RunnableTask, Store } from './store';
import type { DeviceAssignment, JobRecord, SceneInfo, TaskRole } from './types';

export interface RunningUnitInfo {
  jobId: number;
  taskId: number;
  role: TaskRole;
  device: DeviceAssignment;
  /** Runs on a farm: takes no device of this machine. */
  farm: boolean;
  attempt: RunningAttempt;
}

export interface WorkSlotsOptions {
  store: Store;
  dataDir: string;
  executor: Executor;
  /** How often farm jobs' farms are polled (farm/farm-runs.ts). */
  farmPollMs?: number;
  /** How farm hand-off folders are watched (farm/handoff-watches.ts; tests inject a failing one). */
  farmWatchFolder?: WatchFolder;
  /** What a farm job's scene says (farm/farm-runs.ts). */
  sceneInfo?: (job: JobRecord) => Promise<SceneInfo | null>;
  retryBaseMs?: number;
  events: RenderEvents & { jobChanged(jobId: number): void };
  /** A unit ended: the engine looks for more work. */
  onDone(): void;
  /** A unit's runner broke (not its render: the runner itself). */
  onBroken(taskId: number, jobId: number, error: unknown): void;
}

/**
 * What runs now, render chunks and after-render steps alike, each through the one runner
 * (runner/run-attempt.ts) on the executor. The scheduler decides what to start; this keeps track
 * of it, stops it when its job is paused, canceled or deleted, and hears when it ends.
 */
export class WorkSlots {
  private readonly running = new Map<number, RunningUnitInfo>();
  /** Farm jobs' chunks run there, through the same runner: the farm is just another executor. */
  private readonly farms: FarmRuns;

  constructor(private readonly options: WorkSlotsOptions) {
    this.farms = new FarmRuns({ store: options.store, jobChanged: (jobId) => options.events.jobChanged(jobId), pollMs: options.farmPollMs, watchFolder: options.farmWatchFolder, sceneInfo: options.sceneInfo });
  }

  of(role: TaskRole): RunningUnitInfo[] {
    return [...this.running.values()].filter((unit) => unit.role === role);
  }

  get size(): number {
    return this.running.size;
  }

  has(taskId: number): boolean {
    return this.running.has(taskId);
  }

  startRender({ job, task }: RunnableTask, device: DeviceAssignment | null): void {
    const { store } = this.options;
    const frames = store.work.pendingFramesOf(task.id);
    if (frames.length === 0) {
      // Every frame was checkpointed before a crash interrupted the task: nothing to render again.
      store.work.finishTaskWithoutAttempt(task.id, { kind: 'succeeded' });
      this.options.events.jobChanged(job.id);
      this.options.onDone();
      return;
    }
    const adapter = getAdapter(job.dcc);
    const problem = !adapter
      ? `no adapter for DCC "${job.dcc}" in this Spool`
      : device === null
        ? 'this job needs a GPU but none was found on this machine'
        : null;
    const assigned = device ?? { kind: 'cpu', threads: 1 };
    const work = renderWork({
      store,
      job,
      task,
      frames,
      problem,
      adapter: adapter ?? unknownAdapter(job.dcc),
      // The farm finds the renderer on its own PATH when this machine has none of its own.
      executable: adapter ? (resolveExecutable(store, adapter, job.overrides) ?? (job.farm ? (adapter.executables[0] ?? adapter.id) : null)) : null,
      device: assigned,
      events: this.options.events,
    });
    this.launch(job, task.id, 'render', work);
  }

  startStep({ job, step }: RunnableStep): void {
    const task = this.options.store.work.getTask(step.id)!;
    this.launch(job, task.id, 'step', stepWork({ store: this.options.store, dataDir: this.options.dataDir, job, step }));
  }

  private launch(job: JobRecord, taskId: number, role: TaskRole, work: UnitWork): void {
    const { store } = this.options;
    const task = store.work.getTask(taskId)!;
    const attempt = runAttempt({
      store,
      dataDir: this.options.dataDir,
      job,
      task,
      executor: job.farm ? this.farms.executorFor(job) : this.options.executor,
      work,
      retryBaseMs: this.options.retryBaseMs,
      jobChanged: (jobId) => this.options.events.jobChanged(jobId),
    });
    this.running.set(taskId, { jobId: job.id, taskId, role, device: work.device, farm: Boolean(job.farm) && role === 'render', attempt });
    attempt.done
      .catch((error: unknown) => {
        this.options.onBroken(taskId, job.id, error);
        return null;
      })
      .finally(() => {
        this.running.delete(taskId);
        // A shortened chunk's other frames went back to the queue without a task: chunk them now,
        // while the job's other chunks still run (a crash before this leaves them queued, and the
        // scheduler chunks them once the job's chunks are done).
        if (attempt.stopping() === 'shorten') compileRemaining(store, store.jobs.get(job.id) ?? job);
        this.options.onDone();
      });
  }

  /**
   * Stops units whose job the user paused, canceled or deleted (from any process), and lets one
   * whose pause was taken back before its frame was saved go on.
   */
  reconcile(): void {
    for (const unit of this.running.values()) {
      const stop = stopForIntent(this.options.store.jobs.get(unit.jobId));
      // On a farm a pause holds what waits there at once and lets running elements finish: there
      // is no frame in progress here to wait for (a waiting element prints nothing).
      if (stop) unit.attempt.stop(unit.farm ? { ...stop, when: 'now' } : stop);
      else unit.attempt.withdrawStop();
    }
  }

  /**
   * Asks a render chunk to stop right after the frame in progress is saved and give its other
   * frames back as a new chunk (the same stop-after-frame as a gentle pause). False when it cannot:
   * its work does not report saved frames, or a stop is already under way.
   */
  shorten(taskId: number): boolean {
    const unit = this.running.get(taskId);
    if (!unit || unit.role !== 'render' || unit.attempt.stopping() !== null || !unit.attempt.stopsAfterFrame()) return false;
    unit.attempt.stop({ mode: 'shorten', when: 'after-frame' });
    return unit.attempt.stopping() === 'shorten';
  }

  /** Stops everything (their tasks go back to the queue) and waits until it is gone. */
  async stopAll(): Promise<void> {
    const all = [...this.running.values()];
    for (const unit of all) unit.attempt.stop({ mode: 'shutdown' });
    // Before waiting: a farm unit whose pause waits for its running element ends only there.
    this.farms.close();
    await Promise.all(all.map((unit) => unit.attempt.done.catch(() => null)));
  }
}

/** A job whose DCC this Spool has no adapter for still runs through the runner, and fails there with the reason. */
function unknownAdapter(dcc: string): Adapter {
  return {
    id: dcc,
    label: dcc,
    extensions: [],
    executables: [],
    chunkShape: 'any',
    buildCommand: () => ({ file: dcc, args: [] }),
    expectedOutput: () => null,
    createParser: () => ({ parse: () => [] }),
  };
}

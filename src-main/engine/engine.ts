import os from 'node:os';
import type { SceneInfo } from './adapters/adapter';
import { adapterForScene, allAdapters, getAdapter } from './adapters/registry';
import { resolveExecutable } from './executables';
import type { ParsedBatch } from './batch/load';
import { submitBatch } from './batch/submit-batch';
import * as commands from './commands';
import { cachedHardware, refreshDccs, refreshHardware } from './detect/workstation';
import { watchCommits, type CommitWatch } from './commit-watch';
import { localExecutor } from './executors/local';
import type { WatchFolder } from './farm/handoff-watches';
import { modifyJob } from './modify-job';
import { acquireDataDirLock } from './lock';
import { previewsDir, storeFile } from './paths';
import { PreviewService } from './preview/preview-service';
import { makePrivateDir, makeStorePrivate } from './private-files';
import type { PrepareDeps } from './prepare-job';
import { requireSceneFile } from './probe/scene-file';
import { SceneProber } from './probe/scene-prober';
import { recoverInterrupted } from './recovery';
import { storeDamage } from './store-damage';
import { DispatchLoop } from './scheduler/dispatch-loop';
import type { PlannedJob } from './batch/submit-batch';
import { planSubmission, probeScene, submitDeps, type Submission } from './queue-client';
import { Store } from './store';
import { StoreReads } from './store-reads';
import type { StreamName } from './supervisor/types';
import type { FrameActionReply, FrameState, JobIntent, JobRecord, JobSummary } from './types';
import type { FrameAction } from './lifecycle/frame-actions';
import { WatchFolders, type WatchEvent } from './watch/watch-folders';
import { WorkSlots } from './work-slots';

export interface EngineEvents {
  /** A job's status, counts or settings changed. */
  job: [JobSummary];
  /** Another process changed the queue: faces should fetch the job list again. */
  changed: [];
  /** A job left the store. */
  jobRemoved: [number];
  frame: [{ jobId: number; frame: number; state: FrameState; output: string | null; renderMs: number | null }];
  progress: [{ jobId: number; taskId: number; frame: number | null; fraction: number }];
  log: [{ jobId: number; taskId: number; attemptId: number; stream: StreamName; line: string }];
  /** Nothing runs and nothing is runnable now or later. */
  idle: [];
  /** Fresh hardware and DCC detection results are in the store. */
  detected: [];
  /** A watch folder queued a file (or refused it, with the reason). */
  watched: [WatchEvent];
  /** The engine cannot go on (a damaged store): it launches nothing more; the face should stop it. */
  fatal: [Error];
}

export interface EngineOptions {
  dataDir: string;
  /** Grace between SIGTERM and SIGKILL when stopping a child. */
  killGraceMs?: number;
  /** First retry's backoff, doubling after (default 5 s): tests of retries need not wait seconds. */
  retryBaseMs?: number;
  /** How often to look for changes other processes (the CLI) committed where file events are missing (default 2 s). */
  pollMs?: number;
  logicalCores?: number;
  /** Fixes the GPU count (tests); otherwise it comes from detection. */
  gpuCount?: number;
  /** Detect hardware and DCCs in the background after start (default true). */
  detect?: boolean;
  /** Poll the watch folders (setting `watch`) every this many ms; 0 = no watching. Default 2000. */
  watchPollMs?: number;
  /** A watched file is queued once unchanged this long. Default 1000. */
  watchStableMs?: number;
  /** How often farm jobs' farms are polled. Default 500. */
  farmPollMs?: number;
  /** How farm hand-off folders are watched between polls (tests inject a failing one). */
  farmWatchFolder?: WatchFolder;
}


/**
 * The engine: owns one data dir, schedules tasks onto devices, runs them and announces every
 * change. Every face (CLI, browser mode, Electron) drives Spool through this class.
 */
export class Engine extends StoreReads<EngineEvents> {
  readonly dataDir: string;
  private readonly lock: { release(): void };
  /** Render chunks and after-render steps running now. */
  private readonly slots: WorkSlots;
  private readonly logicalCores: number;
  private gpuCount: number;
  private readonly fixedGpuCount: boolean;
  private readonly killGraceMs: number;
  private readonly retryBaseMs: number | undefined;
  private commits: CommitWatch | null = null;
  private lastDataVersion = 0;
  private stopping = false;
  /** The scheduler's loop over the queue and the work slots. */
  private readonly loop: DispatchLoop;
  private watch: WatchFolders | null = null;
  private fatal: Error | null = null;
  /** Scene probes for the faces: a warm DCC and a cache, so the new-job form's probe is quick. */
  private readonly prober = new SceneProber();
  /** Browser-viewable previews of EXR, TIFF… frames: lowest priority, one at a time while work runs. */
  readonly previews: PreviewService;

  /** Why the engine cannot go on, if it cannot (it may have failed before a face listened for 'fatal'). */
  get failure(): Error | null {
    return this.fatal;
  }

  private constructor(options: EngineOptions, store: Store, lock: { release(): void }) {
    super(store);
    this.dataDir = options.dataDir;
    this.lock = lock;
    this.logicalCores = options.logicalCores ?? Math.max(1, os.availableParallelism());
    this.fixedGpuCount = options.gpuCount !== undefined;
    this.gpuCount = options.gpuCount ?? cachedHardware(store)?.gpus.length ?? 0;
    this.killGraceMs = options.killGraceMs ?? 5000;
    this.retryBaseMs = options.retryBaseMs;
    this.slots = new WorkSlots({
      store,
      dataDir: this.dataDir,
      executor: localExecutor({ killGraceMs: this.killGraceMs }),
      farmPollMs: options.farmPollMs,
      farmWatchFolder: options.farmWatchFolder,
      sceneInfo: (job) => this.sceneInfoOf(job),
      retryBaseMs: this.retryBaseMs,
      events: {
        jobChanged: (jobId) => this.announce(jobId),
        frame: (jobId, frame, state, output, renderMs) => this.emit('frame', { jobId, frame, state, output, renderMs }),
        progress: (jobId, taskId, frame, fraction) => this.emit('progress', { jobId, taskId, frame, fraction }),
        log: (jobId, taskId, attemptId, stream, line) => this.emit('log', { jobId, taskId, attemptId, stream, line }),
        measured: (jobId, startupMs, frameMs) => this.onMeasured(jobId, startupMs, frameMs),
      },
      onDone: () => this.pumpSoon(),
      onBroken: (taskId, jobId, error) => {
        if (this.failOnDamage(error)) return;
        process.stderr.write(`spool: task ${taskId} of job ${jobId} broke: ${String(error)}\n`);
        // The task is still queued, so the next pump would start it again at once and break the
        // same way (a store it cannot write): 100% CPU and a line per try. Wait a moment instead.
        this.loop.pauseLaunches();
      },
    });
    this.loop = new DispatchLoop({
      store,
      slots: this.slots,
      logicalCores: this.logicalCores,
      gpuCount: () => this.gpuCount,
      onIdle: () => this.emit('idle'),
      onError: (error) => {
        if (!this.failOnDamage(error)) process.stderr.write(`spool: scheduling failed: ${String(error)}\n`);
      },
    });
    this.previews = new PreviewService({ dir: previewsDir(this.dataDir), busy: () => this.slots.size > 0 });
    this.setMaxListeners(100);
  }

  /** Takes the data dir's lock, opens the store, settles what a previous engine left running. */
  static async start(options: EngineOptions): Promise<Engine> {
    makePrivateDir(options.dataDir);
    const lock = acquireDataDirLock(options.dataDir);
    let store: Store | null = null;
    let engine: Engine;
    try {
      store = Store.open(storeFile(options.dataDir));
      makeStorePrivate(options.dataDir);
      // An engine on a store it cannot write would fail every task it starts: refuse to run instead.
      store.assertWritable();
      engine = new Engine(options, store, lock);
      await recoverInterrupted(store, engine.killGraceMs);
    } catch (error) {
      store?.close();
      lock.release();
      throw storeDamage(error, storeFile(options.dataDir)) ?? error;
    }
    engine.lastDataVersion = store.dataVersion();
    engine.commits = watchCommits(options.dataDir, storeFile(options.dataDir), () => engine.poll(), options.pollMs);
    engine.pumpSoon();
    if (options.detect !== false) setImmediate(() => void engine.refreshDetection());
    if (options.watchPollMs !== 0) {
      engine.watch = new WatchFolders({
        store: engine.store,
        submitMany: (inputs, inTx) => engine.submitMany(inputs, inTx),
        submitBatch: (batch, inTx) => engine.submitBatch(batch, inTx),
        onEvent: (event) => engine.emit('watched', event),
        pollMs: options.watchPollMs,
        stableMs: options.watchStableMs,
      });
      engine.watch.start();
    }
    return engine;
  }

  /**
   * Hardware and DCC detection run behind the engine, never before it accepts jobs: the cached
   * result from the last run serves until the fresh one lands.
   */
  async refreshDetection(): Promise<void> {
    try {
      const hardware = await refreshHardware(this.store);
      if (this.stopping) return;
      if (!this.fixedGpuCount) this.gpuCount = hardware.gpus.length;
      await refreshDccs(this.store);
      this.emit('detected');
    } catch (error) {
      if (!this.stopping) process.stderr.write(`spool: detection failed: ${(error as Error).message}\n`);
    }
  }

  // ---- commands ---------------------------------------------------------------------------

  /** A farm job's scene as the warm, cached probe reads it; null when there is nothing to read. */
  private async sceneInfoOf(job: JobRecord): Promise<SceneInfo | null> {
    const adapter = getAdapter(job.dcc);
    return adapter && job.scene ? probeScene(this.store, adapter, job.scene, job.overrides, this.prober) : null;
  }

  private prepareDeps(): PrepareDeps {
    return { ...submitDeps(this.store), probe: (adapter, scene, overrides) => probeScene(this.store, adapter, scene, overrides, this.prober) };
  }

  async submit(input: unknown): Promise<JobSummary> {
    const job = await commands.submitJob(this.store, input, this.prepareDeps());
    this.afterChange(job.id);
    return job;
  }

  /** All queued in one transaction or none; `inTx` runs inside it (a watch folder records its file). */
  async submitMany(inputs: readonly unknown[], inTx?: (jobs: JobRecord[]) => void): Promise<JobSummary[]> {
    const jobs = await commands.submitJobs(this.store, inputs, this.prepareDeps(), inTx);
    for (const job of jobs) this.afterChange(job.id);
    return jobs;
  }

  /** A batch file's jobs, all queued in one transaction or none. */
  async submitBatch(batch: ParsedBatch, inTx?: (jobs: JobRecord[]) => void): Promise<JobSummary[]> {
    const jobs = await submitBatch(this.store, batch, this.prepareDeps(), inTx);
    for (const job of jobs) this.afterChange(job.id);
    return jobs;
  }

  /** Pause (`paused`), resume (`active`) or cancel (`canceled`), as the lifecycle allows. */
  setIntent(ref: string | number, intent: JobIntent): JobSummary {
    return this.act(ref, intent === 'active' ? 'resume' : intent === 'paused' ? 'pause' : 'cancel');
  }

  /**
   * Pauses a job: its running work stops right after the frame in progress is saved (at once with
   * `now`, or where the renderer does not report saved frames) and goes back to the queue.
   */
  pause(ref: string | number, options: { now?: boolean } = {}): JobSummary {
    return this.act(ref, 'pause', options);
  }

  /** Queues again every frame of the job that is not done; done frames stay done. */
  retry(ref: string | number): JobSummary {
    return this.act(ref, 'retry');
  }

  private act(ref: string | number, event: 'pause' | 'resume' | 'cancel' | 'retry', options: { now?: boolean } = {}): JobSummary {
    const job = commands.actOnJob(this.store, ref, event, options);
    this.afterChange(job.id);
    return job;
  }

  setPriority(ref: string | number, priority: number): JobSummary {
    const job = commands.setJobPriority(this.store, ref, priority);
    this.afterChange(job.id);
    return job;
  }

  /** Frame actions (frame-commands.ts): the frames' new chunk, if any, is scheduled at once. */
  frameAction(ref: string | number, action: FrameAction, frames: string, options: { preview?: boolean } = {}): FrameActionReply {
    const reply = commands.frameAction(this.store, ref, action, frames, options);
    if (reply.applied) this.afterChange(reply.jobId);
    return reply;
  }

  async duplicate(ref: string | number): Promise<JobSummary> {
    const job = await commands.duplicateJob(this.store, ref, this.prepareDeps());
    this.afterChange(job.id);
    return job;
  }

  /** New settings for a job that runs nothing; its not-done frames are chunked again. */
  async modify(ref: string | number, changes: unknown): Promise<JobSummary> {
    const job = await modifyJob(this.store, ref, changes, this.prepareDeps());
    this.afterChange(job.id);
    return job;
  }

  delete(ref: string | number): void {
    const job = commands.requireJob(this.store, ref);
    commands.deleteJob(this.store, job.id);
    this.emit('jobRemoved', job.id);
  }

  clearFinished(refs?: readonly (string | number)[]): JobSummary[] {
    const jobs = commands.clearFinished(this.store, refs);
    // Nothing to schedule: finished jobs only change where they are shown.
    for (const job of jobs) this.announce(job.id);
    return jobs;
  }

  // ---- the rest of QueueClient (queue-client.ts; reads come from StoreReads) ------------------

  plan(submission: Submission): Promise<PlannedJob[]> {
    return planSubmission(this.store, submission, this.prepareDeps());
  }

  async probeScene(scene: string, dcc?: string): Promise<SceneInfo | null> {
    requireSceneFile(scene);
    const adapter = dcc ? getAdapter(dcc) : adapterForScene(scene);
    if (!adapter) return null;
    return probeScene(this.store, adapter, scene, {}, this.prober);
  }

  /** Readies the scene prober of `dcc` (default: the first DCC with a warm prober that is installed); returns at once. */
  warmProbe(dcc?: string): void {
    const candidates = dcc ? [getAdapter(dcc)] : allAdapters().filter((a) => a.warmProbe);
    for (const adapter of candidates) {
      const exe = adapter?.warmProbe ? resolveExecutable(this.store, adapter, {}) : null;
      if (adapter && exe) return this.prober.warmUp(adapter, exe);
    }
  }

  /** Resolves once nothing runs and nothing is left to run (paused jobs wait for the user). */
  /** Rejects when the engine cannot go on: a waiter must not wait for an idle that never comes. */
  untilIdle(): Promise<void> {
    if (this.fatal) return Promise.reject(this.fatal);
    if (this.loop.isIdle()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const settle = (error?: Error): void => {
        this.off('idle', settle).off('fatal', settle);
        if (error) reject(error);
        else resolve();
      };
      this.on('idle', settle).on('fatal', settle);
    });
  }

  /** A damaged store fails the same way on every try (it looped "task 1 of job 1 broke"): launches stop, faces are told once. */
  private failOnDamage(error: unknown): boolean {
    const damage = storeDamage(error, storeFile(this.dataDir));
    if (!damage) return false;
    if (this.fatal) return true;
    this.fatal = damage;
    this.loop.stop();
    this.emit('fatal', damage);
    return true;
  }

  /** Stops scheduling, stops running children (their tasks go back to the queue), frees the lock. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.commits?.close();
    this.prober.stop();
    this.loop.stop();
    await this.watch?.stop();
    await Promise.all([this.slots.stopAll(), this.previews.stop()]);
    this.store.close();
    this.lock.release();
  }

  // ---- scheduling -------------------------------------------------------------------------

  private afterChange(jobId: number): void {
    this.announce(jobId);
    this.reconcile();
    this.pumpSoon();
  }

  private announce(jobId: number): void {
    // A summary counts every task and frame of the job; `submit --wait` has no face listening.
    if (this.listenerCount('job') === 0 && this.listenerCount('jobRemoved') === 0) return;
    const job = this.store.jobs.get(jobId);
    if (job) this.emit('job', this.store.summaries.summarize(job));
    else this.emit('jobRemoved', jobId);
    // Jobs waiting for this one may have been blocked or unblocked with it.
    if (job) for (const dependent of this.store.jobs.dependentsOf(jobId)) this.announce(dependent);
  }

  /** Picks up what other processes committed: new jobs, cancels, pauses. */
  private poll(): void {
    if (this.stopping || this.fatal) return;
    try {
      const version = this.store.dataVersion();
      if (version === this.lastDataVersion) return;
      this.lastDataVersion = version;
      this.reconcile();
    } catch (error) {
      if (this.failOnDamage(error)) return;
      throw error;
    }
    this.emit('changed');
    this.pumpSoon();
  }

  /** Stops work whose job the user paused, canceled or deleted (from any process). */
  private reconcile(): void {
    this.slots.reconcile();
  }

  private pumpSoon(): void {
    if (!this.stopping) this.loop.pumpSoon();
  }

  private onMeasured(jobId: number, startupMs: number, frameMs: number): void {
    const job = this.store.jobs.get(jobId);
    const key = job ? commands.sceneKey(job) : null;
    if (!job || !key) return;
    this.store.sceneStats.save(key, startupMs, frameMs);
    if (commands.compileRemaining(this.store, job) > 0) this.pumpSoon();
  }
}

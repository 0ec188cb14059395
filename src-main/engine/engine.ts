import { EventEmitter } from 'node:events';
import { mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import type { Adapter, SceneInfo } from './adapters/adapter';
import { adapterForScene, getAdapter } from './adapters/registry';
import * as commands from './commands';
import { cachedHardware, refreshDccs, refreshHardware } from './detect/workstation';
import { resolveExecutable } from './executables';
import { isCompleteImage } from './image-check';
import { acquireDataDirLock } from './lock';
import { storeFile } from './paths';
import type { PrepareDeps } from './prepare-job';
import { runTask, type RunningTask, type StopMode } from './run-task';
import { StepSlots } from './steps/step-slots';
import type { ParsedBatch } from './batch/load';
import { submitBatch } from './batch/submit-batch';
import { WatchFolders, type WatchEvent } from './watch/watch-folders';
import type { PlannedJob } from './batch/submit-batch';
import type { DccInstall } from './detect/dcc-discovery';
import type { HardwareInfo } from './detect/hardware';
import { detectedDccs, detectedHardware, planSubmission, reportOf, type Submission } from './queue-client';
import type { ReportFormat } from './report';
import { readSetting, writeSetting, type SettingInput, type SettingKey, type SettingValue, type WatchFolder } from './settings';
import { readWatchFolders, removeWatchFolder, saveWatchFolder } from './watch/watch-folders';
import type { JobSummary, RunnableTask } from './store';
import { Store } from './store';
import { isOwnProcess, killProcessGroup, isProcessGroupAlive } from './supervisor/process-identity';
import type { StreamName } from './supervisor/types';
import type { DeviceAssignment, FrameState, JobIntent, JobOverrides, JobRecord } from './types';

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
}

export interface EngineOptions {
  dataDir: string;
  /** Grace between SIGTERM and SIGKILL when stopping a child. */
  killGraceMs?: number;
  /** First retry's backoff, doubling after (default 5 s): tests of retries need not wait seconds. */
  retryBaseMs?: number;
  /** How often to look for changes other processes (the CLI) committed. */
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
}

const BROKEN_TASK_PAUSE_MS = 1000;

interface Slot {
  jobId: number;
  taskId: number;
  device: DeviceAssignment;
  running: RunningTask;
}

/**
 * The engine: owns one data dir, schedules tasks onto devices, runs them and announces every
 * change. Every face (CLI, browser mode, Electron) drives Spool through this class.
 */
export class Engine extends EventEmitter<EngineEvents> {
  readonly store: Store;
  readonly dataDir: string;
  private readonly lock: { release(): void };
  private readonly slots = new Map<number, Slot>();
  private readonly logicalCores: number;
  private gpuCount: number;
  private readonly fixedGpuCount: boolean;
  private readonly killGraceMs: number;
  private readonly retryBaseMs: number | undefined;
  private pollTimer: NodeJS.Timeout | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;
  private lastDataVersion = 0;
  private stopping = false;
  private pumping = false;
  private pumpAgain = false;
  /** No task starts before this time: set when one broke, so the same failure cannot spin. */
  private launchesPausedUntil = 0;
  /** After-render steps (preview, copy, command), run once a job's frames are all done. */
  private readonly steps: StepSlots;
  private watch: WatchFolders | null = null;

  private constructor(options: EngineOptions, store: Store, lock: { release(): void }) {
    super();
    this.dataDir = options.dataDir;
    this.store = store;
    this.lock = lock;
    this.logicalCores = options.logicalCores ?? Math.max(1, os.availableParallelism());
    this.fixedGpuCount = options.gpuCount !== undefined;
    this.gpuCount = options.gpuCount ?? cachedHardware(store)?.gpus.length ?? 0;
    this.killGraceMs = options.killGraceMs ?? 5000;
    this.retryBaseMs = options.retryBaseMs;
    this.steps = new StepSlots({
      store,
      dataDir: this.dataDir,
      max: 2,
      killGraceMs: this.killGraceMs,
      retryBaseMs: this.retryBaseMs,
      events: { jobChanged: (jobId) => this.announce(jobId) },
      onDone: () => this.pumpSoon(),
    });
    this.setMaxListeners(100);
  }

  /** Takes the data dir's lock, opens the store, settles what a previous engine left running. */
  static async start(options: EngineOptions): Promise<Engine> {
    mkdirSync(options.dataDir, { recursive: true });
    const lock = acquireDataDirLock(options.dataDir);
    let store: Store | null = null;
    let engine: Engine;
    try {
      store = Store.open(storeFile(options.dataDir));
      // An engine on a store it cannot write would fail every task it starts: refuse to run instead.
      store.assertWritable();
      engine = new Engine(options, store, lock);
      await engine.recover();
    } catch (error) {
      store?.close();
      lock.release();
      throw error;
    }
    engine.lastDataVersion = store.dataVersion();
    engine.pollTimer = setInterval(() => engine.poll(), options.pollMs ?? 200);
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

  private prepareDeps(): PrepareDeps {
    return {
      probe: (adapter, scene, overrides) => this.probeWith(adapter, scene, overrides),
      defaults: this.store.getSetting('defaults') ?? undefined,
    };
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

  listJobs(): JobSummary[] {
    return this.store.listJobs();
  }

  jobDetail(ref: string | number): commands.JobDetail {
    return commands.jobDetail(this.store, ref);
  }

  setIntent(ref: string | number, intent: JobIntent): JobSummary {
    const job = commands.setJobIntent(this.store, ref, intent);
    this.afterChange(job.id);
    return job;
  }

  retry(ref: string | number): JobSummary {
    const job = commands.retryJob(this.store, ref);
    this.afterChange(job.id);
    return job;
  }

  setPriority(ref: string | number, priority: number): JobSummary {
    const job = commands.setJobPriority(this.store, ref, priority);
    this.afterChange(job.id);
    return job;
  }

  async duplicate(ref: string | number): Promise<JobSummary> {
    const job = await commands.duplicateJob(this.store, ref, this.prepareDeps());
    this.afterChange(job.id);
    return job;
  }

  delete(ref: string | number): void {
    const job = commands.requireJob(this.store, ref);
    commands.deleteJob(this.store, job.id);
    this.emit('jobRemoved', job.id);
  }

  readLog(ref: string | number, options: { frame?: number; attemptId?: number } = {}) {
    return commands.readJobLog(this.store, ref, options);
  }

  // ---- the rest of QueueClient (queue-client.ts): faces reach the store only through these --

  job(ref: string | number): JobSummary {
    return this.store.summarize(commands.requireJob(this.store, ref));
  }

  plan(submission: Submission): Promise<PlannedJob[]> {
    return planSubmission(this.store, submission, this.prepareDeps());
  }

  report(format: ReportFormat, options: { ids?: number[]; since?: number | null } = {}): { text: string; mime: string } {
    return reportOf(this.store, format, options);
  }

  hardware(refresh: boolean): Promise<HardwareInfo> {
    return detectedHardware(this.store, refresh);
  }

  dccs(refresh: boolean): Promise<DccInstall[]> {
    return detectedDccs(this.store, refresh);
  }

  watchFolders(): WatchFolder[] {
    return readWatchFolders(this.store);
  }

  watchFolder(dir: string, defaults: unknown): WatchFolder {
    return saveWatchFolder(this.store, dir, defaults);
  }

  unwatchFolder(dir: string): boolean {
    return removeWatchFolder(this.store, dir);
  }

  readSetting<K extends SettingKey>(key: K): SettingValue<K> {
    return readSetting(this.store, key);
  }

  writeSetting<K extends SettingKey>(key: K, value: SettingInput<K>): SettingValue<K> {
    return writeSetting(this.store, key, value);
  }

  /** The file a done frame was saved to, as the store recorded it (thumbnails), or null. */
  frameOutput(jobId: number, frame: number): string | null {
    const record = this.store.framesOf(jobId).find((f) => f.frame === frame);
    return record?.state === 'done' ? record.output : null;
  }

  async probeScene(scene: string, dcc?: string): Promise<SceneInfo | null> {
    const adapter = dcc ? getAdapter(dcc) : adapterForScene(scene);
    if (!adapter) return null;
    return this.probeWith(adapter, scene, {});
  }

  private async probeWith(adapter: Adapter, scene: string, overrides: JobOverrides): Promise<SceneInfo | null> {
    if (!adapter.probeScene) return null;
    const exe = resolveExecutable(this.store, adapter, overrides);
    return exe ? adapter.probeScene(scene, exe) : null;
  }

  /** Resolves once nothing runs and nothing is left to run (paused jobs wait for the user). */
  untilIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.once('idle', () => resolve()));
  }

  /** Stops scheduling, stops running children (their tasks go back to the queue), frees the lock. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    await this.watch?.stop();
    const running = [...this.slots.values()];
    for (const slot of running) slot.running.stop('shutdown');
    await Promise.all([...running.map((slot) => slot.running.done.catch(() => null)), this.steps.stopAll()]);
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
    const job = this.store.getJob(jobId);
    if (job) this.emit('job', this.store.summarize(job));
    else this.emit('jobRemoved', jobId);
    // Jobs waiting for this one may have been blocked or unblocked with it.
    if (job) for (const dependent of this.store.dependentsOf(jobId)) this.announce(dependent);
  }

  /** Picks up what other processes committed: new jobs, cancels, pauses. */
  private poll(): void {
    if (this.stopping) return;
    const version = this.store.dataVersion();
    if (version === this.lastDataVersion) return;
    this.lastDataVersion = version;
    this.reconcile();
    this.emit('changed');
    this.pumpSoon();
  }

  /** Stops children whose job the user paused, canceled or deleted (from any process). */
  private reconcile(): void {
    for (const slot of this.slots.values()) {
      const job = this.store.getJob(slot.jobId);
      const mode: StopMode | null = !job || job.intent === 'canceled' ? 'cancel' : job.intent === 'paused' ? 'pause' : null;
      if (mode) slot.running.stop(mode);
    }
    this.steps.reconcile();
  }

  private pumpSoon(): void {
    if (this.stopping) return;
    queueMicrotask(() => this.pump());
  }

  private pump(): void {
    if (this.stopping) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        this.compileWaitingJobs();
        this.startRunnable();
        this.steps.start();
      } while (this.pumpAgain);
    } finally {
      this.pumping = false;
    }
    this.scheduleWakeUp();
    if (this.isIdle()) this.emit('idle');
  }

  /** Jobs whose automatic chunks are all done but frames remain unassigned get their next chunks. */
  private compileWaitingJobs(): void {
    for (const jobId of this.store.jobsAwaitingChunks()) {
      const busy = this.store.tasksOf(jobId).some((t) => t.state === 'queued' || t.state === 'waiting' || t.state === 'running');
      if (!busy) commands.compileRemaining(this.store, this.store.getJob(jobId)!);
    }
  }

  private startRunnable(): void {
    if (Date.now() < this.launchesPausedUntil) return;
    const candidates = this.store.runnableTasks(Date.now(), 64, (job) => this.mostAtOnce(job));
    const skipped = new Set<number>();
    for (const candidate of candidates) {
      if (skipped.has(candidate.job.id)) continue;
      const device = this.assignDevice(candidate.job);
      if (device === 'busy') {
        skipped.add(candidate.job.id);
        continue;
      }
      this.launch(candidate, device);
    }
  }

  /** The most tasks of this job that can run at once: assignDevice never gives it more. */
  private mostAtOnce(job: JobRecord): number {
    if (job.device.kind === 'cpu') return job.slots ?? 1;
    return job.device.kind === 'gpu' ? 1 : Math.max(1, this.gpuCount);
  }

  /**
   * Concurrency follows devices: a GPU runs one render at a time; the CPU runs as many as the job
   * allows (its slots, default one), each given its share of the cores so they don't oversubscribe.
   */
  private assignDevice(job: JobRecord): DeviceAssignment | 'busy' | null {
    const running = [...this.slots.values()];
    if (job.device.kind === 'cpu') {
      const slots = job.slots ?? 1;
      const ofJob = running.filter((s) => s.jobId === job.id).length;
      const onCpu = running.filter((s) => s.device.kind === 'cpu').length;
      if (ofJob >= slots || onCpu >= slots) return 'busy';
      const threads = job.overrides.threads ?? Math.max(1, Math.floor(this.logicalCores / slots));
      return { kind: 'cpu', threads };
    }
    if (this.gpuCount === 0) return null;
    const busy = new Set(running.flatMap((s) => (s.device.kind === 'gpu' ? [s.device.index] : [])));
    const wanted = job.device.kind === 'gpu' ? [job.device.index] : [...Array(this.gpuCount).keys()];
    const free = wanted.find((i) => i < this.gpuCount && !busy.has(i));
    return free === undefined ? (wanted.some((i) => i < this.gpuCount) ? 'busy' : null) : { kind: 'gpu', index: free };
  }

  private launch({ job, task }: RunnableTask, device: DeviceAssignment | null): void {
    const adapter = getAdapter(job.dcc);
    const executable = adapter ? resolveExecutable(this.store, adapter, job.overrides) : null;
    const problem = !adapter
      ? `no adapter for DCC "${job.dcc}" in this Spool`
      : device === null
        ? 'this job needs a GPU but none was found on this machine'
        : null;
    const running = runTask({
      problem,
      store: this.store,
      dataDir: this.dataDir,
      job,
      task,
      adapter: adapter ?? unknownAdapter(job.dcc),
      executable: adapter ? executable : null,
      device: device ?? { kind: 'cpu', threads: 1 },
      killGraceMs: this.killGraceMs,
      retryBaseMs: this.retryBaseMs,
      events: {
        jobChanged: (jobId) => this.announce(jobId),
        frame: (jobId, frame, state, output, renderMs) => this.emit('frame', { jobId, frame, state, output, renderMs }),
        progress: (jobId, taskId, frame, fraction) => this.emit('progress', { jobId, taskId, frame, fraction }),
        log: (jobId, taskId, attemptId, stream, line) => this.emit('log', { jobId, taskId, attemptId, stream, line }),
        measured: (jobId, startupMs, frameMs) => this.onMeasured(jobId, startupMs, frameMs),
      },
    });
    this.slots.set(task.id, { jobId: job.id, taskId: task.id, device: device ?? { kind: 'cpu', threads: 1 }, running });
    running.done
      .catch((error: unknown) => {
        process.stderr.write(`spool: task ${task.id} of job ${job.id} broke: ${String(error)}\n`);
        // The task is still queued, so the next pump would start it again at once and break the
        // same way (a store it cannot write): 100% CPU and a line per try. Wait a moment instead.
        this.launchesPausedUntil = Date.now() + BROKEN_TASK_PAUSE_MS;
        return null;
      })
      .finally(() => {
        this.slots.delete(task.id);
        this.pumpSoon();
      });
  }

  private onMeasured(jobId: number, startupMs: number, frameMs: number): void {
    const job = this.store.getJob(jobId);
    const key = job ? commands.sceneKey(job) : null;
    if (!job || !key) return;
    this.store.saveSceneStats(key, startupMs, frameMs);
    if (commands.compileRemaining(this.store, job) > 0) this.pumpSoon();
  }

  private scheduleWakeUp(): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    const waiting = this.store.nextWakeUp();
    const paused = this.launchesPausedUntil > Date.now() ? this.launchesPausedUntil : null;
    const next = waiting === null ? paused : paused === null ? waiting : Math.min(waiting, paused);
    if (next === null) return;
    this.wakeTimer = setTimeout(() => this.pumpSoon(), Math.max(0, next - Date.now()) + 5);
  }

  private isIdle(): boolean {
    if (this.slots.size > 0) return false;
    if (this.steps.hasWork()) return false;
    if (this.store.nextWakeUp() !== null) return false;
    if (this.store.runnableTasks(Number.MAX_SAFE_INTEGER, 1).length > 0) return false;
    return this.store.jobsAwaitingChunks().length === 0;
  }

  // ---- crash recovery ---------------------------------------------------------------------

  /**
   * Children of a dead engine may still run (they lead their own process groups). Only those
   * proven ours by pid and start time are killed; then their tasks go back to the queue.
   */
  private async recover(): Promise<void> {
    const open = this.store.openAttempts();
    const openSteps = this.store.openSteps();
    const ours = [...open, ...openSteps].filter((a) => a.pid !== null && isOwnProcess(a.pid, a.pidStart));
    for (const attempt of ours) killProcessGroup(attempt.pid!, 'SIGTERM');
    const deadline = Date.now() + this.killGraceMs;
    while (ours.some((a) => isProcessGroupAlive(a.pid!)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const attempt of ours) if (isProcessGroupAlive(attempt.pid!)) killProcessGroup(attempt.pid!, 'SIGKILL');
    for (const attempt of open) this.adoptFinishedFrames(attempt.attemptId, attempt.jobId, attempt.taskId);
    if (open.length > 0 || openSteps.length > 0) this.store.recoverInterrupted('interrupted: the engine stopped while this ran; requeued');
  }

  /**
   * A render keeps going for a moment after its engine dies and may finish frames nobody recorded.
   * Those whose expected file this attempt wrote completely are checkpointed rather than rendered
   * again; anything unprovable (unknown format, no expected path, older file) is rendered again.
   */
  private adoptFinishedFrames(attemptId: number, jobId: number, taskId: number): void {
    const job = this.store.getJob(jobId);
    const attempt = this.store.getAttempt(attemptId);
    const adapter = job ? getAdapter(job.dcc) : null;
    if (!job || !attempt || !adapter) return;
    const frames = this.store.pendingFramesOf(taskId);
    const chunk = { scene: job.scene, frames, output: job.output, device: attempt.device, overrides: job.overrides, sequence: this.store.frameBounds(jobId) };
    for (const frame of frames) {
      const file = adapter.expectedOutput(chunk, frame);
      if (!file || !isCompleteImage(file)) continue;
      let mtime = 0;
      try {
        mtime = statSync(file).mtimeMs;
      } catch {
        continue;
      }
      if (mtime < attempt.startedAt - 1000) continue;
      this.store.markFrameDone(jobId, frame, file, null, attemptId);
    }
  }
}

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

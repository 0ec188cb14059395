import { accessSync, constants, existsSync } from 'node:fs';
import type { Adapter, SceneInfo } from './adapters/adapter';
import type { ParsedBatch } from './batch/load';
import { planOf, prepareBatch, submitBatch, type PlannedJob } from './batch/submit-batch';
import * as commands from './commands';
import type { DccInstall } from './detect/dcc-discovery';
import type { HardwareInfo } from './detect/hardware';
import { InputError } from './errors';
import type { FarmProfile } from './farm/profile';
import { findFarm, type FarmListing, type FarmTestResult } from './farm/profiles';
import { resolveExecutable } from './executables';
import type { SceneProber } from './probe/scene-prober';
import { requireSceneFile } from './probe/scene-file';
import type { SubmitInput } from './job-input';
import { storeFile } from './paths';
import { makePrivateDir, makeStorePrivate } from './private-files';
import { modifyJob } from './modify-job';
import type { LogReadOptions } from './logs/job-log';
import { refuseIfWalLost } from './wal-check';
import type { PrepareDeps } from './prepare-job';
import { type ReportFormat } from './report';
import { readSetting, type SettingsAccess, type WatchAllow, type WatchFolder } from './settings';
import { Store, StoreError } from './store';
import { StoreReads } from './store-reads';
import type { FrameAction } from './lifecycle/frame-actions';
import type { FrameActionReply, FrameRecord, JobIntent, JobOverrides, JobSummary } from './types';

/** Scenes typed on a command line, or one batch file: prepared the same way, queued the same way. */
export type Submission = { kind: 'scenes'; inputs: SubmitInput[] } | { kind: 'batch'; batch: ParsedBatch };

/**
 * What every face may do to the queue: the one way in. The in-process Engine implements it (and
 * schedules after each change); StoreQueue implements it over the store when another process's
 * engine owns the data dir, which notices each commit (PRAGMA data_version) and acts on it.
 */
export interface QueueClient extends SettingsAccess {
  submit(input: unknown): Promise<JobSummary>;
  /** All queued in one transaction or none. */
  submitMany(inputs: readonly unknown[]): Promise<JobSummary[]>;
  submitBatch(batch: ParsedBatch): Promise<JobSummary[]>;
  /** What a submission would queue, checked like a real one; nothing is stored (`--dry-run`). */
  plan(submission: Submission): Promise<PlannedJob[]>;
  listJobs(): JobSummary[];
  job(ref: string | number): JobSummary;
  /** `frames: false`: without its frames (`framesOmitted`), for views that follow frame events. */
  jobDetail(ref: string | number, options?: { frames?: boolean; framesSince?: number }): commands.JobDetail;
  framesOf(ref: string | number): FrameRecord[];
  setIntent(ref: string | number, intent: JobIntent): JobSummary;
  /** After the frame in progress (the default), or at once with `now`. */
  pause(ref: string | number, options?: { now?: boolean }): JobSummary;
  retry(ref: string | number): JobSummary;
  setPriority(ref: string | number, priority: number): JobSummary;
  /** Requeue, suspend, resume or mark complete a frame set of a job; `preview` writes nothing. */
  frameAction(ref: string | number, action: FrameAction, frames: string, options?: { preview?: boolean }): FrameActionReply;
  duplicate(ref: string | number): Promise<JobSummary>;
  /** New settings for a queued, blocked or paused job, checked as a new job is (modify-job.ts). */
  modify(ref: string | number, changes: unknown): Promise<JobSummary>;
  delete(ref: string | number): void;
  /** Finished jobs (these, or all) move from the queue to History; nothing is deleted. The jobs it moved. */
  clearFinished(refs?: readonly (string | number)[]): JobSummary[];
  readLog(ref: string | number, options?: LogReadOptions): ReturnType<typeof commands.readJobLog>;
  logAttempts(ref: string | number, options?: Pick<LogReadOptions, 'frame' | 'attemptId'>): ReturnType<typeof commands.jobLogAttempts>;
  report(format: ReportFormat, options?: { ids?: number[]; since?: number | null }): { text: string; mime: string };
  /** The last detection's result, or a fresh probe when there is none or `refresh` asks for one. */
  hardware(refresh: boolean): Promise<HardwareInfo>;
  dccs(refresh: boolean): Promise<DccInstall[]>;
  watchFolders(): WatchFolder[];
  /** Adds a watch folder (or replaces its defaults), validated as a batch file's `defaults`; `allow`: what dropped files may bring. */
  watchFolder(dir: string, defaults: unknown, allow?: WatchAllow): WatchFolder;
  /** False when the folder was not watched. */
  unwatchFolder(dir: string): boolean;
  farms(): FarmProfile[];
  farm(name: string): FarmProfile;
  farmListing(): FarmListing[];
  saveFarm(input: unknown): FarmProfile;
  testFarm(name: string): Promise<FarmTestResult>;
  /** Refused while a job still to finish renders there. */
  removeFarm(name: string): void;
}

/** The queue through the store, for a process that does not run the engine (the CLI beside one). */
export class StoreQueue extends StoreReads implements QueueClient {
  constructor(
    store: Store,
    /** Overrides of how submissions are checked (the CLI's `cwd`, tests). */
    private readonly extraDeps: PrepareDeps = {},
  ) {
    super(store);
  }

  /**
   * In a data dir Spool may not write (a read-only mount), reading works and writes are refused.
   * Refused while the running engine's WAL is gone (wal-check.ts).
   */
  static open(dataDir: string, deps: PrepareDeps = {}): StoreQueue {
    const file = storeFile(dataDir);
    refuseIfWalLost(dataDir);
    try {
      makePrivateDir(dataDir);
      const store = Store.open(file);
      makeStorePrivate(dataDir);
      return new StoreQueue(store, deps);
    } catch (error) {
      const unwritable = error instanceof StoreError && (error.code === 'read-only' || error.code === 'cannot-open');
      if (!unwritable || !existsSync(file) || writable(dataDir)) throw error;
      return new StoreQueue(Store.openReadOnlyCopy(file), deps);
    }
  }

  close(): void {
    this.store.close();
  }

  private deps(): PrepareDeps {
    return { ...submitDeps(this.store), ...this.extraDeps };
  }

  async submit(input: unknown): Promise<JobSummary> {
    return commands.submitJob(this.store, input, this.deps());
  }

  submitMany(inputs: readonly unknown[]): Promise<JobSummary[]> {
    return commands.submitJobs(this.store, inputs, this.deps());
  }

  submitBatch(batch: ParsedBatch): Promise<JobSummary[]> {
    return submitBatch(this.store, batch, this.deps());
  }

  plan(submission: Submission): Promise<PlannedJob[]> {
    return planSubmission(this.store, submission, this.deps());
  }

  setIntent(ref: string | number, intent: JobIntent): JobSummary {
    return commands.actOnJob(this.store, ref, intent === 'active' ? 'resume' : intent === 'paused' ? 'pause' : 'cancel');
  }

  pause(ref: string | number, options: { now?: boolean } = {}): JobSummary {
    return commands.actOnJob(this.store, ref, 'pause', options);
  }

  retry(ref: string | number): JobSummary {
    return commands.actOnJob(this.store, ref, 'retry');
  }

  setPriority(ref: string | number, priority: number): JobSummary {
    return commands.setJobPriority(this.store, ref, priority);
  }

  frameAction(ref: string | number, action: FrameAction, frames: string, options: { preview?: boolean } = {}): FrameActionReply {
    return commands.frameAction(this.store, ref, action, frames, options);
  }

  duplicate(ref: string | number): Promise<JobSummary> {
    return commands.duplicateJob(this.store, ref, this.deps());
  }

  modify(ref: string | number, changes: unknown): Promise<JobSummary> {
    return modifyJob(this.store, ref, changes, this.deps());
  }

  delete(ref: string | number): void {
    commands.deleteJob(this.store, ref);
  }

  clearFinished(refs?: readonly (string | number)[]): JobSummary[] {
    return commands.clearFinished(this.store, refs);
  }

}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/*
 * What the Engine and StoreQueue share beyond commands.ts: the same checks and the same answers,
 * whichever of them a face holds.
 */

/** How a submission is checked: Settings' job defaults, and frame ranges read from the scene. */
export function submitDeps(store: Store): PrepareDeps {
  return {
    defaults: readSetting(store, 'defaults'),
    probe: (adapter, scene, overrides) => probeScene(store, adapter, scene, overrides),
    farm: (name) => findFarm(store, name),
  };
}

/**
 * What the scene says; a DCC Spool cannot read scenes of, or one not installed, answers with a
 * note saying so. `prober` (the engine's) keeps a warm DCC and a cache; without it, a cold read.
 */
export async function probeScene(store: Store, adapter: Adapter, scene: string, overrides: JobOverrides, prober?: SceneProber): Promise<SceneInfo> {
  if (!adapter.probeScene) {
    requireSceneFile(scene);
    return { note: `Spool cannot read ${adapter.label} scenes: give the frames to render.` };
  }
  const exe = resolveExecutable(store, adapter, overrides);
  if (!exe) {
    requireSceneFile(scene);
    return { note: `${adapter.label} was not found on this machine (see Devices), so the scene was not read.` };
  }
  return prober ? prober.probe(adapter, scene, exe) : adapter.probeScene(scene, exe);
}

export async function planSubmission(store: Store, submission: Submission, deps: PrepareDeps): Promise<PlannedJob[]> {
  const dryRun = { ...deps, dryRun: true };
  if (submission.kind === 'batch') return planOf(await prepareBatch(store, submission.batch, dryRun), store);
  // One scene: errors name the field alone (`frames: …`); several: `jobs[2]: frames: …`.
  const single = submission.inputs.length === 1 ? (_i: number, field: string, message: string) => new InputError(field, message) : undefined;
  return planOf(await commands.prepareJobs(store, submission.inputs, dryRun, single), store);
}


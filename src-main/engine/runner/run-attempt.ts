import path from 'node:path';
import { decideOutcome, stopMessage, type NotReached, type StopMode, type StopRequest, type TaskOutcome, type Verdict } from '../lifecycle/outcome';
import { logsDir } from '../paths';
import type { FrameDone, Store } from '../store';
import type { AttemptRecord, DeviceAssignment, JobRecord, JobStatus, TaskRecord } from '../types';
import type { Executor, RunningUnit, UnitCommand, UnitExit } from '../executors/executor';

/** One log per attempt, named after its task (render chunk or step) and the attempt's id. */
export function attemptLogPath(dataDir: string, jobId: number, task: Pick<TaskRecord, 'role' | 'index'>, attemptId: number): string {
  return path.join(logsDir(dataDir), `job-${jobId}`, `${task.role === 'step' ? 'step' : 'task'}-${task.index}-attempt-${attemptId}.log`);
}

/** What an attempt's work gets: its record, the executor (with stop and pid records wired in), the stop state. */
export interface AttemptContext {
  attempt: AttemptRecord;
  /** Starts a command through the executor; a stop asked for before or while it runs reaches it. */
  run(command: UnitCommand, onLine?: (line: string, stream: 'stdout' | 'stderr') => void): Promise<UnitExit>;
  /** Records the command that runs, once known. */
  recordArgv(argv: readonly string[]): void;
  stopMode(): StopMode | null;
  /** The work saved a frame (checkpointed): a stop waiting for the frame in progress takes the child down now. */
  frameSaved(): void;
}

/** How the work of one attempt ended, for the lifecycle to judge. */
export interface WorkResult {
  verdict: Verdict;
  exit?: Pick<UnitExit, 'exitCode' | 'signal'> | null;
  /** Frames found done only once the child had exited: written with the attempt's end. */
  framesDone?: readonly FrameDone[];
  /** Files a step made. */
  outputs?: readonly string[];
  /** A failed render's frames it never started (see lifecycle's planOutcome). */
  notReached?: NotReached;
}

/** The part that differs between a render chunk and an after-render step. */
export interface UnitWork {
  device: DeviceAssignment;
  /** The retry budget: the task's failures so far against the job's (or step's) retries. */
  retries: number;
  perform(ctx: AttemptContext): Promise<WorkResult>;
  /**
   * Whether a stop can wait for the frame in progress: the work calls `frameSaved` after each
   * frame it saves. Asked when the stop comes; work that cannot (no per-frame saves) stops at once.
   */
  stopsAfterFrame?(): boolean;
  /** After the outcome is stored: tell the faces what changed. */
  announce?(outcome: TaskOutcome, result: WorkResult): void;
}

export interface RunAttemptInput {
  store: Store;
  dataDir: string;
  job: JobRecord;
  task: TaskRecord;
  executor: Executor;
  work: UnitWork;
  retryBaseMs?: number;
  jobChanged(jobId: number): void;
}

export interface RunningAttempt {
  done: Promise<JobStatus | null>;
  /**
   * Stops the work, at once or (`when: 'after-frame'`) right after the frame in progress is saved.
   * Asking again is harmless; `now` hurries a stop that waits, and a waiting stop may be replaced
   * by another request until it has taken effect.
   */
  stop(request: StopRequest): void;
  /** Takes back a stop still waiting for its frame (the job was resumed); one that took effect stays. */
  withdrawStop(): void;
  /** Whether a stop can wait for the frame in progress (the work reports per-frame saves). */
  stopsAfterFrame(): boolean;
  /** The stop asked for, if any (taken effect or still waiting for its frame). */
  stopping(): StopMode | null;
}

/**
 * The one runner for every unit of work: it opens an attempt, lets the work run (building its
 * command inside the attempt, so a throw there is the attempt's failure), asks the lifecycle
 * what the result means, and stores that with the attempt's end in one transaction.
 */
export function runAttempt(input: RunAttemptInput): RunningAttempt {
  let stopMode: StopMode | null = null;
  /** A stop that takes the child down once its frame in progress is saved. */
  let waiting = false;
  const units = new Set<RunningUnit>();
  const stopUnits = (): void => {
    waiting = false;
    for (const unit of units) unit.stop(stopMessage(stopMode!), stopMode!);
  };
  const done = execute(input, {
    // A shortening that never reached the child (it ended on its own, or failed first) changes nothing.
    stopMode: () => (stopMode === 'shorten' && waiting ? null : stopMode),
    frameSaved: () => {
      if (waiting) stopUnits();
    },
    track: (unit) => {
      units.add(unit);
      if (stopMode && !waiting) unit.stop(stopMessage(stopMode), stopMode);
      void unit.exit.then(() => units.delete(unit));
    },
  });
  return {
    done,
    stop({ mode, when = 'now' }) {
      if (stopMode !== null && !waiting) return;
      // Shortening only ever waits for a saved frame, and never replaces a user's stop.
      if (mode === 'shorten' && (stopMode !== null || when !== 'after-frame' || !input.work.stopsAfterFrame?.())) return;
      stopMode = mode;
      if (when === 'after-frame' && input.work.stopsAfterFrame?.()) waiting = true;
      else stopUnits();
    },
    withdrawStop() {
      // A shortening is the scheduler's, not a pause the user took back.
      if (!waiting || stopMode === 'shorten') return;
      waiting = false;
      stopMode = null;
    },
    stopsAfterFrame: () => input.work.stopsAfterFrame?.() ?? false,
    stopping: () => stopMode,
  };
}

interface Control {
  stopMode(): StopMode | null;
  frameSaved(): void;
  track(unit: RunningUnit): void;
}

async function execute(input: RunAttemptInput, control: Control): Promise<JobStatus | null> {
  const { store, job, task, work } = input;
  const attempt = store.work.startAttempt(task.id, [], work.device, (id) => attemptLogPath(input.dataDir, job.id, task, id));
  input.jobChanged(job.id);
  const ctx: AttemptContext = {
    attempt,
    stopMode: control.stopMode,
    frameSaved: control.frameSaved,
    recordArgv: (argv) => store.work.recordArgv(attempt.id, argv),
    run: (command, onLine) => {
      const unit = input.executor.start({ ...command, unit: { jobId: job.id, taskId: task.id, attemptId: attempt.id } }, {
        started: (handle) => (handle.kind === 'local' ? store.work.recordSpawn(attempt.id, handle.pid, handle.pidStart) : store.farms.recordFarmId(attempt.id, handle.farmId)),
        line: (line, stream) => onLine?.(line, stream),
        together: (deliver) => store.work.together(deliver),
      });
      control.track(unit);
      return unit.exit;
    },
  };
  let result: WorkResult;
  try {
    result = await work.perform(ctx);
  } catch (error) {
    // An adapter that cannot build its command, or a step that broke: nothing a retry changes.
    result = { verdict: { ok: false, reason: (error as Error).message, retryable: false } };
  }
  const outcome = decideOutcome(result.verdict, control.stopMode(), { failures: task.failures, retries: work.retries }, input.retryBaseMs);
  const status = store.work.finishAttempt(
    attempt.id,
    {
      exitCode: result.exit?.exitCode ?? null,
      signal: result.exit?.signal ?? null,
      reason: result.verdict.ok ? null : result.verdict.reason,
      stop: control.stopMode(),
    },
    outcome,
    result.framesDone,
    outcome.kind === 'succeeded' ? result.outputs : undefined,
    result.notReached,
  );
  work.announce?.(outcome, result);
  input.jobChanged(job.id);
  return status;
}

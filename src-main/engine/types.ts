/**
 * The domain model shared by every part of the engine (DESIGN.md, "Domain model").
 * Pure types: no runtime code, so any layer may import them.
 */

export type JobStatus = 'queued' | 'running' | 'paused' | 'succeeded' | 'failed' | 'canceled';
/** What the user asked for; the job's status is derived from this plus its tasks. */
export type JobIntent = 'active' | 'paused' | 'canceled';
export type TaskState = 'queued' | 'waiting' | 'running' | 'succeeded' | 'failed' | 'canceled';
export type FrameState = 'queued' | 'running' | 'done' | 'failed' | 'canceled';

/** Which device a job may run on. */
export type DevicePolicy = { kind: 'cpu' } | { kind: 'any-gpu' } | { kind: 'gpu'; index: number };

/** The device one attempt actually got. */
export type DeviceAssignment = { kind: 'cpu'; threads: number } | { kind: 'gpu'; index: number };

/** Per-job knobs passed to the DCC adapter. All optional. */
export interface JobOverrides {
  camera?: string;
  layer?: string;
  samples?: number;
  threads?: number;
  /** Generic command adapter: the command template, e.g. `mytool --in {scene} --frame {frame}`. */
  template?: string;
  /** Output image format the adapter should force (e.g. PNG); absent: the scene's own. */
  format?: string;
  /** Extra environment variables for the child. */
  env?: Record<string, string>;
  /** Explicit executable path; absent: the adapter's default lookup. */
  executable?: string;
  /** Maya: which renderer (`arnold`, `redshift`, `vray`, `sw`, `file` = the scene's own). */
  renderer?: string;
  /** Houdini hython: the ROP node to render, e.g. `/out/karma1`. */
  rop?: string;
}

/** What a user submits. Validated (zod) at every boundary before it reaches the store. */
export interface JobSpec {
  name: string;
  dcc: string;
  scene: string | null;
  /** The frame set exactly as the user typed it. */
  framesText: string;
  /** null = automatic chunking. */
  chunkSize: number | null;
  /** Output path pattern with `#` for padded frame digits; null = the scene's own output. */
  output: string | null;
  priority: number;
  /** Most tasks of this job running at once; null = from the devices. */
  slots: number | null;
  /** Retries after the first attempt of a task for retryable failures. */
  retries: number;
  /** Kill a child that printed nothing for this long; null = never. */
  stallTimeoutSec: number | null;
  /** Kill a task's child after this long in total; null = never. */
  taskTimeoutSec: number | null;
  device: DevicePolicy;
  overrides: JobOverrides;
}

export interface JobRecord extends JobSpec {
  id: number;
  intent: JobIntent;
  frameCount: number;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface TaskRecord {
  id: number;
  jobId: number;
  /** Position of the task within its job (0-based). */
  index: number;
  state: TaskState;
  /** Failed attempts so far that counted against the retry budget. */
  failures: number;
  /** Earliest time (ms epoch) a `waiting` task may run again. */
  notBefore: number | null;
  reason: string | null;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface FrameRecord {
  jobId: number;
  frame: number;
  taskId: number | null;
  state: FrameState;
  output: string | null;
  reason: string | null;
  /** Wall time of the frame's successful render, ms. */
  renderMs: number | null;
  /** Attempt that rendered (or last tried) this frame. */
  attemptId: number | null;
}

export interface AttemptRecord {
  id: number;
  taskId: number;
  argv: string[];
  device: DeviceAssignment;
  pid: number | null;
  /** Process start time as the OS reports it, so a pid can be proven to be ours after a crash. */
  pidStart: string | null;
  startedAt: number;
  endedAt: number | null;
  exitCode: number | null;
  signal: string | null;
  reason: string | null;
  logPath: string;
}

/** How a failure is classified: whether retrying can help. */
export interface FailureReason {
  message: string;
  retryable: boolean;
}

export interface TaskCounts {
  queued: number;
  waiting: number;
  running: number;
  succeeded: number;
  failed: number;
  canceled: number;
}

/** A job with what the queue view needs: derived status, counts and the failure reason. */
export interface JobSummary extends JobRecord {
  status: JobStatus;
  reason: string | null;
  framesDone: number;
  framesFailed: number;
  framesRunning: number;
  tasks: TaskCounts;
}

export interface JobDetail {
  job: JobSummary;
  tasks: TaskRecord[];
  frames: FrameRecord[];
  attempts: AttemptRecord[];
}

/**
 * The domain model shared by every part of the engine (DESIGN.md, "Domain model").
 * Pure types: no runtime code, so any layer may import them.
 */

/**
 * `blocked`: the job waits for another job (`after`) that failed or was canceled; it starts by
 * itself once that job is retried and succeeds.
 */
export type JobStatus = 'queued' | 'running' | 'paused' | 'blocked' | 'succeeded' | 'failed' | 'canceled';
/** What the user asked for; the job's status is derived from this plus its tasks. */
export type JobIntent = 'active' | 'paused' | 'canceled';
/** How a pause stops running work: after the frame in progress is saved (where the renderer says so), or at once. */
export type PauseMode = 'after-frame' | 'now';
/**
 * How an attempt ended, as the lifecycle judged it (null: still running, or ended before Spool
 * recorded it). `paused` and `interrupted` (engine stopped) do not count against retries.
 */
export type AttemptOutcome = 'succeeded' | 'failed' | 'retried' | 'canceled' | 'paused' | 'interrupted' | 'shortened';
export type TaskState = 'queued' | 'waiting' | 'running' | 'succeeded' | 'failed' | 'canceled';
/** `suspended`: the user set it aside; the scheduler skips it and it never counts as failed (lifecycle/frame-actions.ts). */
export type FrameState = 'queued' | 'running' | 'done' | 'failed' | 'canceled' | 'suspended';

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
  /** Free labels (batch files, reports). */
  tags?: string[];
  /** What runs once every frame is done (preview movie, copy, a user command), in order. */
  steps?: StepSpec[];
  /** The farm profile it renders on; null or absent: this workstation. */
  farm?: string | null;
}

export interface JobRecord extends JobSpec {
  id: number;
  intent: JobIntent;
  /** How the job was last paused; null when it was not. */
  pauseMode: PauseMode | null;
  /** Time spent paused since it started, not counting the pause still going on (`pausedAt`). */
  pausedMs: number;
  /** When its current pause began (the job stood paused, its running work stopped); null when not paused. */
  pausedAt: number | null;
  /** Why its farm does not answer now (the job waits for it, nothing failed); null when it does. */
  farmWaiting?: string | null;
  frameCount: number;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** When "Clear finished" moved it from the queue to History (nothing deleted); null while in the queue. */
  archivedAt: number | null;
}

/** A render task renders a chunk of frames; a step task runs after every render task succeeded. */
export type TaskRole = 'render' | 'step';

export interface TaskRecord {
  id: number;
  jobId: number;
  role: TaskRole;
  /** Position of the task among its job's tasks of the same role (0-based). */
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
  /** Its task's role and position: a render chunk's attempt, or an after-render step's. */
  role: TaskRole;
  taskIndex: number;
  /** Its rank among its job's attempts, from 1 (ids are global: a job's first attempt may be #19). */
  number: number;
  /** The frames its task covers, as a frame set ("5-8"); empty for a step. */
  frames: string;
  argv: string[];
  device: DeviceAssignment;
  pid: number | null;
  /** Process start time as the OS reports it, so a pid can be proven to be ours after a crash. */
  pidStart: string | null;
  /** The farm's own id of the work (Slurm `123_4`) when it ran on a farm. */
  farmId?: string | null;
  startedAt: number;
  endedAt: number | null;
  exitCode: number | null;
  signal: string | null;
  reason: string | null;
  outcome: AttemptOutcome | null;
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

/** What a user can do to a job (lifecycle/actions.ts decides which apply now). */
export type JobAction = 'pause' | 'resume' | 'cancel' | 'retry' | 'duplicate' | 'delete' | 'setPriority' | 'modify';

/** A job with what the queue view needs: derived status, counts and the failure reason. */
export interface JobSummary extends JobRecord {
  status: JobStatus;
  reason: string | null;
  framesDone: number;
  framesFailed: number;
  framesRunning: number;
  /** Frames the user suspended: skipped, not failed; a job whose other frames are done succeeds "with N suspended". */
  framesSuspended: number;
  /** The average frame time: the median of done frames' measured render times (frames/frame-time.ts); null before one. */
  medianFrameMs: number | null;
  /** Render tasks by state. */
  tasks: TaskCounts;
  /** The actions that would change something now: every face enables exactly these. */
  actions: JobAction[];
  /**
   * Where the jobs it waits for stand: `waiting` while one is unfinished (the UI shows such a
   * queued job as Blocked until its parents are done), `blocked` when one failed or was canceled.
   */
  depGate?: 'clear' | 'waiting' | 'blocked';
}

/** What a frame action did (lifecycle/frame-actions.ts), or would do when previewed. */
export interface FrameActionReply {
  jobId: number;
  action: 'requeue' | 'suspend' | 'resume' | 'complete';
  /** False for a preview: nothing was written. */
  applied: boolean;
  /** The frames that moved (or would), in the job's order. */
  frames: number[];
  /** Rendered files on disk that requeued frames will overwrite. */
  overwrites: number;
  /** Frames asked for that did not move, grouped by why. */
  skipped: { frames: string; count: number; why: string }[];
  /** One line for every face: what moved, what will be overwritten, what did not and why. */
  message: string;
  job: JobSummary;
}

/** Where a farm job went: its farm, each hand-off's farm job and elements, and how to see it there. */
export interface JobFarmInfo {
  farm: string;
  /** Null when the profile was removed since. */
  kind: 'slurm' | 'flamenco' | null;
  handoffs: {
    /** Null until the farm answered the hand-off. */
    farmJobId: string | null;
    tag: string;
    /** The farm's ids of the elements Spool followed (Slurm `123_0`). */
    elements: string[];
    /** A command line or URL that shows it in the farm's own tool. */
    see: string | null;
  }[];
}

export interface JobDetail {
  job: JobSummary;
  tasks: TaskRecord[];
  frames: FrameRecord[];
  /** Asked for without frames (`frames: false`): `frames` is empty, not the job's. */
  framesOmitted?: true;
  /** The job's frame revision when read: ask `framesSince` it next time for only what changed. */
  framesRev?: number;
  /** Asked for with `framesSince`: `frames` holds only the frames changed after that revision. */
  framesSince?: number;
  attempts: AttemptRecord[];
  /** After-render steps, in the order they run. */
  steps?: StepRecord[];
  /** The jobs this one waits for (`after`), with their status now. */
  deps?: JobDependency[];
  /** Where it went when it renders on a farm; null on this workstation. */
  farm?: JobFarmInfo | null;
}

// ---- after-render steps ---------------------------------------------------------------------

/** A movie (and a contact sheet) made from the job's frames with ffmpeg. */
export interface PreviewStepSpec {
  kind: 'preview';
  /** Frames per second of the movie. */
  fps: number;
  /** h264: an .mp4 (libx264, yuv420p); prores: a .mov (ProRes 422 HQ). */
  codec: 'h264' | 'prores';
  movie: boolean;
  /** A PNG grid of up to 16 frames, evenly spread over the job. */
  sheet: boolean;
  /** Folder for the files; null = the folder of the frames. */
  to: string | null;
  retries: number;
  timeoutSec: number | null;
}

/** Copies (or moves) the job's frames and earlier steps' files into a folder. */
export interface FilesStepSpec {
  kind: 'copy' | 'move';
  /** Folder; `{job}` and `{id}` are filled in. */
  to: string;
  overwrite: boolean;
  retries: number;
  timeoutSec: number | null;
}

/**
 * A user command template, split into argv once (never a shell); tokens such as `{output_dir}`,
 * `{first}`, `{last}`, `{job}` are filled in inside each word.
 */
export interface CommandStepSpec {
  kind: 'command';
  run: string;
  retries: number;
  timeoutSec: number | null;
  stallTimeoutSec: number | null;
}

export type StepSpec = PreviewStepSpec | FilesStepSpec | CommandStepSpec;
export type StepKind = StepSpec['kind'];
/** A step is a task (role `step`): its runs are attempts like a render's. */
export interface StepRecord {
  /** The step's task id. */
  id: number;
  jobId: number;
  /** Position in the job's steps (0-based); a step runs once every earlier one succeeded. */
  index: number;
  kind: StepKind;
  spec: StepSpec;
  state: TaskState;
  /** Runs started so far (its attempts, kept across retries). */
  attempts: number;
  /** Failed runs that counted against the step's retries since the last user retry. */
  failures: number;
  notBefore: number | null;
  reason: string | null;
  /** Files the step made (movie, contact sheet, copies). */
  outputs: string[];
  /** Log of the latest run (its latest attempt's). */
  logPath: string | null;
  startedAt: number | null;
  finishedAt: number | null;
}

/** What a dry run shows for each job: what would be queued, with its tasks and frame counts. */
export interface PlannedJob {
  name: string;
  dcc: string;
  scene: string | null;
  frames: string;
  frameCount: number;
  /** Tasks made now; frames left for automatic chunking are counted in `autoFrames`. */
  tasks: number;
  autoFrames: number;
  chunkSize: number | null;
  output: string | null;
  priority: number;
  after: string[];
  steps: string[];
  tags: string[];
}

/** One job another waits for. */
export interface JobDependency {
  id: number;
  name: string;
  status: JobStatus;
}

/** What a scene says about itself (a DCC's probe): shown to the user and used as job defaults. */
export interface SceneInfo {
  frameStart?: number;
  frameEnd?: number;
  frameStep?: number;
  output?: string;
  format?: string;
  resolution?: { x: number; y: number; percent?: number };
  cameras?: string[];
  activeCamera?: string | null;
  layers?: string[];
  engine?: string;
  version?: string;
  /** Blender: the scene the file opens on, and its frame rate (a Flamenco hand-off sends both). */
  sceneName?: string;
  fps?: number;
  /** What the probe could not read, and why (a DCC whose scenes hold no frame range, a missing executable). */
  note?: string;
}

/** The scene browser's answer (`files.list`). */
export interface DirEntry {
  name: string;
  /** `dir` joined with `name`: a link keeps its own path, so browsing stays in the tree that was asked for. */
  path: string;
  kind: 'dir' | 'scene';
  /** A symbolic link; shown only when its target is a folder the user can read or a scene file. */
  link?: true;
}

export interface DirListing {
  dir: string;
  /** The folder above, or null at the root. */
  parent: string | null;
  entries: DirEntry[];
  /** More than MAX_ENTRIES matched: the first ones are listed. */
  truncated: boolean;
}

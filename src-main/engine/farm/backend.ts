/**
 * The farm seam: what Spool hands a farm and what it reads back. Slurm and Flamenco implement it.
 * Deadline 10's Web Service fits it too (submit = JobInfo/PluginInfo, tasks = its task list,
 * hold/release/cancel/requeue = suspend/resume/fail/requeue job commands), so adding it later
 * changes no caller.
 */

/** One unit of work as Spool chunked it; argv is the adapter's own, paths already mapped farm-side. */
export interface FarmChunk {
  readonly index: number;
  readonly frames: readonly number[];
  readonly argv: readonly string[];
  /** The adapter's environment for the command (farm-side values), and where it runs. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

export interface FarmJobSpec {
  /** Unique, stored before the farm is called; the farm job carries it so a restart finds it again. */
  readonly tag: string;
  readonly name: string;
  readonly dcc: string;
  /** Farm-side (mapped) paths. */
  readonly scene: string;
  readonly output: string | null;
  readonly frames: readonly number[];
  readonly chunks: readonly FarmChunk[];
  /** How many chunks may run at once (Slurm's %K). */
  readonly slots: number;
  /** What the scene probe knows; Flamenco's simple-blender-render needs them. */
  readonly fps?: number;
  readonly format?: string;
  readonly imageExtension?: string;
  readonly sceneName?: string;
}

export type FarmTaskState = 'queued' | 'held' | 'running' | 'done' | 'failed' | 'canceled' | 'unknown';

export interface FarmTask {
  readonly chunkIndex: number;
  /** The farm's own id for the task, starting with its farm job's id (Slurm "123_4", Flamenco "<job UUID>/<task UUID>"). */
  readonly farmId: string;
  readonly state: FarmTaskState;
  readonly frames: readonly number[];
  readonly exitCode?: number | null;
  readonly reason?: string;
}

export interface FarmJobRef {
  readonly farmJobId: string;
  readonly tag: string;
}

export interface FarmCheck {
  readonly ok: boolean;
  readonly version?: string;
  /** One line each: what works and what does not. */
  readonly findings: readonly string[];
}

export interface FarmBackend {
  readonly kind: 'slurm' | 'flamenco';
  /** How to see the job in the farm's own tool: a command line or a URL. */
  seeInFarm(ref: FarmJobRef): string;
  check(): Promise<FarmCheck>;
  findByTag(tag: string): Promise<FarmJobRef | null>;
  submit(spec: FarmJobSpec): Promise<FarmJobRef>;
  tasks(ref: FarmJobRef): Promise<readonly FarmTask[]>;
  /**
   * The folder here where the farm writes what Spool reads of this hand-off (its logs, exit
   * statuses), if it has one: Spool watches it so a change is read at once, not at the next poll.
   */
  localFolder?(ref: FarmJobRef): string;
  /** The tasks whose end that folder already tells (null where it does not yet), without asking the farm. */
  endedTasks?(ref: FarmJobRef): Promise<readonly (FarmTask | null)[]>;
  /** New log lines of one chunk's task since an opaque cursor (null: from the start the farm still has). */
  logSince(ref: FarmJobRef, chunkIndex: number, cursor: string | null): Promise<{ lines: readonly string[]; cursor: string | null }>;
  cancel(ref: FarmJobRef, reason: string): Promise<void>;
  /** Pause: pending work is held, running work finishes. */
  hold(ref: FarmJobRef, reason: string): Promise<void>;
  release(ref: FarmJobRef, reason: string): Promise<void>;
}

/** The farm did not answer (daemon down, Manager unreachable): the job waits, nothing is failed or resubmitted. */
export class FarmUnreachable extends Error {
  constructor(readonly farm: string, detail: string) {
    super(`farm ${farm} is unreachable: ${detail}`);
    this.name = 'FarmUnreachable';
  }
}

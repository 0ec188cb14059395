import type { UnitCommand } from '../executors/executor';

export type StreamName = 'stdout' | 'stderr';

/** A command for a local child: the executor seam's command, plus what only a local child has. */
export interface SuperviseOptions extends UnitCommand {
  /** Between SIGTERM and SIGKILL. Default 5000. */
  killGraceMs?: number;
  /** Called once the child runs, with its pid and OS start time (for crash recovery). */
  onSpawn?: (pid: number, pidStart: string | null) => void;
  /** Called for each complete line, in order, without its line ending. */
  onLine?: (line: string, stream: StreamName) => void;
  /** Runs the delivery of the lines of one read from the child (see ExecutorReport.together). */
  onRead?: (deliver: () => void) => void;
}

export type EndCause = 'exit' | 'stall' | 'timeout' | 'canceled' | 'spawn-error' | 'log-error';

export interface SuperviseResult {
  cause: EndCause;
  exitCode: number | null;
  signal: string | null;
  /** Human-readable one-liner for anything but a clean exit (e.g. `no output for 30 s`). */
  message: string | null;
  durationMs: number;
  /** True if SIGKILL was needed after the grace period. */
  forceKilled: boolean;
  /**
   * True when the attempt failed for want of Spool's own resources (out of file descriptors while
   * opening the log or spawning), not because of anything the child or the job did.
   */
  engineSide?: boolean;
}

export interface Supervised {
  /** Resolves once the child and its process group are gone. Never rejects. */
  result: Promise<SuperviseResult>;
  /** Kills the whole process tree (SIGTERM, SIGKILL after the grace period). */
  cancel(reason?: string): void;
}

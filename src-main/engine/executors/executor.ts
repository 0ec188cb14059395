import type { StopMode } from '../lifecycle/outcome';
import type { StreamName, SuperviseResult } from '../supervisor/types';

/**
 * The seam between deciding what runs (scheduler), what it means (lifecycle) and where it runs.
 * An executor runs one command for one attempt and reports back lines, where it runs, and how it
 * ended. The local supervisor is the first; a farm executor (Slurm, Flamenco, Deadline) hands the
 * same argv to its farm and feeds the farm's log lines through the same callbacks, so the adapter
 * parser, frame checkpoints and verdicts work unchanged.
 */
export interface Executor {
  start(command: UnitCommand, report: ExecutorReport): RunningUnit;
}

export interface UnitCommand {
  file: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** The attempt's log: every line the unit prints is kept there, byte for byte. */
  logPath: string;
  /** Stop the unit when it printed nothing for this long. */
  stallTimeoutMs?: number | null;
  /** Stop the unit after this long in total. */
  totalTimeoutMs?: number | null;
  /** Whose unit this is: a farm executor hands a job's units off together and finds them again by task. */
  unit?: { jobId: number; taskId: number; attemptId: number };
}

/** Where a unit runs, recorded with its attempt so a restarted engine can find it again. */
export type UnitHandle = { kind: 'local'; pid: number; pidStart: string | null } | { kind: 'farm'; farmId: string };

export interface ExecutorReport {
  started(handle: UnitHandle): void;
  line(line: string, stream: StreamName): void;
  /**
   * Runs the delivery of a batch of lines that arrived together (one read from a child). The
   * runner makes their frames' checkpoints one commit: a frame every few milliseconds cost two
   * commits each, and a fast render held the engine's event loop for over a second at a time.
   */
  together(deliver: () => void): void;
}

/** How a unit ended: an exit, a stall, a timeout, a stop, or a failure to start. */
export type UnitExit = SuperviseResult;

export interface RunningUnit {
  /** Resolves once the unit is gone. Never rejects. */
  exit: Promise<UnitExit>;
  /**
   * Stops it now (the reason becomes the exit's message). `mode` says why: a farm unit paused holds
   * its farm work instead, and one stopped by an engine shutting down is left running on the farm.
   */
  stop(reason: string, mode?: StopMode): void;
}

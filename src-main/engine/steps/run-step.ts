import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { logsDir } from '../paths';
import { backoffMs } from '../scheduler/backoff';
import type { StepOutcome, Store } from '../store';
import { supervise } from '../supervisor/supervise';
import type { SuperviseResult, Supervised } from '../supervisor/types';
import type { JobRecord, JobStatus, StepRecord } from '../types';
import { runCommandStep } from './command-step';
import { runFilesStep } from './files-step';
import { runPreviewStep } from './preview-step';

export type StepStopMode = 'cancel' | 'pause' | 'shutdown';

export interface StepEvents {
  jobChanged(jobId: number): void;
}

export interface RunStepInput {
  store: Store;
  dataDir: string;
  job: JobRecord;
  step: StepRecord;
  events: StepEvents;
  killGraceMs?: number;
  retryBaseMs?: number;
}

export interface RunningStep {
  done: Promise<JobStatus | null>;
  stop(mode: StepStopMode): void;
}

/** How one run of a step ended. */
export type StepResult = { ok: true; outputs: string[] } | { ok: false; reason: string; retryable: boolean };

/** What a step kind gets to do its work: the job, a log, and children run under supervision. */
export interface StepContext {
  store: Store;
  dataDir: string;
  job: JobRecord;
  step: StepRecord;
  /** A line in the step's log (Spool's own lines, prefixed with `spool:`). */
  log(line: string): void;
  /** Runs a child the way renders run (process group, log, timeouts); resolves when it is gone. */
  run(file: string, args: string[], options?: { cwd?: string; env?: Record<string, string>; stallTimeoutSec?: number | null }): Promise<ChildEnd>;
  /** Set once the user paused or canceled the job, or Spool is stopping. */
  stopped(): StepStopMode | null;
  /** Milliseconds left before the step's timeout, or null without one. */
  timeLeftMs(): number | null;
}

export interface ChildEnd {
  result: SuperviseResult;
  /** The last non-empty line the child printed, to explain a failure. */
  lastLine: string | null;
}

export function stepLogPath(dataDir: string, jobId: number, index: number, attempt: number): string {
  return path.join(logsDir(dataDir), `job-${jobId}`, `step-${index}-attempt-${attempt}.log`);
}

/** Runs one step once: marks it running, does its work, settles it (retry with backoff, or fail). */
export function runStep(input: RunStepInput): RunningStep {
  let stopMode: StepStopMode | null = null;
  let child: Supervised | null = null;
  const done = execute(input, {
    setChild: (c) => {
      child = c;
      if (stopMode) c.cancel(stopMessage(stopMode));
    },
    clearChild: () => {
      child = null;
    },
    stopMode: () => stopMode,
  });
  return {
    done,
    stop(mode) {
      stopMode ??= mode;
      (child as Supervised | null)?.cancel(stopMessage(mode));
    },
  };
}

function stopMessage(mode: StepStopMode): string {
  return mode === 'cancel' ? 'canceled by user' : mode === 'pause' ? 'paused by user' : 'Spool is shutting down';
}

interface Control {
  setChild(child: Supervised): void;
  clearChild(): void;
  stopMode(): StepStopMode | null;
}

async function execute(input: RunStepInput, control: Control): Promise<JobStatus | null> {
  const { store, job, events } = input;
  const step = store.startStep(input.step.id, (n) => stepLogPath(input.dataDir, job.id, input.step.index, n));
  events.jobChanged(job.id);
  const logPath = step.logPath!;
  mkdirSync(path.dirname(logPath), { recursive: true });
  const log = (line: string): void => {
    try {
      appendFileSync(logPath, `spool: ${line}\n`);
    } catch {
      // A log that cannot be written must not fail the step; the reason still reaches the store.
    }
  };
  const startedAt = Date.now();
  const timeoutMs = step.spec.timeoutSec ? step.spec.timeoutSec * 1000 : null;
  const ctx: StepContext = {
    store,
    dataDir: input.dataDir,
    job,
    step,
    log,
    stopped: control.stopMode,
    timeLeftMs: () => (timeoutMs === null ? null : timeoutMs - (Date.now() - startedAt)),
    run: async (file, args, options = {}) => {
      log(`$ ${[file, ...args].map(showWord).join(' ')}`);
      let lastLine: string | null = null;
      const left = ctx.timeLeftMs();
      const child = supervise({
        file,
        args,
        cwd: options.cwd,
        env: options.env,
        logPath,
        stallTimeoutMs: options.stallTimeoutSec ? options.stallTimeoutSec * 1000 : null,
        totalTimeoutMs: left === null ? null : Math.max(1, left),
        killGraceMs: input.killGraceMs,
        onSpawn: (pid, pidStart) => store.recordStepSpawn(step.id, pid, pidStart),
        onLine: (line) => {
          if (line.trim()) lastLine = line.trim();
        },
      });
      control.setChild(child);
      const result = await child.result;
      control.clearChild();
      return { result, lastLine };
    },
  };

  log(`${step.kind} step ${step.index + 1} of job ${job.id} "${job.name}", attempt ${step.attempts}`);
  let result: StepResult;
  try {
    result = await perform(ctx);
  } catch (error) {
    result = { ok: false, reason: `spool: ${(error as Error).message}`, retryable: false };
  }
  log(result.ok ? `done: ${result.outputs.join(', ') || '(no files)'}` : `failed: ${result.reason}`);
  const outcome = decideOutcome(step, result, control.stopMode(), input.retryBaseMs);
  const status = store.finishStep(step.id, outcome);
  events.jobChanged(job.id);
  return status;
}

function perform(ctx: StepContext): Promise<StepResult> {
  const spec = ctx.step.spec;
  switch (spec.kind) {
    case 'preview':
      return runPreviewStep(ctx, spec);
    case 'copy':
    case 'move':
      return runFilesStep(ctx, spec);
    case 'command':
      return runCommandStep(ctx, spec);
  }
}

function decideOutcome(step: StepRecord, result: StepResult, stopMode: StepStopMode | null, retryBaseMs?: number): StepOutcome {
  if (stopMode === 'pause' || stopMode === 'shutdown') return result.ok ? { kind: 'succeeded', outputs: result.outputs } : { kind: 'requeue' };
  if (stopMode === 'cancel') return result.ok ? { kind: 'succeeded', outputs: result.outputs } : { kind: 'canceled', reason: 'canceled by user' };
  if (result.ok) return { kind: 'succeeded', outputs: result.outputs };
  if (result.retryable && step.failures < step.spec.retries) {
    return { kind: 'retry', reason: result.reason, notBefore: Date.now() + backoffMs(step.failures + 1, retryBaseMs) };
  }
  const tries = step.failures + 1;
  const suffix = result.retryable && tries > 1 ? ` (after ${tries} attempts)` : result.retryable ? '' : ' (not retried)';
  return { kind: 'failed', reason: `${result.reason}${suffix}` };
}

/** Why a supervised child did not end well, and whether another run could help. */
export function childFailure(what: string, end: ChildEnd): StepResult | null {
  const { result, lastLine } = end;
  switch (result.cause) {
    case 'exit':
      if (result.exitCode === 0 && !result.signal) return null;
      return {
        ok: false,
        reason: `${what} ${result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`}${lastLine ? `: ${lastLine.slice(0, 300)}` : ''}`,
        retryable: true,
      };
    case 'spawn-error':
      return { ok: false, reason: result.message ?? `${what} could not start`, retryable: false };
    case 'canceled':
      return { ok: false, reason: result.message ?? 'canceled', retryable: false };
    default:
      return { ok: false, reason: `${what}: ${result.message ?? result.cause}`, retryable: true };
  }
}

function showWord(word: string): string {
  return /^[A-Za-z0-9_\-.,/:=@%+]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A file name made from a job name: letters, digits, `-`, `_` and `.` only. */
export function safeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[._]+|_+$/g, '');
  return cleaned || 'job';
}

/** `{job}` and `{id}` in a folder path. */
export function expandFolder(folder: string, job: JobRecord): string {
  return folder.replace(/\{job\}/g, safeName(job.name)).replace(/\{id\}/g, String(job.id));
}

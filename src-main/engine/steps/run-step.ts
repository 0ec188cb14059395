import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { logsDir } from '../paths';
import { backoffMs } from '../scheduler/backoff';
import type { StepOutcome, Store } from '../store';
import { supervise } from '../supervisor/supervise';
import type { Supervised } from '../supervisor/types';
import type { JobRecord, JobStatus, StepRecord } from '../types';
import { runCommandStep } from './command-step';
import { runFilesStep } from './files-step';
import { runPreviewStep } from './preview-step';
import type { StepContext, StepResult, StepStopMode } from './step-context';

export type { StepStopMode };

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


function showWord(word: string): string {
  return /^[A-Za-z0-9_\-.,/:=@%+]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

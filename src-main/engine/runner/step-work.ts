import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { runCommandStep } from '../steps/command-step';
import type { StepContext, StepResult } from '../steps/step-context';
import { runFilesStep } from '../steps/files-step';
import { runPreviewStep } from '../steps/preview-step';
import type { Store } from '../store';
import type { JobRecord, StepRecord } from '../types';
import type { AttemptContext, UnitWork, WorkResult } from './run-attempt';

/** Steps run on this workstation's CPU, beside renders: a preview encode is short. */
const STEP_DEVICE = { kind: 'cpu', threads: 1 } as const;

/**
 * An after-render step as a unit of work: the same runner, attempts, stop modes and retry
 * policy as a render; what differs is the work (a movie, copies, a user's command).
 */
export function stepWork(input: { store: Store; dataDir: string; job: JobRecord; step: StepRecord }): UnitWork {
  return {
    device: STEP_DEVICE,
    retries: input.step.spec.retries,
    perform: (ctx) => performStep(input, ctx),
  };
}

async function performStep(input: { store: Store; dataDir: string; job: JobRecord; step: StepRecord }, attempt: AttemptContext): Promise<WorkResult> {
  const { job, step } = input;
  const logPath = attempt.attempt.logPath;
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
  const argvSeen: string[][] = [];
  const ctx: StepContext = {
    store: input.store,
    dataDir: input.dataDir,
    job,
    step,
    log,
    stopped: attempt.stopMode,
    timeLeftMs: () => (timeoutMs === null ? null : timeoutMs - (Date.now() - startedAt)),
    run: async (file, args, options = {}) => {
      log(`$ ${[file, ...args].map(showWord).join(' ')}`);
      // The attempt records the first command it ran (a preview's movie encode, a user's command).
      if (argvSeen.push([file, ...args]) === 1) attempt.recordArgv([file, ...args]);
      let lastLine: string | null = null;
      const left = ctx.timeLeftMs();
      const result = await attempt.run(
        {
          file,
          args,
          cwd: options.cwd,
          env: options.env,
          logPath,
          stallTimeoutMs: options.stallTimeoutSec ? options.stallTimeoutSec * 1000 : null,
          totalTimeoutMs: left === null ? null : Math.max(1, left),
        },
        (line) => {
          if (line.trim()) lastLine = line.trim();
        },
      );
      return { result, lastLine };
    },
  };

  log(`${step.kind} step ${step.index + 1} of job ${job.id} "${job.name}", attempt ${step.attempts + 1}`);
  let result: StepResult;
  try {
    result = await perform(ctx);
  } catch (error) {
    result = { ok: false, reason: `spool: ${(error as Error).message}`, retryable: false };
  }
  log(result.ok ? `done: ${result.outputs.join(', ') || '(no files)'}` : `failed: ${result.reason}`);
  return result.ok ? { verdict: { ok: true }, outputs: result.outputs } : { verdict: { ok: false, reason: result.reason, retryable: result.retryable } };
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

function showWord(word: string): string {
  return /^[A-Za-z0-9_\-.,/:=@%+]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

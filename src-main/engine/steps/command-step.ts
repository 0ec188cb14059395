import { existsSync } from 'node:fs';
import path from 'node:path';
import { splitTemplate } from '../adapters/command';
import { findExecutable } from '../find-executable';
import type { CommandStepSpec } from '../types';
import { childFailure, type StepContext, type StepResult } from './step-context';

/**
 * A user's command after the render: the template is split into argv once and the tokens are
 * filled in inside each word, so a value with spaces or `;` stays one argument. Never a shell.
 */
export async function runCommandStep(ctx: StepContext, spec: CommandStepSpec): Promise<StepResult> {
  const split = splitTemplate(spec.run);
  if (!split.ok || split.words.length === 0) return { ok: false, reason: split.ok ? 'the command is empty' : split.error, retryable: false };
  const values = commandTokens(ctx);
  const argv = split.words.map((word) => word.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => values[name] ?? whole));
  const cwd = [values.output_dir, ctx.job.scene ? path.dirname(ctx.job.scene) : null].find((d) => d && existsSync(d)) ?? undefined;
  // Resolved on Spool's own PATH: spawn would look a bare name up on the job's env PATH.
  const program = findExecutable(argv[0]!);
  if (!program) return { ok: false, reason: `executable not found: ${argv[0]} (looked on PATH)`, retryable: false };
  const end = await ctx.run(program, argv.slice(1), {
    cwd,
    env: ctx.job.overrides.env,
    stallTimeoutSec: spec.stallTimeoutSec,
  });
  const failure = childFailure(path.basename(argv[0]!), end);
  return failure ?? { ok: true, outputs: [] };
}

/** The values of the tokens a command step may use (step-input.ts lists them). */
export function commandTokens(ctx: Pick<StepContext, 'store' | 'job' | 'step'>): Record<string, string> {
  const { store, job } = ctx;
  const frames = store.work.framesOf(job.id);
  const firstOutput = frames.find((f) => f.output)?.output ?? null;
  const bounds = store.work.frameBounds(job.id);
  const preview = store
    .work.stepsOf(job.id)
    .filter((s) => s.index < ctx.step.index && s.kind === 'preview' && s.state === 'succeeded')
    .flatMap((s) => s.outputs)
    .find((o) => /\.(mp4|mov)$/.test(o));
  return {
    job: job.name,
    id: String(job.id),
    scene: job.scene ?? '',
    output: job.output ?? '',
    output_dir: job.output ? path.dirname(job.output) : firstOutput ? path.dirname(firstOutput) : '',
    first: String(bounds.first),
    last: String(bounds.last),
    frames: job.framesText,
    count: String(job.frameCount),
    preview: preview ?? '',
  };
}

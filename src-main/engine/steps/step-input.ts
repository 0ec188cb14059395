import path from 'node:path';
import { z } from 'zod';
import { splitTemplate } from '../adapters/command';
import type { StepSpec } from '../types';

/**
 * What a user writes for an after-render step (batch files, `jobs.submit`), validated with zod
 * and turned into the StepSpec the store keeps. Each kind is its own strict object, told apart by
 * `kind`, so a misspelt option is refused with its name rather than ignored.
 */

/** Seconds as a whole number, or a duration such as `90s`, `30m`, `2h`, `1h30m`. */
export const DURATION_PATTERN = '^(?=\\d)(\\d+h)?(\\d+m)?(\\d+s)?$';

export function durationSchema(maxSec: number) {
  return z.union(
    [
      z.number().int().min(1).max(maxSec),
      z.string().regex(new RegExp(DURATION_PATTERN)),
    ],
    { error: 'expected seconds (a whole number) or a duration like 90s, 30m, 2h' },
  );
}

export function durationSeconds(value: number | string | null | undefined): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return value;
  const match = new RegExp(DURATION_PATTERN).exec(value);
  if (!match) return null;
  const [h, m, s] = [match[1], match[2], match[3]].map((part) => (part ? Number.parseInt(part, 10) : 0));
  return h! * 3600 + m! * 60 + s!;
}

const wholeNumber = (min: number, max: number) =>
  z
    .number({ error: `expected a whole number from ${min} to ${max}` })
    .int({ error: 'expected a whole number' })
    .min(min, { error: `expected a whole number from ${min} to ${max}` })
    .max(max, { error: `expected a whole number from ${min} to ${max}` });
/** `is required` when the field is missing, else what was expected. */
export const expecting = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `expected ${what}`);

const folder = (what: string) =>
  z
    .string({ error: expecting('a folder path') })
    .min(1, { error: `${what} is empty` })
    .refine((s) => !s.includes('\0'), { error: `${what} contains a NUL character` });

const common = {
  retries: wholeNumber(0, 10).optional(),
  timeout: durationSchema(7 * 24 * 3600).optional(),
};

export const PreviewStepSchema = z
  .object({
    kind: z.literal('preview'),
    fps: wholeNumber(1, 240).optional(),
    codec: z.enum(['h264', 'prores'], { error: 'expected h264 or prores' }).optional(),
    movie: z.boolean({ error: 'expected true or false' }).optional(),
    sheet: z.boolean({ error: 'expected true or false' }).optional(),
    to: folder('to').optional(),
    ...common,
  })
  .strict();

export const FilesStepSchema = z
  .object({
    kind: z.enum(['copy', 'move']),
    to: folder('to'),
    overwrite: z.boolean({ error: 'expected true or false' }).optional(),
    ...common,
  })
  .strict();

export const COMMAND_STEP_TOKENS = ['job', 'id', 'scene', 'output', 'output_dir', 'first', 'last', 'frames', 'count', 'preview'] as const;

export const CommandStepSchema = z
  .object({
    kind: z.literal('command'),
    run: z
      .string({ error: expecting('a command line, e.g. notify-send "{job} done"') })
      .min(1, { error: 'run is empty' })
      .refine((s) => !s.includes('\0'), { error: 'run contains a NUL character' }),
    stall_timeout: durationSchema(7 * 24 * 3600).optional(),
    ...common,
  })
  .strict();

export const StepInputSchema = z.discriminatedUnion('kind', [PreviewStepSchema, FilesStepSchema, CommandStepSchema], {
  error: (issue) =>
    issue.code === 'invalid_union' || issue.code === 'invalid_type'
      ? 'expected a step with kind: preview, copy, move or command'
      : undefined,
});

export type StepInput = z.input<typeof StepInputSchema>;

/**
 * Problems zod cannot see: a command template that does not split, or names a token Spool does
 * not fill in. Null when the step is fine.
 */
export function checkStep(step: StepInput): { field: string; message: string } | null {
  if (step.kind !== 'command') return null;
  const split = splitTemplate(step.run);
  if (!split.ok) return { field: 'run', message: split.error };
  if (split.words.length === 0) return { field: 'run', message: 'run is empty' };
  for (const word of split.words) {
    for (const match of word.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
      if (!(COMMAND_STEP_TOKENS as readonly string[]).includes(match[1]!)) {
        return { field: 'run', message: `unknown token {${match[1]}} (known: ${COMMAND_STEP_TOKENS.map((t) => `{${t}}`).join(' ')})` };
      }
    }
  }
  return null;
}

/** The stored form: defaults filled in, folders absolute (relative ones from `cwd`). */
export function toStepSpec(step: StepInput, cwd: string): StepSpec {
  const timeoutSec = durationSeconds(step.timeout);
  switch (step.kind) {
    case 'preview':
      return {
        kind: 'preview',
        fps: step.fps ?? 24,
        codec: step.codec ?? 'h264',
        movie: step.movie ?? true,
        sheet: step.sheet ?? true,
        to: step.to ? path.resolve(cwd, step.to) : null,
        retries: step.retries ?? 1,
        timeoutSec,
      };
    case 'copy':
    case 'move':
      return {
        kind: step.kind,
        to: path.resolve(cwd, step.to),
        overwrite: step.overwrite ?? false,
        retries: step.retries ?? 1,
        timeoutSec,
      };
    case 'command':
      return {
        kind: 'command',
        run: step.run,
        retries: step.retries ?? 1,
        timeoutSec,
        stallTimeoutSec: durationSeconds(step.stall_timeout),
      };
  }
}

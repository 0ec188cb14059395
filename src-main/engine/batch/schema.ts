import { z } from 'zod';
import { CHUNK_SIZE, FRAME_NUMBER, PRIORITY, RETRIES, SAMPLES, SLOTS, STALL_TIMEOUT_SEC, TASK_TIMEOUT_SEC, THREADS, type Range } from '../limits';
import { durationSchema, expecting, StepInputSchema } from '../steps/step-input';

/**
 * A batch file (YAML or JSON): `defaults` applied to every job, then `jobs`, each named and
 * free to override any default. The published JSON Schema (schemas/batch.schema.json) is made
 * from this one (batch.test.ts checks they agree), so editors can complete and check files.
 * Field names are the CLI's flags (`stall_timeout` for `--stall-timeout`).
 */

const whole = ({ min, max }: Range) =>
  z
    .number({ error: expecting('a whole number') })
    .int({ error: 'expected a whole number' })
    .min(min, { error: `expected a whole number from ${min} to ${max}` })
    .max(max, { error: `expected a whole number from ${min} to ${max}` });
const text = (what: string) =>
  z
    .string({ error: expecting(what) })
    .min(1, { error: 'is empty' })
    .refine((s) => !s.includes('\0'), { error: 'contains a NUL character' });

const jobRef = z.union([text('a job name'), whole({ min: 1, max: Number.MAX_SAFE_INTEGER })], {
  error: 'expected the name of a job in this file, or a queued job’s name or id',
});
const tag = z.string({ error: expecting('a tag') }).min(1, { error: 'tag is empty' }).max(100, { error: 'tag is longer than 100 characters' });

/** Every field a job may set, and `defaults` may set for all. */
const JOB_FIELDS = {
  scene: text('a scene file path').describe('Scene file; relative paths start from the batch file’s folder.').optional(),
  dcc: z
    .string({ error: expecting('a DCC name like blender') })
    .regex(/^[a-z0-9-]{1,32}$/, { error: 'expected a DCC name like blender, povray or command' })
    .describe('Adapter: blender, povray, maya, command… (default: from the scene’s extension).').optional(),
  version: z
    .string({ error: expecting('a version like "3.4"') })
    .regex(/^\d+(\.\d+)*$/, { error: 'expected a version like "3.4"' })
    .describe('DCC version to render with: "3.4" matches 3.4.1. Quote it in YAML ("3.10", not 3.10).').optional(),
  frames: z
    .union([z.string().min(1, { error: 'is empty' }).max(10_000, { error: 'is too long' }), z.number().int().min(FRAME_NUMBER.min).max(FRAME_NUMBER.max)], {
      error: 'expected a frame set like 1-100, 1,5,10-20 or 1-100x5',
    })
    .describe('Frame set: 1-100, 1,5,10-20, 1-100x5, 100-1.').optional(),
  chunk: z
    .union([whole(CHUNK_SIZE), z.literal('auto')], { error: 'expected frames per render process (a whole number) or "auto"' })
    .describe('Frames per render process, or "auto".').optional(),
  output: text('an output path').describe('Output path; # marks padded frame digits (renders/sh010_####).').optional(),
  priority: whole(PRIORITY).describe('Higher renders first.').optional(),
  retries: whole(RETRIES).describe('Retries of a failed chunk (failures that retrying can fix).').optional(),
  slots: whole(SLOTS).describe('Render processes of this job at once.').optional(),
  device: z
    .string({ error: expecting('cpu, any-gpu or gpu:N') })
    .regex(/^(cpu|any-gpu|gpu:\d{1,2})$/, { error: 'expected cpu, any-gpu or gpu:N' })
    .describe('cpu, any-gpu or gpu:N.').optional(),
  timeout: durationSchema(TASK_TIMEOUT_SEC.max).describe('Kill a render process after this long: seconds, or 90s, 30m, 2h.').optional(),
  stall_timeout: durationSchema(STALL_TIMEOUT_SEC.max).describe('Kill a render process that printed nothing for this long.').optional(),
  camera: text('a camera name').optional(),
  layer: text('a render layer name').optional(),
  samples: whole(SAMPLES).optional(),
  threads: whole(THREADS).optional(),
  format: z
    .string({ error: expecting('an image format like PNG') })
    .regex(/^[A-Za-z0-9_]{2,20}$/, { error: 'expected an image format name like PNG or OPEN_EXR' }).optional(),
  template: text('a command template').describe('With dcc: command — mytool --in {scene} --frame {frame} --out {output}.').optional(),
  executable: text('an executable path').optional(),
  env: z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'environment variable names are letters, digits and _' }),
      z.union([z.string(), z.number(), z.boolean()], { error: 'expected text, a number or true/false' }),
      { error: 'expected NAME: value pairs' },
    )
    .describe('Extra environment variables for the render process.').optional(),
  tags: z.union([tag, z.array(tag).max(100)], { error: 'expected a tag or a list of tags' }).optional(),
  farm: z
    .string({ error: expecting('a farm profile name') })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: 'expected a farm profile name (spool farm list)' })
    .describe('Render on this farm (spool farm list) instead of this workstation.').optional(),
  steps: z
    .array(StepInputSchema, { error: 'expected a list of steps' })
    .max(50, { error: 'at most 50 steps' })
    .describe('Run in order once every frame is done: preview, copy, move, command.').optional(),
} as const;

export const BatchDefaultsSchema = z.object(JOB_FIELDS).strict().describe('Applied to every job; a job’s own fields win.');

export const BatchJobSchema = z
  .object({
    name: z
      .string({ error: expecting('a job name') })
      .trim()
      .min(1, { error: 'is empty' })
      .max(200, { error: 'is longer than 200 characters' })
      .describe('Unique in the file; other jobs name it in `after`.'),
    ...JOB_FIELDS,
    after: z
      .union([jobRef, z.array(jobRef).max(1000)], { error: 'expected a job name or a list of job names' })
      .describe('Jobs to wait for: names in this file, or queued jobs by name or id. Starts once they all succeeded.')
      .optional(),
  })
  .strict();

export const BatchFileSchema = z
  .object({
    $schema: z.string().optional(),
    defaults: BatchDefaultsSchema.optional(),
    jobs: z
      .array(BatchJobSchema, { error: expecting('a list of jobs') })
      .min(1, { error: 'has no jobs' })
      .max(10_000, { error: 'at most 10,000 jobs in one file' }),
  })
  .strict()
  .meta({
    $id: 'https://spool.invalid/schemas/batch.schema.json',
    title: 'Spool batch file',
    description: 'Jobs for `spool submit FILE`: defaults plus named jobs (names unique in the file).',
  });

export type BatchFile = z.output<typeof BatchFileSchema>;
export type BatchJob = z.output<typeof BatchJobSchema>;
export type BatchDefaults = z.output<typeof BatchDefaultsSchema>;

/** The published JSON Schema, made from the zod schema (what schemas/batch.schema.json holds). */
export function batchJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(BatchFileSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}

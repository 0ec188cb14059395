import { z } from 'zod';
import { CHUNK_SIZE, GPU_INDEX, PRIORITY, RETRIES, SAMPLES, SLOTS, STALL_TIMEOUT_SEC, TASK_TIMEOUT_SEC, THREADS, type Range } from './limits';
import { StepInputSchema } from './steps/step-input';

/**
 * What any face (CLI, HTTP, IPC, batch file) may send to submit a job. Validated here, in main,
 * whatever the transport: a bad field is refused with a message naming it.
 */
const finiteInt = ({ min, max }: Range) => z.number().int().min(min).max(max);
const nonEmpty = (what: string) => z.string().trim().min(1, `${what} is empty`);
const noNul = (s: string) => !s.includes('\0');

const jobRef = z.number().int().positive();

export const DeviceInputSchema = z.union([
  z.literal('cpu'),
  z.literal('any-gpu'),
  z.object({ gpu: finiteInt(GPU_INDEX) }).strict(),
]);

export const OverridesSchema = z
  .object({
    camera: nonEmpty('camera').optional(),
    layer: nonEmpty('layer').optional(),
    samples: finiteInt(SAMPLES).optional(),
    threads: finiteInt(THREADS).optional(),
    template: nonEmpty('template').refine(noNul, 'template contains a NUL character').optional(),
    format: z
      .string()
      .regex(/^[A-Z0-9_]{2,20}$/, 'format is an image format name like PNG or OPEN_EXR')
      .optional(),
    env: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment variable names are letters, digits and _'), z.string())
      .optional(),
    executable: nonEmpty('executable').refine(noNul, 'executable contains a NUL character').optional(),
    renderer: z.enum(['arnold', 'redshift', 'vray', 'sw', 'file']).optional(),
    rop: z
      .string()
      .regex(/^\/[A-Za-z0-9_./-]+$/, 'rop is a Houdini node path like /out/karma1')
      .optional(),
  })
  .strict();

export const SubmitInputSchema = z
  .object({
    scene: z.string().min(1, 'scene is empty').refine(noNul, 'scene path contains a NUL character').nullable().optional(),
    dcc: z.string().regex(/^[a-z0-9-]{1,32}$/, 'dcc is an adapter id like blender or command').optional(),
    frames: z.string().max(10_000, 'frames text is too long').optional(),
    chunk: z.union([finiteInt(CHUNK_SIZE), z.literal('auto')]).optional(),
    output: z.string().min(1, 'output is empty').refine(noNul, 'output contains a NUL character').nullable().optional(),
    name: z.string().trim().min(1, 'name is empty').max(200, 'name is longer than 200 characters').optional(),
    priority: finiteInt(PRIORITY).optional(),
    retries: finiteInt(RETRIES).optional(),
    slots: finiteInt(SLOTS).nullable().optional(),
    stallTimeoutSec: finiteInt(STALL_TIMEOUT_SEC).nullable().optional(),
    taskTimeoutSec: finiteInt(TASK_TIMEOUT_SEC).nullable().optional(),
    device: DeviceInputSchema.optional(),
    overrides: OverridesSchema.optional(),
    /** DCC version wanted (`3.4` matches 3.4.1): picks that install's executable at submit time. */
    version: z.string().trim().regex(/^\d+(\.\d+)*$/, 'version is numbers and dots, like 3.4 or 2024.2').optional(),
    /** Jobs to wait for, by id or name: this one starts once they all succeeded. */
    after: z.array(z.union([jobRef, z.string().trim().min(1, 'after names an empty job')])).max(1000).optional(),
    steps: z.array(StepInputSchema).max(50, 'at most 50 steps').optional(),
    tags: z.array(z.string().trim().min(1, 'tag is empty').max(100)).max(100).optional(),
    /** A farm profile's name: the job renders there instead of on this workstation. */
    farm: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'farm is a farm profile name (see spool farm list)').nullable().optional(),
  })
  .strict();

export type SubmitInput = z.input<typeof SubmitInputSchema>;

/**
 * What may change on a job that runs nothing (queued, blocked or paused): the submit schema's own
 * fields, so a change is refused with the very messages a new job gets. Scene, DCC and steps are
 * what the job is; changing them is a new job (Duplicate).
 */
export const ModifyInputSchema = SubmitInputSchema.pick({
  name: true,
  frames: true,
  chunk: true,
  output: true,
  priority: true,
  retries: true,
  slots: true,
  stallTimeoutSec: true,
  taskTimeoutSec: true,
  device: true,
  overrides: true,
  after: true,
  // Where it renders (null: this workstation), while nothing of it was handed to a farm (lifecycle/farm-change.ts).
  farm: true,
}).strict();

export type ModifyInput = z.input<typeof ModifyInputSchema>;

/** One line per problem, each naming its field: `frames: "1-x": expected a frame number at column 3`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.length ? issue.path.join('.') : 'input';
      if (issue.code === 'unrecognized_keys') return `${field}: unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      return `${field}: ${issue.message}`;
    })
    .join('\n');
}

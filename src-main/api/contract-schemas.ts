import { z } from 'zod';
import type { CommandInput, CommandName } from '../../src-preload/contract';
import { checkBrowsePath } from '../engine/browse/list-dir';
import { FarmAddInputSchema, FarmNameSchema } from '../engine/farm/profile';
import { ModifyInputSchema, SubmitInputSchema } from '../engine/job-input';
import { FRAME_ACTIONS, type FrameAction } from '../engine/lifecycle/frame-actions';
import { WatchAllowSchema } from '../engine/settings';
import { MAX_LOG_SLICE } from '../engine/logs/read-log';
import { FRAME_NUMBER, PRIORITY, RETRIES, STALL_TIMEOUT_SEC, TASK_TIMEOUT_SEC, type Range } from '../engine/limits';

/**
 * The contract's inputs as zod schemas: main checks every command at the boundary, whatever the
 * transport, because a renderer (or a page that got hold of the token) is not trusted to send
 * well-formed input. Objects are strict so a misspelt field is an error, not silently ignored.
 */

const noNul = (s: string) => !s.includes('\0');
const jobId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const empty = z.object({}).strict();
const ids = z
  .object({
    ids: z.array(jobId).min(1, 'ids is empty').max(10_000, 'at most 10,000 ids at once'),
  })
  .strict();
const refresh = z.object({ refresh: z.boolean().optional() }).strict();
const whole = ({ min, max }: Range) => z.number().int().min(min).max(max);
const logBytes = z.number().int().min(0).max(MAX_LOG_SLICE, `at most ${MAX_LOG_SLICE} bytes in one read`);

const batchSource = z.union([
  z.object({ file: z.string().min(1, 'file is empty').max(4096).refine(noNul, 'file contains a NUL character') }).strict(),
  z
    .object({
      name: z.string().regex(/^[^/\\\0]{1,255}\.(ya?ml|json)$/i, 'name is a batch file name ending in .yaml, .yml or .json'),
      text: z.string().max(4_000_000, 'a batch file is at most 4 MB'),
    })
    .strict(),
]);

const defaults = z
  .object({
    retries: whole(RETRIES),
    stallTimeoutSec: whole(STALL_TIMEOUT_SEC).nullable(),
    taskTimeoutSec: whole(TASK_TIMEOUT_SEC).nullable(),
  })
  .strict();

const userExecutable = z
  .object({
    dcc: z.string().regex(/^[a-z0-9-]{1,32}$/, 'dcc is an adapter id like blender or command'),
    executable: z.string().min(1, 'executable is empty').max(4096).refine(noNul, 'executable contains a NUL character'),
  })
  .strict();

/** The compiler checks each schema's output against the contract's input type. */
type Schemas = { [C in CommandName]: z.ZodType<CommandInput<C>> };

export const COMMAND_INPUT_SCHEMAS = {
  'app.info': empty,
  'jobs.list': empty,
  // `frames: false`: tasks and attempts only; a view following frame events needs no 100,000 frames again.
  // `framesSince: R`: only the frames changed after revision R (the detail's framesRev), for a view that holds them.
  'jobs.get': z
    .object({
      id: jobId,
      frames: z.boolean({ message: 'frames is true or false' }).optional(),
      framesSince: z.number({ message: 'framesSince is a frame revision (a whole number)' }).int('framesSince is a whole number').nonnegative('framesSince is 0 or more').optional(),
    })
    .strict()
    .refine((v) => !(v.frames === false && v.framesSince !== undefined), { message: 'framesSince asks for frames, frames: false for none: not both', path: ['framesSince'] }),
  'jobs.submit': SubmitInputSchema,
  // `now`: stop running work at once; without it, right after the frame in progress is saved.
  'jobs.pause': ids.extend({ now: z.boolean({ message: 'now is true or false' }).optional() }).strict(),
  'jobs.resume': ids,
  'jobs.cancel': ids,
  'jobs.retry': ids,
  'jobs.duplicate': ids,
  'jobs.delete': ids,
  'jobs.modify': ModifyInputSchema.extend({ id: jobId }).strict(),
  'batch.plan': batchSource,
  'batch.submit': batchSource,
  'watch.list': empty,
  'watch.add': z
    .object({
      dir: z.string().min(1, 'dir is empty').max(4096).refine(noNul, 'dir contains a NUL character'),
      // Checked as a batch file's defaults by the engine (watch-folders.ts), which names the field.
      defaults: z.record(z.string(), z.unknown()),
      allow: WatchAllowSchema.optional(),
    })
    .strict(),
  'watch.remove': z.object({ dir: z.string().min(1, 'dir is empty').max(4096).refine(noNul, 'dir contains a NUL character') }).strict(),
  'jobs.setPriority': z.object({ id: jobId, priority: whole(PRIORITY) }).strict(),
  'frames.act': z
    .object({
      id: jobId,
      action: z.enum(FRAME_ACTIONS as [FrameAction, ...FrameAction[]], { message: `action is one of ${FRAME_ACTIONS.join(', ')}` }),
      // The frame set as typed (the engine parses it and names the column of a mistake).
      frames: z.string().trim().min(1, 'frames is empty').max(100_000, 'frames is at most 100,000 characters').refine(noNul, 'frames contains a NUL character'),
      preview: z.boolean({ message: 'preview is true or false' }).optional(),
    })
    .strict(),
  'jobs.clearFinished': z.object({ ids: ids.shape.ids.optional() }).strict(),
  'jobs.outputFolder': z.object({ id: jobId, open: z.boolean({ message: 'open is true or false' }).optional() }).strict(),
  'jobs.log': z
    .object({
      id: jobId,
      frame: whole(FRAME_NUMBER).optional(),
      attemptId: jobId.optional(),
      tail: logBytes.optional(),
      from: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
      limit: logBytes.optional(),
    })
    .strict()
    .refine((q) => q.from === undefined || q.attemptId !== undefined, { message: 'from reads one attempt: pass attemptId too', path: ['from'] })
    .refine((q) => q.from === undefined || q.tail === undefined, { message: 'pass tail or from, not both', path: ['tail'] }),
  'jobs.report': z
    .object({
      ids: z.array(jobId).min(1, 'ids is empty').max(10_000, 'at most 10,000 ids at once').optional(),
      since: z.number().int().min(0).max(8.64e15).optional(),
      format: z.enum(['md', 'json', 'html']),
    })
    .strict(),
  'scene.probe': z
    .object({
      scene: z.string().min(1, 'scene is empty').max(4096).refine(noNul, 'scene path contains a NUL character'),
      dcc: z.string().regex(/^[a-z0-9-]{1,32}$/, 'dcc is an adapter id like blender or command').optional(),
      quiet: z.boolean().optional(),
    })
    .strict(),
  'scene.warm': z.object({ dcc: z.string().regex(/^[a-z0-9-]{1,32}$/, 'dcc is an adapter id like blender or command').optional() }).strict(),
  'devices.get': refresh,
  'dccs.list': refresh,
  'dccs.registry': empty,
  'settings.get': empty,
  'settings.set': z
    .object({ defaults: defaults.optional(), userExecutables: z.array(userExecutable).max(100).optional() })
    .strict(),
  'dialog.openScene': empty,
  'dialog.openFolder': empty,
  'files.list': z
    .object({
      dir: z
        .string()
        .min(1, 'dir is empty')
        .max(4096)
        .refine(noNul, 'dir contains a NUL character')
        .superRefine((dir, ctx) => {
          const problem = checkBrowsePath(dir);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        })
        .optional(),
      hidden: z.boolean().optional(),
      quiet: z.boolean().optional(),
    })
    .strict(),
  'frames.image': z.object({ id: jobId, frame: whole(FRAME_NUMBER) }).strict(),
  'frames.reveal': z.object({ id: jobId, frame: whole(FRAME_NUMBER) }).strict(),
  'farms.list': empty,
  // The CLI's own schema (farm/profile.ts): one validation, the same messages in Settings and on the command line.
  'farms.add': FarmAddInputSchema,
  'farms.test': z.object({ name: FarmNameSchema }).strict(),
  'farms.remove': z.object({ name: FarmNameSchema }).strict(),
} satisfies Schemas;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMAND_INPUT_SCHEMAS, name);
}

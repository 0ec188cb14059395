import { z } from 'zod';
import type { CommandInput, CommandName } from '../../src-preload/contract';
import { SubmitInputSchema } from '../engine/job-input';
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
  'jobs.get': z.object({ id: jobId }).strict(),
  'jobs.submit': SubmitInputSchema,
  // `now`: stop running work at once; without it, right after the frame in progress is saved.
  'jobs.pause': ids.extend({ now: z.boolean({ message: 'now is true or false' }).optional() }).strict(),
  'jobs.resume': ids,
  'jobs.cancel': ids,
  'jobs.retry': ids,
  'jobs.duplicate': ids,
  'jobs.delete': ids,
  'jobs.setPriority': z.object({ id: jobId, priority: whole(PRIORITY) }).strict(),
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
    })
    .strict(),
  'devices.get': refresh,
  'dccs.list': refresh,
  'dccs.registry': empty,
  'settings.get': empty,
  'settings.set': z
    .object({ defaults: defaults.optional(), userExecutables: z.array(userExecutable).max(100).optional() })
    .strict(),
  'dialog.openScene': empty,
  'dialog.openFolder': empty,
  'frames.image': z.object({ id: jobId, frame: whole(FRAME_NUMBER) }).strict(),
  'frames.reveal': z.object({ id: jobId, frame: whole(FRAME_NUMBER) }).strict(),
} satisfies Schemas;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMAND_INPUT_SCHEMAS, name);
}

import type { z } from 'zod';
import type { CommandError } from '../../src-preload/contract';
import { InputError, NotFoundError } from '../engine/errors';
import { describeZodError } from '../engine/job-input';
import { DataDirLockedError } from '../engine/lock';
import { StoreError } from '../engine/store';

/** The field a zod error is about, for the UI to put the message beside the right input. */
export function zodError(error: z.ZodError): CommandError {
  const first = error.issues[0];
  const field = first && first.path.length > 0 ? first.path.map(String).join('.') : undefined;
  return { code: 'invalid', message: describeZodError(error), ...(field ? { field } : {}) };
}

/**
 * Maps whatever a command threw to what a UI may see. Only errors the engine raised on purpose
 * keep their message; anything else becomes one line, because a stack trace tells a user nothing
 * and can tell a hostile page about the machine.
 */
export function toCommandError(error: unknown): CommandError {
  if (error instanceof InputError) {
    const field = error.field !== 'input' ? error.field : /^([A-Za-z0-9_.[\]-]+): /.exec(error.message)?.[1];
    return { code: 'invalid', message: error.message, ...(field ? { field } : {}) };
  }
  if (error instanceof NotFoundError) return { code: 'not-found', message: error.message };
  if (error instanceof StoreError || error instanceof DataDirLockedError) return { code: 'unavailable', message: error.message };
  return { code: 'internal', message: `internal error: ${oneLine(error)}` };
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n', 1)[0]?.trim() || 'unknown failure';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

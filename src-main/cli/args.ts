import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../engine/errors';

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with errors a user can act on (exit 2), naming the flag. */
export function parse<T extends Options>(argv: string[], options: T, positionals = true) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: positionals, strict: true });
  } catch (error) {
    throw new InputError('input', (error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

export function intFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim())) throw new InputError(`--${name}`, `expected a whole number, got "${value}"`);
  return Number(value);
}

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../engine/errors';

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with errors a user can act on (exit 2), naming the flag. */
export function parse<T extends Options>(argv: string[], options: T, positionals = true) {
  try {
    return parseArgs({ args: attachNegativeValues(argv, options), options, allowPositionals: positionals, strict: true });
  } catch (error) {
    throw new InputError('input', (error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

/**
 * parseArgs refuses `--priority -5` and `--frames -10--1` as ambiguous (the value starts with a
 * dash), though priorities and frames are often negative. A value that starts with a dash and a
 * digit is a number, never a flag here: it is attached as `--priority=-5`.
 */
function attachNegativeValues(argv: string[], options: Options): string[] {
  const takesValue = (arg: string): boolean => {
    const long = /^--([^=]+)$/.exec(arg)?.[1];
    if (long !== undefined) return options[long]?.type === 'string';
    const short = /^-([^-])$/.exec(arg)?.[1];
    return short !== undefined && Object.values(options).some((o) => o.short === short && o.type === 'string');
  };
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    if (next !== undefined && /^-\d/.test(next) && takesValue(arg)) {
      out.push(arg.startsWith('--') ? `${arg}=${next}` : `${arg}${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

export function intFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim())) throw new InputError(`--${name}`, `expected a whole number, got "${value}"`);
  return Number(value);
}

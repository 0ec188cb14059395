import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * What a launch of the app asks for, read from its command line. Pure, so the single-instance
 * hand-over (a second launch passes its argv to the first) and tests use the same reading.
 */

/** Flags that take a value in the next word, so that value is not mistaken for a scene. */
const VALUE_FLAGS = new Set(['--data-dir', '--user-data-dir']);

/** The user's arguments: Electron's argv starts with the executable, plus the entry script when unpackaged. */
export function userArgs(argv: readonly string[], isDefaultApp: boolean): string[] {
  return argv.slice(isDefaultApp ? 2 : 1);
}

export function flagValue(args: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === flag) return args[i + 1];
    if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
  }
  return undefined;
}

/** `--data-dir`, else SPOOL_HOME, else null (the caller uses Electron's userData folder). */
export function dataDirArgument(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): string | null {
  const flag = flagValue(args, '--data-dir');
  if (flag) return path.resolve(cwd, flag);
  return env.SPOOL_HOME ? path.resolve(env.SPOOL_HOME) : null;
}

/** A scene file named on the command line (`Spool shot.blend`, or "Open with Spool"), made absolute. */
export function sceneArgument(args: readonly string[], cwd: string): string | null {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (VALUE_FLAGS.has(arg)) {
      i++;
      continue;
    }
    if (arg.startsWith('-')) continue;
    const file = path.resolve(cwd, arg);
    if (isFile(file)) return file;
  }
  return null;
}

function isFile(file: string): boolean {
  try {
    return existsSync(file) && statSync(file).isFile();
  } catch {
    return false;
  }
}

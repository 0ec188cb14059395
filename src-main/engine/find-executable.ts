import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Like `which`: the first executable file of that name on PATH (PATHEXT on Windows), or null.
 * Always Spool's own PATH for a program a job will run, never one a job's env sets (batch files
 * and watch folders could otherwise pick the program): `env` is for detection's own probes.
 */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  if (name.includes('/') || name.includes('\\')) return isExecutable(name) ? path.resolve(name) : null;
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of extensions) {
      const candidate = path.join(dir, name + ext);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return null;
}

export function isExecutable(file: string): boolean {
  try {
    // Most PATH entries lack the name: asking not to throw for that spares a stack trace each.
    if (!statSync(file, { throwIfNoEntry: false })?.isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

import fs from 'node:fs';

/** Why a child could not start, or its log could not be opened: what the user reads, and whose fault. */

export function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function errnoCode(failure: unknown): string | undefined {
  const err = failure as { code?: string; cause?: { code?: string } } | null;
  return err?.code ?? err?.cause?.code;
}

/** EMFILE (this process) or ENFILE (the whole system): Spool ran out of descriptors, the job did nothing wrong. */
export function isOutOfDescriptors(failure: unknown): boolean {
  const code = errnoCode(failure);
  return code === 'EMFILE' || code === 'ENFILE';
}

export function spawnFailureMessage(file: string, failure: unknown): string {
  const err = failure as { cause?: { message?: string }; message?: string } | null;
  const code = errnoCode(failure);
  switch (code) {
    case 'ENOENT':
      return `executable not found: ${file}`;
    case 'EACCES':
    case 'EPERM':
      return `not allowed to run ${file} (permission denied)`;
    case 'ENOEXEC':
      return `not a program this system can run: ${file}`;
    case 'E2BIG':
      return `command line too long for ${file}`;
    default:
      return `could not start ${file}: ${err?.cause?.message ?? err?.message ?? 'unknown error'}`;
  }
}

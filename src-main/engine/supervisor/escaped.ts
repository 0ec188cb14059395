import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';

/**
 * Processes that leave the child's process group (setsid, a double fork, a daemon) are out of
 * reach of a group kill, yet may hold our pipes, the GPU and the output files. Every child gets
 * a cookie in its environment, which its descendants inherit wherever they go; a sweep finds
 * them by it (Jenkins' ProcessTreeKiller does the same with BUILD_ID).
 *
 * What a sweep reaches, per OS:
 * - Linux: every process of this user whose initial environment (/proc/PID/environ) holds the
 *   cookie. A process that cleared its environment (`env -i`) or runs as another user is not seen.
 * - macOS and other POSIX: the same through `ps -E` (environments of this user's processes).
 * - Windows: nothing here; `taskkill /T` stops the tree of the child, and a grandchild whose
 *   parent already exited escapes (a Job Object would be needed).
 */
export const COOKIE_VAR = 'SPOOL_ATTEMPT_COOKIE';

export function newCookie(): string {
  return randomUUID();
}

/** Pids of live processes (not zombies, never ours) whose environment carries the cookie. */
export function processesWithCookie(cookie: string): number[] {
  const needle = `${COOKIE_VAR}=${cookie}`;
  if (process.platform === 'linux') return scanProc(Buffer.from(needle));
  if (process.platform === 'win32') return [];
  return scanPs(needle);
}

/** Signals every process carrying the cookie; returns how many were signaled. */
export function signalProcessesWithCookie(cookie: string, signal: NodeJS.Signals): number {
  let signaled = 0;
  for (const pid of processesWithCookie(cookie)) {
    try {
      process.kill(pid, signal);
      signaled++;
    } catch {
      // gone meanwhile, or not ours to signal
    }
  }
  return signaled;
}

function scanProc(needle: Buffer): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const found: number[] = [];
  const limit = Error.stackTraceLimit;
  // Most reads fail (other users' processes, processes gone meanwhile): their stacks cost the most.
  Error.stackTraceLimit = 0;
  try {
    for (const name of entries) {
      const first = name.charCodeAt(0);
      if (first < 48 || first > 57) continue;
      const pid = Number(name);
      if (pid === process.pid) continue;
      let environ: Buffer;
      try {
        environ = fs.readFileSync(`/proc/${name}/environ`);
      } catch {
        continue;
      }
      if (!hasEntry(environ, needle)) continue;
      if (!isZombieOnLinux(name)) found.push(pid);
    }
  } finally {
    Error.stackTraceLimit = limit;
  }
  return found;
}

/** The needle as a whole NUL-separated entry, not inside another variable's value. */
function hasEntry(environ: Buffer, needle: Buffer): boolean {
  for (let at = environ.indexOf(needle); at >= 0; at = environ.indexOf(needle, at + 1)) {
    const end = at + needle.length;
    if ((at === 0 || environ[at - 1] === 0) && (end === environ.length || environ[end] === 0)) return true;
  }
  return false;
}

function isZombieOnLinux(pid: string): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return true; // gone
  }
}

function scanPs(needle: string): number[] {
  let out: string;
  try {
    out = execFileSync('ps', ['-axwwE', '-o', 'pid=,command='], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const line of out.split('\n')) {
    if (!line.includes(needle)) continue;
    const pid = Number.parseInt(line.trim(), 10);
    if (Number.isSafeInteger(pid) && pid > 1 && pid !== process.pid) found.push(pid);
  }
  return found;
}

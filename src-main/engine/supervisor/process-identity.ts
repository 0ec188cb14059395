import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

// A pid alone is not an identity: after a crash or reboot the number may belong to
// someone else's process. pid + OS start time is, so nothing here kills on a pid alone.

const isWindows = process.platform === 'win32';

/** 0, 1, negatives and our own pid would turn a group kill into a kill of everything or of us. */
function isTargetablePid(pid: number): boolean {
  return Number.isSafeInteger(pid) && pid > 1 && pid !== process.pid;
}

function errorCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

/** Splits after the last ')': the command name may itself contain spaces and parentheses. */
function parseProcStat(stat: string): string[] | null {
  const close = stat.lastIndexOf(')');
  if (close < 0) return null;
  // Fields from 3 (state) on; field n is at index n - 3.
  return stat.slice(close + 2).trim().split(' ');
}

function readProcStat(pid: number): string[] | null {
  try {
    return parseProcStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * The OS start time of a live process, as an opaque string to compare later, or null
 * when it does not exist (or on Windows, where we cannot read it cheaply).
 * Linux: starttime in clock ticks since boot (/proc/<pid>/stat field 22).
 * macOS and other POSIX: `ps -o lstart=` (second resolution, fixed C locale).
 */
export function processStartTime(pid: number): string | null {
  if (!Number.isSafeInteger(pid) || pid <= 0 || isWindows) return null;
  if (process.platform === 'linux') {
    const fields = readProcStat(pid);
    return fields?.[22 - 3] ?? null;
  }
  try {
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, LC_ALL: 'C' },
      windowsHide: true,
    }).trim();
    return out === '' ? null : out;
  } catch {
    return null; // ps exits 1 when there is no such process
  }
}

/**
 * Linux: the process exited but its parent never reaped it (a hung or stopped parent, an init
 * that does not reap). It keeps its pid and start time, so isOwnProcess still says yes, yet it
 * runs nothing. Elsewhere: false.
 */
export function isZombie(pid: number): boolean {
  if (process.platform !== 'linux' || !Number.isSafeInteger(pid) || pid <= 0) return false;
  const state = readProcStat(pid)?.[0];
  return state === 'Z' || state === 'X';
}

/** True only when the process is alive and provably the one we started. */
export function isOwnProcess(pid: number, pidStart: string | null): boolean {
  if (pidStart === null || pidStart === '') return false;
  return processStartTime(pid) === pidStart;
}

/**
 * Signals the whole process group led by `pid` (Windows: `taskkill /T /F`, which has no
 * gentle mode, so any signal kills). Returns false when there was nothing to signal or
 * it is not ours to signal.
 */
export function killProcessGroup(pid: number, signal: NodeJS.Signals): boolean {
  if (!isTargetablePid(pid)) return false;
  if (isWindows) {
    try {
      execFileSync('taskkill', ['/PID', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
      return true;
    } catch {
      return false;
    }
  }
  const failure = signalFailure(-pid, signal);
  if (failure === null) return true;
  if (failure.code === 'ESRCH' || failure.code === 'EPERM') return false;
  throw failure.error;
}

/**
 * Whether any process of the group led by `pid` still runs. On Linux zombies do not
 * count: where PID 1 does not reap (some containers), orphaned zombies would keep a
 * dead group "alive" forever. Windows has no groups; the leader stands for it.
 */
export function isProcessGroupAlive(pid: number): boolean {
  if (!isTargetablePid(pid)) return false;
  const failure = signalFailure(isWindows ? pid : -pid, 0);
  // EPERM: it exists but belongs to someone else.
  if (failure !== null) return failure.code === 'EPERM';
  if (process.platform !== 'linux') return true;
  return hasLiveMemberOnLinux(pid);
}

/**
 * process.kill, answering the failure instead of throwing it. "No such process" is the usual
 * answer after every task, and the stack trace of the throw was most of the probe's cost.
 */
function signalFailure(target: number, signal: NodeJS.Signals | 0): { code: string | undefined; error: unknown } | null {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    process.kill(target, signal);
    return null;
  } catch (error) {
    return { code: errorCode(error), error };
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function hasLiveMemberOnLinux(pgid: number): boolean {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return true; // cannot tell: the signal-0 answer stands
  }
  const wanted = String(pgid);
  for (const name of entries) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    const fields = readProcStat(Number(name));
    // field 3 = state, field 5 = pgrp
    if (fields && fields[5 - 3] === wanted && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

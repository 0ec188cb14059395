import { closeSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { lockFile } from './paths';
import { isOwnProcess, isZombie, processStartTime } from './supervisor/process-identity';

export interface LockOwner {
  pid: number;
  pidStart: string | null;
  startedAt: number;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    super(`another Spool engine (pid ${owner.pid}) is already running on ${dataDir}; commands act on its queue`);
    this.name = 'DataDirLockedError';
  }
}

/** Reads who owns the data dir, if that owner is still alive. */
export function liveLockOwner(dataDir: string): LockOwner | null {
  const owner = readOwner(lockFile(dataDir));
  if (!owner) return null;
  return isLiveOwner(owner) ? owner : null;
}

/**
 * The owner still runs. A killed engine that nobody reaped is a zombie with its pid and start
 * time intact: it must not keep the data dir locked (and `submit --wait` waiting) forever.
 */
function isLiveOwner(owner: LockOwner): boolean {
  return isOwnProcess(owner.pid, owner.pidStart) && !isZombie(owner.pid);
}

function readOwner(file: string): LockOwner | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
  } catch {
    return null;
  }
}

/**
 * One engine per data dir. The lock file names its owner by pid and process start time, so a
 * lock left by a killed engine is recognised as stale (the pid is gone or was reused) and taken over.
 * The file is created with link(2), which is atomic: two engines starting together cannot both win.
 */
export function acquireDataDirLock(dataDir: string): { release(): void } {
  mkdirSync(dataDir, { recursive: true });
  const file = lockFile(dataDir);
  const me: LockOwner = { pid: process.pid, pidStart: processStartTime(process.pid), startedAt: Date.now() };
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const fd = openSync(temp, 'w');
  writeSync(fd, JSON.stringify(me));
  closeSync(fd);
  try {
    for (let tries = 0; tries < 2; tries++) {
      try {
        linkSync(temp, file);
        return { release: () => releaseIfMine(file, me) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = readOwner(file);
        if (owner && isLiveOwner(owner)) throw new DataDirLockedError(dataDir, owner);
        unlinkQuietly(file);
      }
    }
    throw new Error(`could not take the lock ${file}: another engine keeps recreating it`);
  } finally {
    unlinkQuietly(temp);
  }
}

function releaseIfMine(file: string, me: LockOwner): void {
  const owner = readOwner(file);
  if (owner && owner.pid === me.pid && owner.startedAt === me.startedAt) unlinkQuietly(file);
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

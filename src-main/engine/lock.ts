import { createHash, randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { lockFile } from './paths';
import { StoreError } from './store/store-error';
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

/** Engines starting together kept taking a stale lock from each other past the wait. */
export class LockContendedError extends Error {
  constructor(readonly file: string) {
    super(`could not take the lock ${file}: another engine keeps taking it over`);
    this.name = 'LockContendedError';
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
  const text = readText(file);
  return text === null ? null : parseOwner(text);
}

function parseOwner(text: string): LockOwner | null {
  try {
    const owner = JSON.parse(text) as LockOwner | null;
    return owner !== null && typeof owner === 'object' && typeof owner.pid === 'number' ? owner : null;
  } catch {
    return null;
  }
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** How long a start-up waits on another engine's takeover in progress before giving up. */
const TAKEOVER_WAIT_MS = 5000;

/**
 * One engine per data dir. The lock file names its owner by pid and process start time, so a
 * lock left by a killed engine is recognised as stale (the pid is gone or was reused) and taken over.
 * A free lock is created with link(2), which is atomic: two engines starting together cannot both
 * win. A stale one is replaced, never unlinked: see replaceStale.
 */
export function acquireDataDirLock(dataDir: string): { release(): void } {
  try {
    return acquire(dataDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EROFS' && code !== 'EACCES' && code !== 'EPERM') throw error;
    throw new StoreError(
      'read-only',
      `${dataDir} cannot be written (${code}): an engine (spool run, serve, submit --wait) needs a writable data dir. Commands that only read (spool jobs, show, logs, report) still work.`,
    );
  }
}

function acquire(dataDir: string): { release(): void } {
  mkdirSync(dataDir, { recursive: true });
  const file = lockFile(dataDir);
  const me: LockOwner = { pid: process.pid, pidStart: processStartTime(process.pid), startedAt: Date.now() };
  const mine = JSON.stringify(me);
  const deadline = Date.now() + TAKEOVER_WAIT_MS;
  for (;;) {
    if (create(file, mine)) return { release: () => releaseIfMine(file, me) };
    const current = readText(file);
    // Released between the two calls: try creating it again.
    if (current === null) continue;
    const owner = parseOwner(current);
    if (owner && isLiveOwner(owner)) throw new DataDirLockedError(dataDir, owner);
    if (replaceStale(file, current, mine)) return { release: () => releaseIfMine(file, me) };
    if (Date.now() > deadline) throw new LockContendedError(file);
    pause(2);
  }
}

/**
 * The file a takeover of `file` while it holds `stale` claims first. Racers that saw the same
 * stale content race for the same claim, so only one of them may replace it.
 */
export function takeoverClaim(file: string, stale: string): string {
  return `${file}.takeover-${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`;
}

/**
 * Replaces `file`, which held `stale` (a dead owner's content), with `mine`; false when another
 * engine got there first or is doing it now. Unlinking and relinking is racy: a slow racer that
 * read the same dead owner would unlink the winner's fresh lock and link its own, and two engines
 * would run. Here a racer must first win the claim for that stale content (created with link(2)),
 * then check the lock still holds it, then rename its own file over it (atomic, no gap where the
 * lock is missing). Nothing else writes a lock that holds a dead owner's content, so the check
 * cannot go stale before the rename. A claim left by an engine that died mid-takeover is itself a
 * stale file, taken over the same way.
 */
function replaceStale(file: string, stale: string, mine: string): boolean {
  const claim = takeoverClaim(file, stale);
  if (!create(claim, mine)) {
    const holder = readText(claim);
    if (holder === null) return false;
    const owner = parseOwner(holder);
    if (owner && isLiveOwner(owner)) return false;
    if (!replaceStale(claim, holder, mine)) return false;
  }
  try {
    if (readText(file) !== stale) return false;
    const temp = writeTemp(file, mine);
    try {
      renameSync(temp, file);
    } catch (error) {
      unlinkQuietly(temp);
      throw error;
    }
    return true;
  } finally {
    unlinkQuietly(claim);
  }
}

/** Creates `file` holding `content` unless it exists; the content is complete the moment it appears. */
function create(file: string, content: string): boolean {
  const temp = writeTemp(file, content);
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    unlinkQuietly(temp);
  }
}

function writeTemp(file: string, content: string): string {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const fd = openSync(temp, 'wx');
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return temp;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function pause(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
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

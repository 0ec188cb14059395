import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isOwnProcess, isZombie, processStartTime } from './supervisor/process-identity';

/**
 * Processes waiting on a data dir's jobs (`spool submit --wait`), one file each beside the engine
 * lock. An engine a waiter started reads them before it stops: it keeps rendering while another
 * live waiter still has jobs to finish, so a running render is never killed only to be restarted
 * by the next waiter. A file whose process is gone (pid + start time) is ignored and removed.
 */
export interface Waiter {
  pid: number;
  pidStart: string | null;
  jobIds: number[];
}

const waitersDir = (dataDir: string): string => path.join(dataDir, 'waiters');

export function registerWaiter(dataDir: string, jobIds: readonly number[]): { remove(): void } {
  const dir = waitersDir(dataDir);
  mkdirSync(dir, { recursive: true });
  const me: Waiter = { pid: process.pid, pidStart: processStartTime(process.pid), jobIds: [...jobIds] };
  const file = path.join(dir, `${process.pid}.json`);
  // Written whole under a temporary name: a reader never sees half a file.
  const temp = `${file}.tmp`;
  writeFileSync(temp, JSON.stringify(me));
  renameSync(temp, file);
  return { remove: () => unlinkQuietly(file) };
}

/** Every other process still waiting on this data dir. */
export function otherLiveWaiters(dataDir: string): Waiter[] {
  const dir = waitersDir(dataDir);
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => /^\d+\.json$/.test(name));
  } catch {
    return [];
  }
  const live: Waiter[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const waiter = readWaiter(file);
    if (waiter?.pid === process.pid) continue;
    if (waiter && isOwnProcess(waiter.pid, waiter.pidStart) && !isZombie(waiter.pid)) live.push(waiter);
    else if (waiter) unlinkQuietly(file);
  }
  return live;
}

function readWaiter(file: string): Waiter | null {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Waiter;
    return typeof value?.pid === 'number' && Array.isArray(value.jobIds) ? value : null;
  } catch {
    return null;
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

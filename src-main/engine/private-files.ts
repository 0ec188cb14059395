import { randomUUID } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { storeFile } from './paths';

/**
 * A data dir holds the queue (scene paths, command templates, environments) and every render's
 * log: other local users have no business reading it. The folder is 0700 and the store's files
 * 0600; an existing folder from an older Spool is tightened the next time it is opened. Windows
 * keeps its per-user ACLs on the app-data folder. Only what this user owns is changed, and a
 * folder that cannot be changed (read-only media) is left as it is: reading it must still work.
 */
export function makePrivateDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  restrict(dataDir, 0o700);
}

/** The store and the journal files SQLite keeps beside it (it gives new ones the store's mode). */
export function makeStorePrivate(dataDir: string): void {
  const store = storeFile(dataDir);
  for (const file of [store, `${store}-wal`, `${store}-shm`]) restrict(file, 0o600);
}

/**
 * Writes a secret whole or not at all, readable by this user only from its first byte: a fresh
 * 0600 file (the mode given at creation, then set exactly whatever the umask) renamed over the old.
 */
export function writePrivateFile(file: string, text: string): void {
  const fresh = `${file}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  try {
    const fd = openSync(fresh, 'wx', 0o600);
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    chmodSync(fresh, 0o600);
    renameSync(fresh, file);
  } catch (error) {
    rmSync(fresh, { force: true });
    throw error;
  }
}

function restrict(file: string, mode: number): void {
  if (process.platform === 'win32') return;
  try {
    const stat = statSync(file);
    if ((stat.mode & 0o777) === mode || stat.uid !== process.getuid?.()) return;
    chmodSync(file, mode);
  } catch {
    // Not there (yet), or not ours to change (a read-only data dir): nothing to tighten.
  }
}

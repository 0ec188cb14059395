import { existsSync } from 'node:fs';
import { liveLockOwner } from './lock';
import { storeFile } from './paths';
import { StoreError } from './store';

/** An engine this young may not have opened its store yet: its WAL need not exist. */
const OPENING_MS = 2000;

/**
 * While an engine runs, its connection keeps spool.db-wal and -shm in place: SQLite removes
 * them only when the last connection closes. When they are gone (deleted by hand, a cleaner),
 * the engine goes on writing into the deleted WAL while a new connection would start a new one:
 * each would miss the other's commits, and what the CLI queued would be lost when the engine
 * stopped. So another process refuses to open the store until the engine restarts; the engine's
 * own commits are written back into spool.db when it closes. Refusing, not recovering: nothing
 * outside the engine can reach the deleted WAL, and two WALs cannot be merged safely.
 */
export function refuseIfWalLost(dataDir: string): void {
  const file = storeFile(dataDir);
  if (!existsSync(file)) return;
  const owner = liveLockOwner(dataDir);
  if (!owner || Date.now() - owner.startedAt < OPENING_MS) return;
  const lost = [`${file}-wal`, `${file}-shm`].filter((f) => !existsSync(f));
  if (lost.length === 0) return;
  throw new StoreError(
    'wal-lost',
    `${lost.join(' and ')} ${lost.length === 1 ? 'was' : 'were'} deleted while the Spool engine (pid ${owner.pid}) runs: a change made now would be lost. ` +
      'Stop that engine (Ctrl-C in its terminal, or close the app or spool serve): it writes back what it holds. Then try again.',
  );
}

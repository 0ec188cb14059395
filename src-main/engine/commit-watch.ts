import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

/** Without file events (some network file systems) the engine still looks this often. */
export const FALLBACK_POLL_MS = 2000;

export interface CommitWatch {
  close(): void;
}

/**
 * Calls `onChange` soon after any process commits to the store in `dataDir`. A commit in WAL mode
 * writes `spool.db-wal` (and a checkpoint `spool.db`), so a watch on the folder hears it at once
 * where the OS reports file events (inotify, FSEvents, ReadDirectoryChangesW). It replaced a
 * 200 ms `PRAGMA data_version` poll that cost an idle engine about 0.3 % of a core; a slow poll
 * stays as the fallback. Bursts (a render writes a frame after each frame) are coalesced into one
 * call per event-loop turn; the caller's `data_version` check tells others' commits from its own.
 */
export function watchCommits(dataDir: string, storeFileName: string, onChange: () => void, fallbackMs = FALLBACK_POLL_MS): CommitWatch {
  let queued = false;
  const fire = (): void => {
    if (queued) return;
    queued = true;
    setImmediate(() => {
      queued = false;
      onChange();
    });
  };
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(dataDir, { persistent: false }, (_event, name) => {
      if (name === null || String(name).startsWith(path.basename(storeFileName))) fire();
    });
    // A watch that breaks (the folder removed, too many watches) leaves the fallback poll.
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = null;
  }
  const timer = setInterval(fire, fallbackMs);
  return {
    close() {
      watcher?.close();
      clearInterval(timer);
    },
  };
}

import { watch, type FSWatcher } from 'node:fs';

/** The seam fs.watch is reached through: tests inject the errors a real machine gives (ENOSPC, EMFILE). */
export type WatchFolder = (dir: string, changed: () => void) => Pick<FSWatcher, 'close' | 'on'>;

export const watchFolder: WatchFolder = (dir, changed) => watch(dir, changed);

export interface HandoffWatchesOptions {
  watchFolder?: WatchFolder;
  /** Reads what changed in one hand-off's folder; never called again for it before the last call settled. */
  read(subId: number): Promise<void>;
  /** A folder that cannot be watched (inotify's limits, too many open files): its hand-off is polled only. */
  fellBack(subId: number, dir: string, error: Error): void;
}

interface Watch {
  watcher: Pick<FSWatcher, 'close' | 'on'>;
  reading: boolean;
  /** It has told of a change: the farm's writes reach this machine's events (they never do from another NFS client). */
  seen: boolean;
  /** Something changed while a read ran: read once more after it. */
  again: boolean;
}

/**
 * One folder watch per hand-off whose farm writes to a folder here (Slurm's logs and exit files on
 * shared storage), so a `Saved:` line or an element's end is read the moment it lands instead of
 * at the next poll. Only a shortcut: where events never come (a remote write on NFS) or the watch
 * breaks, the poll still reads everything, so nothing depends on an event arriving.
 */
export class HandoffWatches {
  private readonly watches = new Map<number, Watch>();
  /** Hand-offs whose folder could not be watched: not tried again at every poll. */
  private readonly polledOnly = new Set<number>();

  constructor(private readonly options: HandoffWatchesOptions) {}

  /** Watches the hand-off's folder, unless it is watched already or could not be. */
  watch(subId: number, dir: string): void {
    if (this.watches.has(subId) || this.polledOnly.has(subId)) return;
    const fail = (error: Error): void => {
      this.unwatch(subId);
      this.polledOnly.add(subId);
      this.options.fellBack(subId, dir, error);
    };
    try {
      const entry: Watch = { watcher: (this.options.watchFolder ?? watchFolder)(dir, () => this.changed(subId)), reading: false, seen: false, again: false };
      this.watches.set(subId, entry);
      entry.watcher.on('error', fail);
    } catch (error) {
      fail(error as Error);
    }
  }

  /** True once the hand-off's watch has seen the farm write: its lines and ends are read as they land. */
  live(subId: number): boolean {
    return this.watches.get(subId)?.seen ?? false;
  }

  unwatch(subId: number): void {
    const entry = this.watches.get(subId);
    if (!entry) return;
    this.watches.delete(subId);
    entry.watcher.close();
  }

  close(): void {
    for (const subId of [...this.watches.keys()]) this.unwatch(subId);
    this.polledOnly.clear();
  }

  private changed(subId: number): void {
    const entry = this.watches.get(subId);
    if (!entry) return;
    entry.seen = true;
    if (entry.reading) {
      entry.again = true;
      return;
    }
    entry.reading = true;
    entry.again = false;
    // A read that fails (the folder gone for a moment) leaves it to the poll, which reports why.
    void this.options
      .read(subId)
      .catch(() => undefined)
      .finally(() => {
        entry.reading = false;
        if (entry.again) this.changed(subId);
      });
  }
}

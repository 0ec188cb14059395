import type { Db } from './database';

/** Files a watch folder queued (or refused), so each version of a file is queued once. */
export class WatchRepo {
  constructor(private readonly db: Db) {}

  seen(file: string, size: number, mtimeMs: number): boolean {
    return this.db.sql('SELECT 1 FROM watch_seen WHERE path = ? AND size = ? AND mtime_ms = ?').get(file, size, Math.floor(mtimeMs)) !== undefined;
  }

  markSeen(file: string, size: number, mtimeMs: number, jobIds: readonly number[], error: string | null): void {
    this.db
      .sql('INSERT OR REPLACE INTO watch_seen (path, size, mtime_ms, job_ids, error, seen_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(file, size, Math.floor(mtimeMs), JSON.stringify(jobIds), error, Date.now());
  }
}

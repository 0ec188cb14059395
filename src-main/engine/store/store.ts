import type Database from 'better-sqlite3';
import { Db } from './database';
import { FarmsRepo } from './farms';
import { JobsRepo } from './jobs';
import { openDatabase, openReadOnlyCopy } from './open-database';
import { QueueQueries } from './queue';
import { SceneStatsRepo } from './scene-stats';
import { SettingsRepo } from './settings';
import { Summaries } from './summaries';
import { WatchRepo } from './watch';
import { WorkRepo } from './work';

/**
 * The only code that reads or writes Spool's SQLite file, split by aggregate. Every state change
 * is one transaction applying a plan the lifecycle returned, so a crash leaves either the old
 * state or the new one, never half of each.
 */
export class Store {
  readonly jobs: JobsRepo;
  readonly work: WorkRepo;
  readonly summaries: Summaries;
  readonly queue: QueueQueries;
  readonly settings: SettingsRepo;
  readonly watch: WatchRepo;
  readonly sceneStats: SceneStatsRepo;
  readonly farms: FarmsRepo;
  private readonly db: Db;

  private constructor(handle: Database.Database) {
    this.db = new Db(handle);
    this.summaries = new Summaries(this.db);
    this.work = new WorkRepo(this.db, this.summaries);
    this.jobs = new JobsRepo(this.db, this.work, this.summaries);
    this.queue = new QueueQueries(this.db, this.jobs, this.work);
    this.settings = new SettingsRepo(this.db);
    this.watch = new WatchRepo(this.db);
    this.sceneStats = new SceneStatsRepo(this.db);
    this.farms = new FarmsRepo(this.db);
  }

  static open(file: string, options: { readonly?: boolean } = {}): Store {
    return new Store(openDatabase(file, options));
  }

  /** For reading a store in a folder Spool may not write (open-database.ts openReadOnlyCopy). */
  static openReadOnlyCopy(file: string): Store {
    return new Store(openReadOnlyCopy(file));
  }

  get file(): string {
    return this.db.file;
  }

  close(): void {
    this.db.handle.close();
  }

  /** Changes whenever another connection commits: a cheap way to notice CLI submissions. */
  dataVersion(): number {
    return this.db.handle.pragma('data_version', { simple: true }) as number;
  }

  integrityCheck(): string {
    return this.db.handle.pragma('integrity_check', { simple: true }) as string;
  }

  /**
   * SQLite opens a file it may not write (permissions, an immutable file, a read-only mount)
   * read-only without a word; every write then fails. Throws StoreError('read-only') up front.
   */
  assertWritable(): void {
    this.db.tx(() => this.db.sql('DELETE FROM settings WHERE 0').run());
  }

  /**
   * The raw connection, for tests and benchmarks that must see or break what no API shows
   * (pragmas, a seeded table, a corrupted row). Engine code never calls it.
   */
  rawHandleForTests(): Database.Database {
    return this.db.handle;
  }
}

import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { StoreError } from './store-error';

export { StoreError, type StoreErrorCode } from './store-error';

/**
 * Electron loads native modules built for its own ABI; plain Node (CLI, tests) uses the default
 * build. Both builds live side by side so neither has to be rebuilt to run the other.
 */
function nativeBinding(): string | undefined {
  const electronBuild = process.env.SPOOL_SQLITE_BINDING;
  if (process.versions.electron && electronBuild && existsSync(electronBuild)) return electronBuild;
  return undefined;
}

export function openDatabase(file: string, options: { readonly?: boolean } = {}): Database.Database {
  const readonly = options.readonly ?? false;
  let db: Database.Database;
  try {
    db = new Database(file, {
      readonly,
      fileMustExist: readonly,
      timeout: 5000,
      nativeBinding: nativeBinding(),
    });
  } catch (error) {
    throw translate(error, file);
  }
  try {
    // Before any pragma that writes: a newer Spool's store is refused exactly as it was found.
    refuseNewer(db, file);
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    migrate(db, file, readonly);
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    db.close();
    throw translate(error, file);
  }
}

function refuseNewer(db: Database.Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new StoreError(
      'newer-schema',
      `${file} was written by a newer Spool (schema ${version}; this one knows up to ${SCHEMA_VERSION}). Update Spool to open it; nothing was changed.`,
    );
  }
}

function migrate(db: Database.Database, file: string, readonly: boolean): void {
  if ((db.pragma('user_version', { simple: true }) as number) === SCHEMA_VERSION) return;
  if (readonly) throw new StoreError('read-only', `${file} needs an upgrade but was opened read-only.`);
  // A migration may rebuild a table; with foreign keys on, dropping the old one would cascade
  // to its children. They are off while migrating (a pragma a transaction cannot change) and
  // proven intact before each commit.
  db.pragma('foreign_keys = OFF');
  try {
    // The version is read again inside each write transaction: processes opening a fresh store
    // together (several `submit --wait`) must not run the same migration twice.
    while (db.transaction(() => migrateOnce(db, file)).immediate());
  } finally {
    db.pragma('foreign_keys = ON');
  }
}

/** Runs the next migration; false once the schema is current. */
function migrateOnce(db: Database.Database, file: string): boolean {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version >= SCHEMA_VERSION) {
    refuseNewer(db, file);
    return false;
  }
  db.exec(MIGRATIONS[version]!);
  const broken = db.pragma('foreign_key_check') as unknown[];
  if (broken.length > 0) throw new Error(`migration ${version + 1} left ${broken.length} broken references; nothing was changed`);
  db.pragma(`user_version = ${version + 1}`);
  return true;
}

/**
 * A store in a folder Spool may not write (a read-only mount, someone else's backup) cannot be
 * opened in place: SQLite must create the WAL index file beside it. It is read from a private
 * copy instead (the WAL folded in, the original never touched), opened read-only so that any
 * write is refused with a message naming the original.
 */
export function openReadOnlyCopy(file: string): Database.Database {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spool-read-only-'));
  const copy = path.join(dir, path.basename(file));
  try {
    copyFileSync(file, copy);
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
    const folding = new Database(copy, { timeout: 5000, nativeBinding: nativeBinding() });
    folding.pragma('journal_mode = DELETE');
    folding.close();
    const db = openDatabase(copy, { readonly: true });
    SHOWN_AS.set(copy, file);
    return db;
  } catch (error) {
    throw translate(error, file);
  } finally {
    // The open connection keeps the copy readable; nothing is left behind (POSIX). Windows keeps
    // an open file, so its temp folder goes with the OS's own cleanup.
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // still open on Windows
    }
  }
}

/** Copies opened by openReadOnlyCopy, by the file the user knows. */
const SHOWN_AS = new Map<string, string>();

/** A SQLite failure after the open (a write refused, a lock held past the timeout) as the StoreError a user can act on. */
export function asStoreError(error: unknown, file: string): Error {
  return translate(error, SHOWN_AS.get(file) ?? file);
}

function translate(error: unknown, file: string): Error {
  if (error instanceof StoreError) return error;
  const code = (error as { code?: string }).code ?? '';
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new StoreError(
      'corrupt',
      `${file} is damaged or is not a Spool database (${detail}). Spool leaves it untouched: move it aside to start a fresh store, or restore a backup.`,
    );
  }
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' && /read.?only/i.test(detail)) {
    return new StoreError('read-only', `${file} cannot be written (${detail}). Check the file's and its folder's permissions.`);
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new StoreError('busy', `${file} is locked by another process (${detail}). Close the other Spool and try again.`);
  }
  if (code === 'SQLITE_CANTOPEN') {
    return new StoreError('cannot-open', `cannot open ${file} (${detail}). Check that its folder exists and is writable.`);
  }
  return error instanceof Error ? error : new Error(detail);
}

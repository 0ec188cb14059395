import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, Store, StoreError } from './index';

describe('a store from a newer Spool', () => {
  it('is refused before any pragma changes it: its journal mode stays as the newer Spool left it', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'spool-newer-')), 'spool.db');
    // A newer Spool that keeps a rollback journal.
    const raw = new Database(file);
    raw.prepare('CREATE TABLE future (x)').run();
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = readFileSync(file);
    expect(() => Store.open(file)).toThrow(StoreError);
    expect(() => Store.open(file)).toThrow(/newer Spool .* nothing was changed/);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
  });
});

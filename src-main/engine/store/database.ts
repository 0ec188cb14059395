import type Database from 'better-sqlite3';
import { asStoreError } from './open-database';

export type Row = Record<string, unknown>;

/**
 * The store's one connection, shared by its repositories: prepared statements are cached per SQL
 * text, and every change runs as one IMMEDIATE transaction (nested calls join the outer one).
 */
export class Db {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly handle: Database.Database) {}

  get file(): string {
    return this.handle.name;
  }

  sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.handle.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  tx<T>(fn: () => T): T {
    if (this.handle.inTransaction) return fn();
    try {
      return this.handle.transaction(fn).immediate();
    } catch (error) {
      // A read-only file or a lock held too long is the user's to fix: a message, not a stack trace.
      throw asStoreError(error, this.handle.name);
    }
  }
}

/** `?, ?, ?` for an IN list of n values. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

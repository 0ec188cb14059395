import type { Db, Row } from './database';

/** Small JSON values by key. Typed keys with defaults and validation live in engine/settings.ts. */
export class SettingsRepo {
  constructor(private readonly db: Db) {}

  get(key: string): unknown {
    const row = this.db.sql('SELECT value FROM settings WHERE key = ?').get(key) as Row | undefined;
    return row ? (JSON.parse(row.value as string) as unknown) : null;
  }

  set(key: string, value: unknown): void {
    this.db.sql('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
  }
}

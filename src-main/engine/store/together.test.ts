import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openTempStore, seedJob } from '../../../test/helpers/store-seed';
import type { Store } from './store';

let store: Store | null = null;
let other: Database.Database | null = null;
afterEach(() => {
  other?.close();
  store?.close();
  other = store = null;
});

describe('the lines of one read, delivered together', () => {
  it('run as one transaction: what they write is seen by others only once all of it is written', () => {
    store = openTempStore('spool-together-');
    const job = seedJob(store, { framesText: '1-3', chunkSize: 3 });
    other = new Database(store.file, { readonly: true });
    const seenMidway: number[] = [];
    store.work.together(() => {
      store!.jobs.setPriority(job.id, 5);
      seenMidway.push((other!.prepare('SELECT priority FROM jobs WHERE id = ?').get(job.id) as { priority: number }).priority);
      store!.jobs.setPriority(job.id, 7);
    });
    expect(seenMidway).toEqual([0]);
    expect(store.jobs.get(job.id)?.priority).toBe(7);
  });

  it('are still delivered when no transaction can begin (another process holds the store past its wait)', () => {
    store = openTempStore('spool-together-');
    other = new Database(store.file);
    other.prepare('BEGIN IMMEDIATE').run();
    let delivered = 0;
    store.work.together(() => delivered++);
    expect(delivered).toBe(1);
    other.prepare('ROLLBACK').run();
  }, 20_000);
});

import Database from 'better-sqlite3';
import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/fake-dcc';
import { spool } from '../helpers/spool-cli';

/**
 * A page of the store goes bad while a queue waits in it (issue 15, finding 3). Before, the engine
 * said "task 1 of job 1 broke" once a second forever (or died with a stack), and `run --until-idle`
 * never ended. It must stop with one clear message that says how to recover, exit 2.
 */

const STACK_LINE = /^\s+at .+[:(]/m;

/** Overwrites the first page SQLite lists for `table` (found with dbstat) with garbage. */
function corruptFirstPageOf(dbFile: string, table: string): number {
  const db = new Database(dbFile);
  let page: number;
  let pageSize: number;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const row = db.prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno LIMIT 1").get(table) as { pageno: number };
    page = row.pageno;
    pageSize = db.pragma('page_size', { simple: true }) as number;
  } finally {
    db.close();
  }
  const fd = openSync(dbFile, 'r+');
  try {
    writeSync(fd, Buffer.alloc(pageSize, 0xab), 0, pageSize, (page - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
  return page;
}

describe('a damaged page in the store', () => {
  // attempts: the runner breaks on its first write; frames: the scheduler breaks reading the queue.
  it.each(['attempts', 'frames'])('in %s: `run --until-idle` stops with how to recover, exit 2, once', { timeout: 60_000 }, async (table) => {
    const data = path.join(tempDir('spool-damage-'), 'data');
    const submitted = await spool(data, ['submit', '--dcc', 'command', '--template', 'true', '--frames', '1-3000', '--chunk', '1000']);
    expect(submitted.code, submitted.stderr).toBe(0);
    const dbFile = path.join(data, 'spool.db');
    corruptFirstPageOf(dbFile, table);

    const run = await spool(data, ['run', '--until-idle'], { timeoutMs: 30_000 });
    expect(run.signal, run.stderr).toBeNull();
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`the store ${dbFile} is damaged`);
    expect(run.stderr).toContain(`sqlite3 ${dbFile} .recover | sqlite3 ${dbFile}.recovered`);
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.stderr.match(/broke/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });
});

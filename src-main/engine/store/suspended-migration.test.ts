import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { MIGRATIONS } from './migrations';
import { Store } from './store';

it("rebuilds the frames table for 'suspended', keeping every frame, its task and its indexes", () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'spool-suspended-')), 'spool.db');
  const before = MIGRATIONS.findIndex((sql) => sql.includes('CREATE TABLE frames_v8'));
  const old = new Database(file);
  for (const [i, sql] of MIGRATIONS.slice(0, before).entries()) {
    old.exec(sql);
    old.pragma(`user_version = ${i + 1}`);
  }
  const jobId = Number(
    old.prepare("INSERT INTO jobs (name, dcc, frames_text, frame_count, retries, device, overrides, created_at) VALUES ('a', 'command', '1-2', 2, 0, '{}', '{}', 0)").run().lastInsertRowid,
  );
  const taskId = Number(old.prepare("INSERT INTO tasks (job_id, idx, state) VALUES (?, 0, 'succeeded')").run(jobId).lastInsertRowid);
  old.prepare("INSERT INTO frames (job_id, frame, ord, task_id, state, output, render_ms, output_size, output_mtime_ms) VALUES (?, 1, 0, ?, 'done', '/o/1.png', 5, 10, 1.5)").run(jobId, taskId);
  old.prepare("INSERT INTO frames (job_id, frame, ord, task_id, state) VALUES (?, 2, 1, ?, 'failed')").run(jobId, taskId);
  expect(() => old.prepare("UPDATE frames SET state = 'suspended' WHERE frame = 2").run()).toThrow(/CHECK/);
  old.close();

  const store = Store.open(file);
  const raw = store.rawHandleForTests();
  expect(raw.prepare('SELECT frame, task_id, state, output, render_ms, output_size, output_mtime_ms FROM frames ORDER BY ord').all()).toEqual([
    { frame: 1, task_id: taskId, state: 'done', output: '/o/1.png', render_ms: 5, output_size: 10, output_mtime_ms: 1.5 },
    { frame: 2, task_id: taskId, state: 'failed', output: null, render_ms: null, output_size: null, output_mtime_ms: null },
  ]);
  expect((raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'frames' ORDER BY name").all() as { name: string }[]).map((r) => r.name)).toEqual(
    expect.arrayContaining(['frames_job_state', 'frames_task']),
  );
  raw.prepare("UPDATE frames SET state = 'suspended' WHERE frame = 2").run();
  // Deleting the job still takes its frames with it (the foreign key survived the rebuild).
  store.jobs.delete(jobId);
  expect(raw.prepare('SELECT COUNT(*) AS n FROM frames').get()).toEqual({ n: 0 });
  store.close();
});

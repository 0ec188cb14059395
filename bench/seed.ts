/**
 * Fills a data dir's store quickly for the benchmarks that need a big queue (ui, startup). Jobs go
 * in through Store.insertJobs, the engine's own path; only their finished state is written with
 * plain SQL, because living through 250,000 frames one render at a time would take hours.
 */
import { mkdirSync } from 'node:fs';
import { storeFile } from '../src-main/engine/paths';
import { Store } from '../src-main/engine/store';
import type { JobSpec } from '../src-main/engine/types';
import { commandJobSpec } from '../test/helpers/store-seed';

export interface SeedOptions {
  jobs: number;
  framesPerJob: number;
  chunk: number;
  /** Every how many jobs one is left paused (never runnable: the engine must not start renders). */
  pausedEvery?: number;
  /** Every how many jobs one failed. */
  failedEvery?: number;
}

/** A job of the generic command adapter running `true`: what the benchmarks store in bulk. */
export function noOpJobSpec(fields: Pick<JobSpec, 'name' | 'framesText' | 'chunkSize' | 'output' | 'priority'>): JobSpec {
  return commandJobSpec({ ...fields, retries: 2 });
}

export function seedStore(dataDir: string, opts: SeedOptions): { jobs: number; frames: number } {
  mkdirSync(dataDir, { recursive: true });
  const store = Store.open(storeFile(dataDir));
  try {
    const frames = Array.from({ length: opts.framesPerJob }, (_, i) => i + 1);
    const chunks: number[][] = [];
    for (let i = 0; i < frames.length; i += opts.chunk) chunks.push(frames.slice(i, i + opts.chunk));
    const spec = (i: number): JobSpec =>
      noOpJobSpec({
        name: `shot_${String(i).padStart(4, '0')}_lighting_v${(i % 7) + 1}`,
        framesText: `1-${opts.framesPerJob}`,
        chunkSize: opts.chunk,
        output: `/renders/shot_${String(i).padStart(4, '0')}/beauty_####.exr`,
        priority: i % 5 === 0 ? 10 : 0,
      });
    const BATCH = 500;
    for (let first = 1; first <= opts.jobs; first += BATCH) {
      const items = [];
      for (let i = first; i < Math.min(opts.jobs + 1, first + BATCH); i++) items.push({ spec: spec(i), frames, chunks });
      store.jobs.insertMany(items);
    }
    const db = store.rawHandleForTests();
    const t0 = Date.now() - opts.jobs * 60_000;
    db.transaction(() => {
      db.prepare(`UPDATE jobs SET created_at = ? + id * 60000, started_at = ? + id * 60000 + 1000, finished_at = ? + id * 60000 + 50000`).run(t0, t0, t0);
      db.prepare(`UPDATE tasks SET state = 'succeeded', started_at = ?, finished_at = ?`).run(t0, t0 + 1000);
      db.prepare(`UPDATE frames SET state = 'done', render_ms = 800 + (frame * 37) % 400, output = '/renders/f.exr'`).run();
      if (opts.failedEvery) {
        const failed = `SELECT id FROM jobs WHERE id % ${opts.failedEvery} = 1`;
        db.prepare(`UPDATE tasks SET state = 'failed', failures = 3, reason = 'exited with code 1 (after 3 attempts)' WHERE idx = 0 AND job_id IN (${failed})`).run();
        db.prepare(`UPDATE frames SET state = 'failed', reason = 'exited with code 1', render_ms = NULL WHERE task_id IN (SELECT id FROM tasks WHERE state = 'failed')`).run();
      }
      if (opts.pausedEvery) {
        const paused = `SELECT id FROM jobs WHERE id % ${opts.pausedEvery} = 0`;
        db.prepare(`UPDATE jobs SET intent = 'paused', finished_at = NULL WHERE id IN (${paused})`).run();
        db.prepare(`UPDATE tasks SET state = 'queued', started_at = NULL, finished_at = NULL WHERE idx >= 2 AND job_id IN (${paused})`).run();
        db.prepare(`UPDATE frames SET state = 'queued', render_ms = NULL, output = NULL WHERE task_id IN (SELECT id FROM tasks WHERE state = 'queued')`).run();
      }
    }).immediate();
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { jobs: opts.jobs, frames: opts.jobs * opts.framesPerJob };
  } finally {
    store.close();
  }
}

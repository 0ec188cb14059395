import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src-main/engine/store';
import { tempDir } from '../helpers/fake-dcc';
import { liveProcessesMentioning } from './support';
import { killHard, spool, startEngineProcess } from '../helpers/spool-cli';
import { waitFor } from '../helpers/wait';

/**
 * Many clients at once against one engine: 20 concurrent `spool submit` processes queue 1,000 jobs while
 * `spool run` is up. Every job must be stored once (none lost, none doubled), the queue must be
 * ordered by priority then submission, and the engine must render them in exactly that order.
 * A high-priority job that sleeps holds the CPU slot while the others arrive, so the whole
 * queue exists before anything else starts and the order it is rendered in is deterministic.
 */

const WORKERS = 20;
const PER_WORKER = 50;

/** Varied, repeating priorities (negative ones too), so both sort keys matter. */
const priorityOf = (worker: number): number => ((worker * 7) % 11) - 5;

interface JobRow {
  id: number;
  name: string;
  priority: number;
  created_at: number;
}

describe('load: 20 concurrent submitters, 1,000 jobs, one engine', () => {
  it('stores every job once, queues them by priority then submission, and renders them in that order', async () => {
    const dir = tempDir('spool-load-');
    const data = path.join(dir, 'data');
    const scenes = path.join(dir, 'scenes');
    mkdirSync(scenes);
    const engine = startEngineProcess(data);
    try {
      await waitFor('the engine', () => (/engine running/.test(engine.output()) ? true : undefined), 30_000);
      const blocker = await spool(data, ['submit', '--dcc', 'command', '--template', 'sleep 600', '--frames', '1', '--priority', '1000', '--name', 'blocker', '--json']);
      expect(blocker.code, blocker.stderr).toBe(0);
      const blockerId = (JSON.parse(blocker.stdout) as { id: number }).id;
      await waitFor('the blocker to run', async () => {
        const jobs = JSON.parse((await spool(data, ['jobs', '--json'])).stdout) as { status: string }[];
        return jobs[0]?.status === 'running' ? true : undefined;
      });

      const began = Date.now();
      const failures: string[] = [];
      // One process per submitter, 50 scenes each: the CLI queues them in one transaction.
      await Promise.all(
        Array.from({ length: WORKERS }, async (_, worker) => {
          const files = Array.from({ length: PER_WORKER }, (_, k) => {
            const file = path.join(scenes, `w${worker}-s${k}`);
            writeFileSync(file, '');
            return file;
          });
          const r = await spool(data, ['submit', '--dcc', 'command', '--template', 'true', '--frames', '1', '--priority', String(priorityOf(worker)), '--json', ...files], { timeoutMs: 120_000 });
          if (r.code !== 0) failures.push(`submitter ${worker}: exit ${r.code} ${r.stderr}`);
        }),
      );
      const submitMs = Date.now() - began;
      expect(failures).toEqual([]);

      const db = Store.open(path.join(data, 'spool.db'), { readonly: true });
      let queueOrder: number[];
      let jobs: JobRow[];
      try {
        jobs = db.rawHandleForTests().prepare('SELECT id, name, priority, created_at FROM jobs WHERE id != ? ORDER BY id').all(blockerId) as JobRow[];
        expect(jobs).toHaveLength(WORKERS * PER_WORKER);
        // None lost, none doubled: exactly the names submitted, each once, with its submitter's priority.
        const expectedNames = Array.from({ length: WORKERS }, (_, w) => Array.from({ length: PER_WORKER }, (_, k) => `w${w}-s${k}`)).flat();
        expect(jobs.map((j) => j.name).sort()).toEqual(expectedNames.sort());
        expect(new Set(jobs.map((j) => j.id)).size).toBe(jobs.length);
        for (const job of jobs) expect(job.priority).toBe(priorityOf(Number(/^w(\d+)-/.exec(job.name)![1])));
        // Submission time follows the ids; each submit was one transaction, so its ids are contiguous and in scene order.
        for (let i = 1; i < jobs.length; i++) expect(jobs[i]!.created_at).toBeGreaterThanOrEqual(jobs[i - 1]!.created_at);
        for (let w = 0; w < WORKERS; w++) {
          const ids = jobs.filter((j) => j.name.startsWith(`w${w}-`)).sort((a, b) => a.id - b.id);
          expect(ids.at(-1)!.id - ids[0]!.id).toBe(PER_WORKER - 1);
          expect(ids.map((j) => j.name)).toEqual(Array.from({ length: PER_WORKER }, (_, k) => `w${w}-s${k}`));
        }
        // The scheduler's queue: priority first, then the older job.
        queueOrder = db.queue.runnableTasks(Date.now(), 5000).map((r) => r.job.id);
        const expectedOrder = [...jobs].sort((a, b) => b.priority - a.priority || a.id - b.id).map((j) => j.id);
        expect(queueOrder).toEqual(expectedOrder);
      } finally {
        db.close();
      }

      // Release the CPU: the engine now renders all 1,000, one at a time, in queue order.
      const drainBegan = Date.now();
      expect((await spool(data, ['cancel', String(blockerId)])).code).toBe(0);
      await waitFor(
        'every job to finish',
        async () => {
          const listed = JSON.parse((await spool(data, ['jobs', '--json'])).stdout) as { status: string }[];
          return listed.every((j) => j.status === 'succeeded' || j.status === 'canceled') ? true : undefined;
        },
        400_000,
        2000,
      );
      const drainMs = Date.now() - drainBegan;

      const after = Store.open(path.join(data, 'spool.db'), { readonly: true });
      try {
        const summaries = after.summaries.listJobs().filter((j) => j.id !== blockerId);
        expect(summaries.filter((j) => j.status !== 'succeeded').map((j) => `${j.id} ${j.status} ${j.reason}`)).toEqual([]);
        const attempts = after.rawHandleForTests()
          .prepare('SELECT a.id AS attempt, t.job_id AS job FROM attempts a JOIN tasks t ON t.id = a.task_id WHERE t.job_id != ? ORDER BY a.id')
          .all(blockerId) as { attempt: number; job: number }[];
        // Each job rendered exactly once, in the order the queue promised.
        expect(attempts).toHaveLength(jobs.length);
        expect(attempts.map((a) => a.job)).toEqual(queueOrder);
      } finally {
        after.close();
      }
      console.log(
        `load: ${WORKERS} concurrent submit processes queued ${jobs.length} jobs in ${submitMs} ms; the engine rendered them in ${drainMs} ms`,
      );
    } finally {
      await killHard(engine);
    }
    expect(liveProcessesMentioning(data)).toEqual([]);
  }, 600_000);
});

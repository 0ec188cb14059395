import type { JobRecord, StepRecord, TaskRecord } from '../types';
import type { Db, Row } from './database';
import type { JobsRepo } from './jobs';
import { rowToJob, rowToTask } from './rows';
import type { WorkRepo } from './work';

export interface RunnableTask {
  task: TaskRecord;
  job: JobRecord;
}

export interface RunnableStep {
  step: StepRecord;
  job: JobRecord;
}

/** A job may run only when every job it waits for succeeded (the cached `outcome`, kept by Summaries.settle). */
const DEPS_CLEAR = `NOT EXISTS (SELECT 1 FROM job_deps d JOIN jobs p ON p.id = d.dep_id
  WHERE d.job_id = j.id AND (p.outcome IS NULL OR p.outcome != 'succeeded'))`;

/**
 * Unfinished jobs the user wants active, best first: a search of the jobs_live index, read in its
 * own order, that stops when the caller stops iterating (queue-scale.test.ts checks the plan).
 * INDEXED BY: jobs_queue also gives this order, but would step over every finished job.
 */
export const LIVE_JOBS = "SELECT * FROM jobs INDEXED BY jobs_live WHERE intent = 'active' AND finished_at IS NULL ORDER BY priority DESC, id";

export const PENDING_RENDER = "SELECT 1 FROM tasks WHERE role = 'render' AND state IN ('queued', 'waiting', 'running') AND job_id = ? LIMIT 1";
export const UNASSIGNED_FRAME = "SELECT 1 FROM frames WHERE task_id IS NULL AND job_id = ? AND state = 'queued' LIMIT 1";

/** The scheduler's questions: what may start now, and when to look again. */
export class QueueQueries {
  constructor(
    private readonly db: Db,
    private readonly jobs: JobsRepo,
    private readonly work: WorkRepo,
  ) {}

  /**
   * Render tasks that may start now, best first: higher priority, then older job, then task
   * order. Only jobs the user wants active; `waiting` tasks once their backoff has passed.
   * `perJob` caps how many of one job come back: the scheduler cannot start more of it than it
   * runs at once.
   */
  runnableTasks(now: number, limit: number, perJob: (job: JobRecord) => number = () => limit): RunnableTask[] {
    const result: RunnableTask[] = [];
    // Live jobs in scheduling order, from the jobs_live index (migration 5): finished jobs are
    // not visited and the walk stops once `limit` tasks are found, so the cost follows the few
    // jobs at the head of the queue, neither the history nor the length of the queue. Driving it
    // from every job with queued tasks instead cost a probe per queued job per pump: with 10,000
    // queued, dispatch fell from ~80 to ~9 no-op jobs a second.
    for (const row of this.db.sql(LIVE_JOBS).iterate() as IterableIterator<Row>) {
      if (result.length >= limit) break;
      if (!this.depsClear(row.id as number)) continue;
      const job = rowToJob(row);
      // Rows cost ~6 µs each to read: no more of one job than it could start at once.
      const want = Math.min(limit - result.length, Math.max(1, perJob(job)));
      // Within a job, ids grow with idx (insertRenderTasks is the only way render tasks are made),
      // so the index's rowid order is task order and LIMIT stops the walk early.
      const queued = this.db
        .sql("SELECT * FROM tasks WHERE role = 'render' AND state = 'queued' AND job_id = ? ORDER BY id LIMIT ?")
        .all(job.id, want) as Row[];
      const waiting = this.db
        .sql("SELECT * FROM tasks WHERE role = 'render' AND state = 'waiting' AND job_id = ? AND not_before <= ? ORDER BY id LIMIT ?")
        .all(job.id, now, want) as Row[];
      const rows = waiting.length === 0 ? queued : [...queued, ...waiting].sort((a, b) => (a.idx as number) - (b.idx as number));
      for (const task of rows.slice(0, want)) result.push({ task: rowToTask(task), job });
    }
    return result;
  }

  /**
   * Step tasks that may start now. A step depends on every render task of its job and on the
   * step before it: the job is active, every frame is done, and every earlier step succeeded.
   */
  runnableSteps(now: number, limit: number): RunnableStep[] {
    // The full query costs ~140 µs even over an empty table (IN lists, ORDER BY b-tree): an index
    // probe first, since most pumps, one per finished task, find no step at all.
    if (!this.db.sql("SELECT 1 FROM tasks WHERE role = 'step' AND state IN ('queued', 'waiting') LIMIT 1").get()) return [];
    // The IN lists (every state but the finished one) let each probe seek its index.
    const rows = this.db
      .sql(
        `SELECT s.id, s.job_id FROM tasks s CROSS JOIN jobs j ON j.id = s.job_id
         WHERE s.role = 'step' AND s.state IN ('queued', 'waiting') AND (s.state = 'queued' OR s.not_before <= ?) AND j.intent = 'active'
           AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.role = 'render' AND t.state IN ('queued','waiting','running','failed','canceled') AND t.job_id = j.id)
           AND NOT EXISTS (SELECT 1 FROM frames f WHERE f.job_id = j.id AND f.state IN ('queued','running','failed','canceled'))
           AND NOT EXISTS (SELECT 1 FROM tasks e WHERE e.role = 'step' AND e.job_id = s.job_id AND e.idx < s.idx AND e.state != 'succeeded')
         ORDER BY j.priority DESC, j.id, s.idx LIMIT ?`,
      )
      .all(now, limit) as Row[];
    return rows.map((row) => ({ step: this.work.getStep(row.id as number)!, job: this.jobs.get(row.job_id as number)! }));
  }

  /** Every job this one waits for succeeded (or it waits for none): one probe of job_deps' key. */
  private depsClear(jobId: number): boolean {
    return (this.db.sql(`SELECT ${DEPS_CLEAR} AS ok FROM (SELECT ? AS id) j`).get(jobId) as Row).ok === 1;
  }

  /** Earliest time a waiting task (render or step) becomes runnable, for the scheduler's timer. */
  nextWakeUp(): number | null {
    const row = this.db
      .sql(
        `SELECT MIN(t.not_before) AS t FROM tasks t JOIN jobs j ON j.id = t.job_id
         WHERE t.role = 'render' AND t.state = 'waiting' AND j.intent = 'active' AND ${DEPS_CLEAR}`,
      )
      .get() as Row;
    const step = this.db
      .sql("SELECT MIN(s.not_before) AS t FROM tasks s JOIN jobs j ON j.id = s.job_id WHERE s.role = 'step' AND s.state = 'waiting' AND j.intent = 'active'")
      .get() as Row;
    const times = [row.t, step.t].filter((t): t is number => typeof t === 'number');
    return times.length ? Math.min(...times) : null;
  }

  /**
   * Jobs at the head of the queue that need their next automatic chunks: active, free to run, no
   * render task queued, waiting or running, and frames not yet in any task. Walks live jobs in
   * order (jobs_live) and stops after `horizon` jobs that have work of either kind: the scheduler
   * starts no more than that per pump, and a job further back is chunked when it comes forward.
   * Each job costs two index probes; a query over every unassigned frame cost ~140 ms a pump with
   * 10,000 queued jobs of 20 frames.
   */
  jobsAwaitingChunks(horizon = 64): number[] {
    const ids: number[] = [];
    let withWork = 0;
    for (const row of this.db.sql(LIVE_JOBS).iterate() as IterableIterator<Row>) {
      if (withWork >= horizon) break;
      const id = row.id as number;
      if (!this.depsClear(id)) continue;
      if (this.db.sql(PENDING_RENDER).get(id)) {
        withWork++;
      } else if (this.db.sql(UNASSIGNED_FRAME).get(id)) {
        withWork++;
        ids.push(id);
      }
    }
    return ids;
  }
}

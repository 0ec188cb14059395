import type { JobRecord, StepRecord, TaskRecord, TaskState } from '../types';
import type { Db, Row } from './database';
import type { JobsRepo } from './jobs';
import { rowToTask } from './rows';
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
    // Driven from the tasks_state index, so the cost follows the work left, not the history: one
    // query over every task of every active job took milliseconds per pump with 5,000 finished jobs.
    const jobs: JobRecord[] = [];
    for (const jobId of this.jobsWithRendersIn(['queued', 'waiting'])) {
      const job = this.jobs.get(jobId);
      if (job?.intent === 'active' && this.depsClear(jobId)) jobs.push(job);
    }
    jobs.sort((a, b) => b.priority - a.priority || a.id - b.id);
    const result: RunnableTask[] = [];
    for (const job of jobs) {
      if (result.length >= limit) break;
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
      for (const row of rows.slice(0, want)) result.push({ task: rowToTask(row), job });
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

  /** Distinct jobs having render tasks in these states, by skipping along the index: O(jobs), not O(tasks). */
  private jobsWithRendersIn(states: readonly TaskState[]): Set<number> {
    const ids = new Set<number>();
    const next = this.db.sql("SELECT job_id FROM tasks WHERE role = 'render' AND state = ? AND job_id > ? ORDER BY job_id LIMIT 1");
    for (const state of states) {
      for (let row = next.get(state, 0) as Row | undefined; row; row = next.get(state, row.job_id) as Row | undefined) {
        ids.add(row.job_id as number);
      }
    }
    return ids;
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

  /** Active jobs whose frames still wait for automatic chunking. */
  jobsAwaitingChunks(): number[] {
    return (
      this.db
        .sql(
          `SELECT DISTINCT f.job_id FROM frames f JOIN jobs j ON j.id = f.job_id WHERE j.intent = 'active' AND f.task_id IS NULL AND f.state = 'queued' AND ${DEPS_CLEAR}`,
        )
        .all() as Row[]
    ).map((r) => r.job_id as number);
  }
}

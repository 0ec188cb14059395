import type Database from 'better-sqlite3';
import type {
  AttemptRecord,
  DeviceAssignment,
  FrameRecord,
  FrameState,
  JobDependency,
  JobIntent,
  JobRecord,
  JobSpec,
  JobStatus,
  JobSummary,
  StepCounts,
  StepRecord,
  StepState,
  TaskCounts,
  TaskRecord,
  TaskState,
} from '../types';
import { deriveJobStatus, FINAL_STATUSES, NO_STEPS, type DepGate } from './derive-status';
import { asStoreError, openDatabase } from './open-database';
import { rowToAttempt, rowToFrame, rowToJob, rowToStep, rowToTask, type Row } from './rows';

export type { JobSummary };

export interface RunnableTask {
  task: TaskRecord;
  job: JobRecord;
}

/** A frame checkpoint: done, with its verified file (null for programs that name none). */
export interface FrameDone {
  frame: number;
  output: string | null;
  renderMs: number | null;
}

export type TaskOutcome =
  | { kind: 'succeeded' }
  | { kind: 'failed'; reason: string }
  | { kind: 'retry'; reason: string; notBefore: number }
  | { kind: 'canceled'; reason: string }
  /** Back to the queue without counting as a failure (pause, engine shutdown). */
  | { kind: 'requeue' };

export type StepOutcome =
  | { kind: 'succeeded'; outputs: string[] }
  | { kind: 'failed'; reason: string }
  | { kind: 'retry'; reason: string; notBefore: number }
  | { kind: 'canceled'; reason: string }
  /** Back to pending without counting as a failure (pause, engine shutdown). */
  | { kind: 'requeue' };

/** A job to insert. `after`: the jobs it waits for, by id or by position in the same batch. */
export interface NewJob {
  spec: JobSpec;
  frames: readonly number[];
  chunks: readonly (readonly number[])[] | null;
  after?: readonly ({ id: number } | { index: number })[];
}

export interface RunnableStep {
  step: StepRecord;
  job: JobRecord;
}

export interface OpenStep {
  stepId: number;
  jobId: number;
  pid: number | null;
  pidStart: string | null;
}

/** A job may run only when every job it waits for succeeded (the cached `outcome`, kept by settleJobInTx). */
const DEPS_CLEAR = `NOT EXISTS (SELECT 1 FROM job_deps d JOIN jobs p ON p.id = d.dep_id
  WHERE d.job_id = j.id AND (p.outcome IS NULL OR p.outcome != 'succeeded'))`;

export interface OpenAttempt {
  attemptId: number;
  taskId: number;
  jobId: number;
  pid: number | null;
  pidStart: string | null;
}

const EMPTY_COUNTS: TaskCounts = { queued: 0, waiting: 0, running: 0, succeeded: 0, failed: 0, canceled: 0 };

interface DepRow {
  id: number;
  name: string;
  outcome: string | null;
}

/** Where a job's dependencies stand, and the reason shown while it waits or is blocked. */
function depGate(deps: readonly DepRow[]): { gate: DepGate; reason: string | null } {
  const bad = deps.find((d) => d.outcome !== null && d.outcome !== 'succeeded');
  if (bad) {
    const what = bad.outcome === 'blocked' ? 'is blocked' : bad.outcome === 'canceled' ? 'was canceled' : 'failed';
    return { gate: 'blocked', reason: `waiting for "${bad.name}" (job ${bad.id}), which ${what}` };
  }
  const open = deps.filter((d) => d.outcome === null);
  if (open.length === 0) return { gate: 'clear', reason: null };
  const names = open.map((d) => `"${d.name}"`);
  return { gate: 'waiting', reason: `waiting for ${names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ')}` };
}

/**
 * The only code that reads or writes Spool's SQLite file. Every state change is one transaction,
 * so a crash leaves either the old state or the new one, never half of each.
 */
export class Store {
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(db: Database.Database) {
    this.db = db;
  }

  static open(file: string, options: { readonly?: boolean } = {}): Store {
    return new Store(openDatabase(file, options));
  }

  close(): void {
    this.db.close();
  }

  /** Changes whenever another connection commits: a cheap way to notice CLI submissions. */
  dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }

  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  private tx<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (error) {
      // A read-only file or a lock held too long is the user's to fix: a message, not a stack trace.
      throw asStoreError(error, this.db.name);
    }
  }

  /**
   * SQLite opens a file it may not write (permissions, an immutable file, a read-only mount)
   * read-only without a word; every write then fails. Throws StoreError('read-only') up front.
   */
  assertWritable(): void {
    this.tx(() => this.sql('DELETE FROM settings WHERE 0').run());
  }

  // ---- jobs -------------------------------------------------------------------------------

  /**
   * Stores a job with its frames, and its tasks when the chunking is already known (`chunks`);
   * with `chunks` null the frames wait unassigned until the engine measures the scene.
   */
  insertJob(spec: JobSpec, frames: readonly number[], chunks: readonly (readonly number[])[] | null): JobRecord {
    return this.tx(() => this.insertJobInTx(spec, frames, chunks, Date.now()));
  }

  /**
   * Several jobs in one transaction: all are queued or none. `inTx` runs inside the same
   * transaction once they are in (a watch folder records the file it queued there).
   */
  insertJobs(items: readonly NewJob[], inTx?: (jobs: JobRecord[]) => void): JobRecord[] {
    return this.tx(() => {
      const now = Date.now();
      const jobs = items.map((item) => this.insertJobInTx(item.spec, item.frames, item.chunks, now));
      const addDep = this.sql('INSERT OR IGNORE INTO job_deps (job_id, dep_id) VALUES (?, ?)');
      items.forEach((item, i) => {
        for (const ref of item.after ?? []) {
          const depId = 'id' in ref ? ref.id : jobs[ref.index]!.id;
          if (depId === jobs[i]!.id) throw new Error(`job ${depId} cannot wait for itself`);
          if (!this.getJob(depId)) throw new Error(`no job ${depId} to wait for`);
          addDep.run(jobs[i]!.id, depId);
        }
      });
      inTx?.(jobs);
      return jobs;
    });
  }

  private insertJobInTx(
    spec: JobSpec,
    frames: readonly number[],
    chunks: readonly (readonly number[])[] | null,
    now: number,
  ): JobRecord {
    const info = this.sql(
      `INSERT INTO jobs (name, dcc, scene, frames_text, frame_count, chunk_size, output, priority, slots, retries,
         stall_timeout_s, task_timeout_s, device, overrides, tags, created_at)
       VALUES (@name, @dcc, @scene, @framesText, @frameCount, @chunkSize, @output, @priority, @slots, @retries,
         @stallTimeoutSec, @taskTimeoutSec, @device, @overrides, @tags, @createdAt)`,
    ).run({
      ...spec,
      frameCount: frames.length,
      device: JSON.stringify(spec.device),
      overrides: JSON.stringify(spec.overrides),
      tags: JSON.stringify(spec.tags ?? []),
      createdAt: now,
    });
    const jobId = Number(info.lastInsertRowid);
    const insertFrame = this.sql('INSERT INTO frames (job_id, frame, ord, state) VALUES (?, ?, ?, ?)');
    frames.forEach((frame, ord) => insertFrame.run(jobId, frame, ord, 'queued'));
    if (chunks) this.insertTasks(jobId, 0, chunks);
    const insertStep = this.sql("INSERT INTO steps (job_id, idx, kind, spec, state) VALUES (?, ?, ?, ?, 'pending')");
    (spec.steps ?? []).forEach((step, idx) => insertStep.run(jobId, idx, step.kind, JSON.stringify(step)));
    return this.getJob(jobId)!;
  }

  private insertTasks(jobId: number, firstIndex: number, chunks: readonly (readonly number[])[]): void {
    const insertTask = this.sql("INSERT INTO tasks (job_id, idx, state) VALUES (?, ?, 'queued')");
    const assign = this.sql('UPDATE frames SET task_id = ? WHERE job_id = ? AND frame = ?');
    chunks.forEach((chunk, i) => {
      const taskId = Number(insertTask.run(jobId, firstIndex + i).lastInsertRowid);
      for (const frame of chunk) assign.run(taskId, jobId, frame);
    });
  }

  /** Turns frames still without a task into tasks (automatic chunking, once measured). */
  compileTasks(jobId: number, chunks: readonly (readonly number[])[]): void {
    this.tx(() => {
      const row = this.sql('SELECT COALESCE(MAX(idx) + 1, 0) AS next FROM tasks WHERE job_id = ?').get(jobId) as Row;
      this.insertTasks(jobId, row.next as number, chunks);
    });
  }

  unassignedFrames(jobId: number): number[] {
    return (
      this.sql("SELECT frame FROM frames WHERE job_id = ? AND task_id IS NULL AND state = 'queued' ORDER BY ord").all(
        jobId,
      ) as Row[]
    ).map((r) => r.frame as number);
  }

  getJob(id: number): JobRecord | null {
    const row = this.sql('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
    return row ? rowToJob(row) : null;
  }

  /** By numeric id, or by name when exactly one job has it (the newest wins on ties). */
  findJob(ref: string): JobRecord | null {
    if (/^\d+$/.test(ref.trim())) {
      const byId = this.getJob(Number(ref));
      if (byId) return byId;
    }
    const row = this.sql('SELECT * FROM jobs WHERE name = ? ORDER BY id DESC LIMIT 1').get(ref) as Row | undefined;
    return row ? rowToJob(row) : null;
  }

  summarize(job: JobRecord): JobSummary {
    const tasks = { ...EMPTY_COUNTS };
    for (const row of this.sql('SELECT state, COUNT(*) AS n FROM tasks WHERE job_id = ? GROUP BY state').all(job.id) as Row[]) {
      tasks[row.state as TaskState] = row.n as number;
    }
    const frames = this.frameCounts(job.id);
    const unassigned = (
      this.sql("SELECT COUNT(*) AS n FROM frames WHERE job_id = ? AND task_id IS NULL AND state = 'queued'").get(job.id) as Row
    ).n as number;
    const steps = { ...NO_STEPS };
    for (const row of this.sql('SELECT state, COUNT(*) AS n FROM steps WHERE job_id = ? GROUP BY state').all(job.id) as Row[]) {
      steps[row.state as StepState] = row.n as number;
    }
    const deps = depGate(this.sql(DEPS_OF).all(job.id) as DepRow[]);
    const status = deriveJobStatus(job.intent, tasks, unassigned, job.startedAt !== null, steps, deps.gate);
    const taskReason = status === 'failed' || status === 'canceled' || tasks.failed > 0 ? this.jobReason(job.id) : null;
    const stepReason = steps.failed + steps.canceled + steps.waiting > 0 ? this.stepReason(job.id) : null;
    return {
      ...job,
      status,
      reason: pickReason(status, taskReason, stepReason, deps.reason),
      framesDone: frames.done,
      framesFailed: frames.failed,
      framesRunning: frames.running,
      tasks,
    };
  }

  /**
   * The derived status alone, from index lookups rather than counts: it runs in every task's
   * finishing transaction, where counting a 10,000-task job each time made dispatch quadratic.
   * deriveJobStatus only tells none from some (and all-succeeded from mixed), so 0/1 presence
   * flags give the same status that summarize's full counts do.
   */
  private statusOf(job: JobRecord): JobStatus {
    const has = this.sql(
      `SELECT
         EXISTS(SELECT 1 FROM tasks WHERE state = 'queued' AND job_id = @id) AS queued,
         EXISTS(SELECT 1 FROM tasks WHERE state = 'waiting' AND job_id = @id) AS waiting,
         EXISTS(SELECT 1 FROM tasks WHERE state = 'running' AND job_id = @id) AS running,
         EXISTS(SELECT 1 FROM tasks WHERE state = 'succeeded' AND job_id = @id) AS succeeded,
         EXISTS(SELECT 1 FROM tasks WHERE state = 'failed' AND job_id = @id) AS failed,
         EXISTS(SELECT 1 FROM tasks WHERE state = 'canceled' AND job_id = @id) AS canceled,
         EXISTS(SELECT 1 FROM frames WHERE task_id IS NULL AND job_id = @id AND state = 'queued') AS unassigned,
         EXISTS(SELECT 1 FROM steps WHERE job_id = @id) AS hasSteps`,
    ).get({ id: job.id }) as Record<TaskState | 'unassigned' | 'hasSteps', number>;
    const tasks: TaskCounts = {
      queued: has.queued,
      waiting: has.waiting,
      running: has.running,
      succeeded: has.succeeded,
      failed: has.failed,
      canceled: has.canceled,
    };
    let steps = NO_STEPS;
    if (has.hasSteps) {
      steps = { ...NO_STEPS };
      for (const row of this.sql('SELECT state, COUNT(*) AS n FROM steps WHERE job_id = ? GROUP BY state').all(job.id) as Row[]) {
        steps[row.state as StepState] = row.n as number;
      }
    }
    const deps = depGate(this.sql(DEPS_OF).all(job.id) as DepRow[]).gate;
    return deriveJobStatus(job.intent, tasks, has.unassigned, job.startedAt !== null, steps, deps);
  }

  private frameCounts(jobId: number): Record<FrameState, number> {
    const counts: Record<FrameState, number> = { queued: 0, running: 0, done: 0, failed: 0, canceled: 0 };
    for (const row of this.sql('SELECT state, COUNT(*) AS n FROM frames WHERE job_id = ? GROUP BY state').all(jobId) as Row[]) {
      counts[row.state as FrameState] = row.n as number;
    }
    return counts;
  }

  private stepReason(jobId: number): string | null {
    const row = this.sql(
      "SELECT kind, reason FROM steps WHERE job_id = ? AND state IN ('failed','canceled','waiting') AND reason IS NOT NULL ORDER BY idx LIMIT 1",
    ).get(jobId) as Row | undefined;
    return row ? `${row.kind as string} step: ${row.reason as string}` : null;
  }

  private jobReason(jobId: number): string | null {
    const row = this.sql(
      "SELECT reason FROM tasks WHERE job_id = ? AND state IN ('failed','canceled') AND reason IS NOT NULL ORDER BY finished_at DESC, idx LIMIT 1",
    ).get(jobId) as Row | undefined;
    return (row?.reason as string | undefined) ?? null;
  }

  /** Every job, newest last, with derived status: one pass over each table, not one per job. */
  listJobs(): JobSummary[] {
    const jobs = (this.sql('SELECT * FROM jobs ORDER BY id').all() as Row[]).map(rowToJob);
    const taskCounts = new Map<number, TaskCounts>();
    for (const row of this.sql('SELECT job_id, state, COUNT(*) AS n FROM tasks GROUP BY job_id, state').all() as Row[]) {
      const id = row.job_id as number;
      const counts = taskCounts.get(id) ?? { ...EMPTY_COUNTS };
      counts[row.state as TaskState] = row.n as number;
      taskCounts.set(id, counts);
    }
    // Counted from the (job_id, state) index and the unassigned few in frames_task: reading every
    // frame row for the same sums took 2.4x as long (250,000 frames: 85 ms against 36 ms).
    const frameCounts = new Map<number, { done: number; failed: number; running: number; unassigned: number }>();
    const countsOf = (jobId: number) => {
      let counts = frameCounts.get(jobId);
      if (!counts) frameCounts.set(jobId, (counts = { done: 0, failed: 0, running: 0, unassigned: 0 }));
      return counts;
    };
    for (const row of this.sql('SELECT job_id, state, COUNT(*) AS n FROM frames GROUP BY job_id, state').all() as Row[]) {
      const state = row.state as FrameState;
      if (state === 'done' || state === 'failed' || state === 'running') countsOf(row.job_id as number)[state] = row.n as number;
    }
    for (const row of this.sql(
      "SELECT job_id, COUNT(*) AS n FROM frames WHERE task_id IS NULL AND state = 'queued' GROUP BY job_id",
    ).all() as Row[]) {
      countsOf(row.job_id as number).unassigned = row.n as number;
    }
    const reasons = new Map<number, string>();
    for (const row of this.sql(
      "SELECT job_id, reason FROM tasks WHERE state IN ('failed','canceled') AND reason IS NOT NULL ORDER BY finished_at",
    ).all() as Row[]) {
      reasons.set(row.job_id as number, row.reason as string);
    }
    const stepCounts = new Map<number, StepCounts>();
    for (const row of this.sql('SELECT job_id, state, COUNT(*) AS n FROM steps GROUP BY job_id, state').all() as Row[]) {
      const id = row.job_id as number;
      const counts = stepCounts.get(id) ?? { ...NO_STEPS };
      counts[row.state as StepState] = row.n as number;
      stepCounts.set(id, counts);
    }
    const stepReasons = new Map<number, string>();
    for (const row of this.sql(
      "SELECT job_id, kind, reason FROM steps WHERE state IN ('failed','canceled','waiting') AND reason IS NOT NULL ORDER BY idx DESC",
    ).all() as Row[]) {
      stepReasons.set(row.job_id as number, `${row.kind as string} step: ${row.reason as string}`);
    }
    const depsOf = new Map<number, DepRow[]>();
    for (const row of this.sql(
      'SELECT d.job_id, p.id, p.name, p.outcome FROM job_deps d JOIN jobs p ON p.id = d.dep_id ORDER BY p.id',
    ).all() as Row[]) {
      const list = depsOf.get(row.job_id as number) ?? [];
      list.push({ id: row.id as number, name: row.name as string, outcome: (row.outcome as string | null) ?? null });
      depsOf.set(row.job_id as number, list);
    }
    return jobs.map((job) => {
      const tasks = taskCounts.get(job.id) ?? { ...EMPTY_COUNTS };
      const frames = frameCounts.get(job.id) ?? { done: 0, failed: 0, running: 0, unassigned: 0 };
      const steps = stepCounts.get(job.id) ?? NO_STEPS;
      const deps = depGate(depsOf.get(job.id) ?? []);
      const status = deriveJobStatus(job.intent, tasks, frames.unassigned, job.startedAt !== null, steps, deps.gate);
      return {
        ...job,
        status,
        reason: pickReason(status, reasons.get(job.id) ?? null, stepReasons.get(job.id) ?? null, deps.reason),
        framesDone: frames.done,
        framesFailed: frames.failed,
        framesRunning: frames.running,
        tasks,
      };
    });
  }

  /**
   * Pause, resume or cancel. Cancel settles what is not running at once; running tasks are the
   * engine's to stop (it notices the intent and kills their children).
   */
  setIntent(jobId: number, intent: JobIntent): void {
    this.tx(() => {
      this.sql('UPDATE jobs SET intent = ? WHERE id = ?').run(intent, jobId);
      if (intent === 'canceled') {
        const now = Date.now();
        this.sql(
          "UPDATE tasks SET state = 'canceled', reason = 'canceled by user', finished_at = ? WHERE job_id = ? AND state IN ('queued','waiting')",
        ).run(now, jobId);
        this.sql(
          "UPDATE frames SET state = 'canceled', reason = 'canceled by user' WHERE job_id = ? AND state = 'queued'",
        ).run(jobId);
        this.sql(
          "UPDATE steps SET state = 'canceled', reason = 'canceled by user', finished_at = ? WHERE job_id = ? AND state IN ('pending','waiting')",
        ).run(now, jobId);
      }
      this.settleJobInTx(jobId, Date.now());
    });
  }

  /** Queues again every frame of the job that is not done; done frames stay done. */
  retryJob(jobId: number): void {
    this.tx(() => {
      this.sql('UPDATE jobs SET intent = ?, finished_at = NULL WHERE id = ?').run('active', jobId);
      this.sql(
        "UPDATE tasks SET state = 'queued', failures = 0, not_before = NULL, reason = NULL, finished_at = NULL WHERE job_id = ? AND state IN ('failed','canceled','waiting')",
      ).run(jobId);
      this.sql(
        "UPDATE frames SET state = 'queued', reason = NULL WHERE job_id = ? AND state IN ('failed','canceled')",
      ).run(jobId);
      // Failed steps run again; the frames they need stay done and are not rendered again.
      this.sql(
        "UPDATE steps SET state = 'pending', failures = 0, not_before = NULL, reason = NULL, finished_at = NULL WHERE job_id = ? AND state IN ('failed','canceled','waiting')",
      ).run(jobId);
      this.settleJobInTx(jobId, Date.now());
    });
  }

  deleteJob(jobId: number): void {
    this.tx(() => {
      this.sql('DELETE FROM jobs WHERE id = ?').run(jobId);
    });
  }

  setPriority(jobId: number, priority: number): void {
    this.tx(() => {
      this.sql('UPDATE jobs SET priority = ? WHERE id = ?').run(priority, jobId);
    });
  }

  /** Writes finished_at when the derived status is final, clears it when the job is live again. */
  settleJob(jobId: number): JobStatus | null {
    return this.tx(() => this.settleJobInTx(jobId, Date.now()));
  }

  /**
   * Also caches the outcome that jobs waiting for this one read (runnableTasks excludes them in
   * SQL); when it changes, those jobs are settled too, so a failure blocks the whole chain and a
   * retry unblocks it.
   */
  private settleJobInTx(jobId: number, now: number): JobStatus | null {
    const job = this.getJob(jobId);
    if (!job) return null;
    const status = this.statusOf(job);
    const final = FINAL_STATUSES.includes(status);
    if (final && job.finishedAt === null) this.sql('UPDATE jobs SET finished_at = ? WHERE id = ?').run(now, jobId);
    if (!final && job.finishedAt !== null) this.sql('UPDATE jobs SET finished_at = NULL WHERE id = ?').run(jobId);
    const outcome = final || status === 'blocked' ? status : null;
    const before = ((this.sql('SELECT outcome FROM jobs WHERE id = ?').get(jobId) as Row).outcome as string | null) ?? null;
    if (outcome !== before) {
      this.sql('UPDATE jobs SET outcome = ? WHERE id = ?').run(outcome, jobId);
      for (const dependent of this.dependentsOf(jobId)) this.settleJobInTx(dependent, now);
    }
    return status;
  }

  // ---- dependencies -------------------------------------------------------------------------

  /** The jobs this one waits for, with their status now. */
  depsOf(jobId: number): JobDependency[] {
    return (this.sql(DEPS_OF).all(jobId) as DepRow[]).map((d) => ({
      id: d.id,
      name: d.name,
      status: this.statusOf(this.getJob(d.id)!),
    }));
  }

  /** Jobs that wait for this one (directly). */
  dependentsOf(jobId: number): number[] {
    return (this.sql('SELECT job_id FROM job_deps WHERE dep_id = ? ORDER BY job_id').all(jobId) as Row[]).map((r) => r.job_id as number);
  }

  // ---- tasks, frames, attempts ----------------------------------------------------------------

  tasksOf(jobId: number): TaskRecord[] {
    return (this.sql('SELECT * FROM tasks WHERE job_id = ? ORDER BY idx').all(jobId) as Row[]).map(rowToTask);
  }

  getTask(taskId: number): TaskRecord | null {
    const row = this.sql('SELECT * FROM tasks WHERE id = ?').get(taskId) as Row | undefined;
    return row ? rowToTask(row) : null;
  }

  framesOf(jobId: number): FrameRecord[] {
    return (this.sql('SELECT * FROM frames WHERE job_id = ? ORDER BY ord').all(jobId) as Row[]).map(rowToFrame);
  }

  /** Lowest and highest frame of a job: some DCCs time an animation over the whole range. */
  frameBounds(jobId: number): { first: number; last: number } {
    // Two ends of the primary key, not MIN/MAX: SQLite answered those by scanning all the job's frames, once per task.
    const row = this.sql(
      `SELECT (SELECT frame FROM frames WHERE job_id = @id ORDER BY frame LIMIT 1) AS first,
              (SELECT frame FROM frames WHERE job_id = @id ORDER BY frame DESC LIMIT 1) AS last`,
    ).get({ id: jobId }) as Row;
    return { first: row.first as number, last: row.last as number };
  }

  /** The frames a task still has to render, in render order. */
  pendingFramesOf(taskId: number): number[] {
    return (
      this.sql("SELECT frame FROM frames WHERE task_id = ? AND state != 'done' ORDER BY ord").all(taskId) as Row[]
    ).map((r) => r.frame as number);
  }

  attemptsOfJob(jobId: number): AttemptRecord[] {
    return (
      this.sql(
        'SELECT a.* FROM attempts a JOIN tasks t ON t.id = a.task_id WHERE t.job_id = ? ORDER BY a.id',
      ).all(jobId) as Row[]
    ).map(rowToAttempt);
  }

  getAttempt(attemptId: number): AttemptRecord | null {
    const row = this.sql('SELECT * FROM attempts WHERE id = ?').get(attemptId) as Row | undefined;
    return row ? rowToAttempt(row) : null;
  }

  /**
   * Tasks that may start now, best first: higher priority, then older job, then task order.
   * Only jobs the user wants active; `waiting` tasks once their backoff has passed. `perJob` caps
   * how many of one job come back: the scheduler cannot start more of it than it runs at once.
   */
  runnableTasks(now: number, limit: number, perJob: (job: JobRecord) => number = () => limit): RunnableTask[] {
    // Driven from the tasks_state index, so the cost follows the work left, not the history: one
    // query over every task of every active job took milliseconds per pump with 5,000 finished jobs.
    const jobs: JobRecord[] = [];
    for (const jobId of this.jobsWithTasksIn(['queued', 'waiting'])) {
      const job = this.getJob(jobId);
      if (job?.intent === 'active' && this.depsClear(jobId)) jobs.push(job);
    }
    jobs.sort((a, b) => b.priority - a.priority || a.id - b.id);
    const result: RunnableTask[] = [];
    for (const job of jobs) {
      if (result.length >= limit) break;
      // Rows cost ~6 µs each to read: no more of one job than it could start at once.
      const want = Math.min(limit - result.length, Math.max(1, perJob(job)));
      // Within a job, ids grow with idx (insertTasks is the only way tasks are made), so the
      // index's rowid order is task order and LIMIT stops the walk early.
      const queued = this.sql("SELECT * FROM tasks WHERE state = 'queued' AND job_id = ? ORDER BY id LIMIT ?").all(job.id, want) as Row[];
      const waiting = this.sql(
        "SELECT * FROM tasks WHERE state = 'waiting' AND job_id = ? AND not_before <= ? ORDER BY id LIMIT ?",
      ).all(job.id, now, want) as Row[];
      const rows = waiting.length === 0 ? queued : [...queued, ...waiting].sort((a, b) => (a.idx as number) - (b.idx as number));
      for (const row of rows.slice(0, want)) result.push({ task: rowToTask(row), job });
    }
    return result;
  }

  /** Every job this one waits for succeeded (or it waits for none): one probe of job_deps' key. */
  private depsClear(jobId: number): boolean {
    return (this.sql(`SELECT ${DEPS_CLEAR} AS ok FROM (SELECT ? AS id) j`).get(jobId) as Row).ok === 1;
  }

  /** Distinct jobs having tasks in these states, by skipping along the index: O(jobs), not O(tasks). */
  private jobsWithTasksIn(states: readonly TaskState[]): Set<number> {
    const ids = new Set<number>();
    const next = this.sql('SELECT job_id FROM tasks WHERE state = ? AND job_id > ? ORDER BY job_id LIMIT 1');
    for (const state of states) {
      for (let row = next.get(state, 0) as Row | undefined; row; row = next.get(state, row.job_id) as Row | undefined) {
        ids.add(row.job_id as number);
      }
    }
    return ids;
  }

  /** Earliest time a waiting task becomes runnable, for the scheduler's timer. */
  nextWakeUp(): number | null {
    const row = this.sql(
      `SELECT MIN(t.not_before) AS t FROM tasks t JOIN jobs j ON j.id = t.job_id WHERE t.state = 'waiting' AND j.intent = 'active' AND ${DEPS_CLEAR}`,
    ).get() as Row;
    const step = this.sql(
      "SELECT MIN(s.not_before) AS t FROM steps s JOIN jobs j ON j.id = s.job_id WHERE s.state = 'waiting' AND j.intent = 'active'",
    ).get() as Row;
    const times = [row.t, step.t].filter((t): t is number => typeof t === 'number');
    return times.length ? Math.min(...times) : null;
  }

  /** Active jobs whose frames still wait for automatic chunking. */
  jobsAwaitingChunks(): number[] {
    return (
      this.sql(
        `SELECT DISTINCT f.job_id FROM frames f JOIN jobs j ON j.id = f.job_id WHERE j.intent = 'active' AND f.task_id IS NULL AND f.state = 'queued' AND ${DEPS_CLEAR}`,
      ).all() as Row[]
    ).map((r) => r.job_id as number);
  }

  /** `logPathFor` names the log after the new attempt's id, inside the same transaction. */
  startAttempt(
    taskId: number,
    argv: readonly string[],
    device: DeviceAssignment,
    logPathFor: (attemptId: number) => string,
  ): AttemptRecord {
    return this.tx(() => {
      const now = Date.now();
      const task = this.getTask(taskId)!;
      this.sql("UPDATE tasks SET state = 'running', started_at = COALESCE(started_at, ?), not_before = NULL WHERE id = ?").run(
        now,
        taskId,
      );
      // Only the first attempt writes: an UPDATE that changes nothing still rewrites the page.
      this.sql('UPDATE jobs SET started_at = ? WHERE id = ? AND started_at IS NULL').run(now, task.jobId);
      const info = this.sql(
        "INSERT INTO attempts (task_id, argv, device, started_at, log_path) VALUES (?, ?, ?, ?, '')",
      ).run(taskId, JSON.stringify(argv), JSON.stringify(device), now);
      const attemptId = Number(info.lastInsertRowid);
      this.sql('UPDATE attempts SET log_path = ? WHERE id = ?').run(logPathFor(attemptId), attemptId);
      this.sql(
        "UPDATE frames SET state = 'running', reason = NULL, attempt_id = ? WHERE task_id = ? AND state != 'done'",
      ).run(attemptId, taskId);
      return this.getAttempt(attemptId)!;
    });
  }

  recordSpawn(attemptId: number, pid: number, pidStart: string | null): void {
    this.sql('UPDATE attempts SET pid = ?, pid_start = ? WHERE id = ?').run(pid, pidStart, attemptId);
  }

  /** A frame is done only once its file was verified on disk; the caller checks before calling. */
  markFrameDone(jobId: number, frame: number, output: string | null, renderMs: number | null, attemptId: number): void {
    this.sql(
      "UPDATE frames SET state = 'done', output = ?, render_ms = ?, reason = NULL, attempt_id = ? WHERE job_id = ? AND frame = ? AND state != 'done'",
    ).run(output, renderMs, attemptId, jobId, frame);
  }

  /**
   * Ends an attempt and moves its task on, atomically; frames not done follow the task.
   * `framesDone` are frames only found done once the child had exited (no "saved" line): written
   * in this same transaction, which halves the commits of a short task.
   */
  finishAttempt(
    attemptId: number,
    end: { exitCode: number | null; signal: string | null; reason: string | null },
    outcome: TaskOutcome,
    framesDone: readonly FrameDone[] = [],
  ): JobStatus | null {
    return this.tx(() => {
      const now = Date.now();
      const attempt = this.getAttempt(attemptId)!;
      this.sql('UPDATE attempts SET ended_at = ?, exit_code = ?, signal = ?, reason = ? WHERE id = ?').run(
        now,
        end.exitCode,
        end.signal,
        end.reason,
        attemptId,
      );
      const task = this.getTask(attempt.taskId)!;
      for (const done of framesDone) this.markFrameDone(task.jobId, done.frame, done.output, done.renderMs, attemptId);
      this.applyOutcome(task, outcome, now);
      return this.settleJobInTx(task.jobId, now);
    });
  }

  private applyOutcome(task: TaskRecord, outcome: TaskOutcome, now: number): void {
    const frames = (state: FrameState, reason: string | null): void => {
      this.sql("UPDATE frames SET state = ?, reason = ? WHERE task_id = ? AND state != 'done'").run(state, reason, task.id);
    };
    switch (outcome.kind) {
      case 'succeeded':
        this.sql("UPDATE tasks SET state = 'succeeded', reason = NULL, finished_at = ? WHERE id = ?").run(now, task.id);
        return;
      case 'failed':
        this.sql("UPDATE tasks SET state = 'failed', failures = failures + 1, reason = ?, finished_at = ? WHERE id = ?").run(
          outcome.reason,
          now,
          task.id,
        );
        frames('failed', outcome.reason);
        return;
      case 'retry':
        this.sql("UPDATE tasks SET state = 'waiting', failures = failures + 1, reason = ?, not_before = ? WHERE id = ?").run(
          outcome.reason,
          outcome.notBefore,
          task.id,
        );
        frames('queued', outcome.reason);
        return;
      case 'canceled':
        this.sql("UPDATE tasks SET state = 'canceled', reason = ?, finished_at = ? WHERE id = ?").run(outcome.reason, now, task.id);
        frames('canceled', outcome.reason);
        return;
      case 'requeue':
        this.sql("UPDATE tasks SET state = 'queued' WHERE id = ?").run(task.id);
        frames('queued', null);
        return;
    }
  }

  /** Settles a task that has nothing left to run (every frame already done), without a child. */
  finishTaskWithoutAttempt(taskId: number, outcome: TaskOutcome): JobStatus | null {
    return this.tx(() => {
      const now = Date.now();
      const task = this.getTask(taskId)!;
      this.applyOutcome(task, outcome, now);
      return this.settleJobInTx(task.jobId, now);
    });
  }

  /** Attempts a previous engine left open (crash, kill, power cut), with what proves their pid. */
  openAttempts(): OpenAttempt[] {
    return (
      this.sql(
        'SELECT a.id, a.task_id, t.job_id, a.pid, a.pid_start FROM attempts a JOIN tasks t ON t.id = a.task_id WHERE a.ended_at IS NULL',
      ).all() as Row[]
    ).map((r) => ({
      attemptId: r.id as number,
      taskId: r.task_id as number,
      jobId: r.job_id as number,
      pid: (r.pid as number | null) ?? null,
      pidStart: (r.pid_start as string | null) ?? null,
    }));
  }

  /**
   * Settles what a dead engine left running: its attempts end with the given reason and their
   * tasks go back to the queue (canceled jobs stay canceled). Done frames are untouched.
   */
  recoverInterrupted(reason: string): number {
    return this.tx(() => {
      const now = Date.now();
      const open = this.openAttempts();
      for (const attempt of open) {
        this.sql('UPDATE attempts SET ended_at = ?, reason = ? WHERE id = ?').run(now, reason, attempt.attemptId);
      }
      const running = (this.sql("SELECT t.*, j.intent FROM tasks t JOIN jobs j ON j.id = t.job_id WHERE t.state = 'running'").all() as Row[]);
      for (const row of running) {
        const task = rowToTask(row);
        this.applyOutcome(task, row.intent === 'canceled' ? { kind: 'canceled', reason: 'canceled by user' } : { kind: 'requeue' }, now);
        this.settleJobInTx(task.jobId, now);
      }
      const steps = this.sql("SELECT s.id, s.job_id, j.intent FROM steps s JOIN jobs j ON j.id = s.job_id WHERE s.state = 'running'").all() as Row[];
      for (const row of steps) {
        this.applyStepOutcome(row.id as number, row.intent === 'canceled' ? { kind: 'canceled', reason: 'canceled by user' } : { kind: 'requeue' }, now);
        this.settleJobInTx(row.job_id as number, now);
      }
      return running.length + steps.length;
    });
  }

  // ---- after-render steps -------------------------------------------------------------------

  stepsOf(jobId: number): StepRecord[] {
    return (this.sql('SELECT * FROM steps WHERE job_id = ? ORDER BY idx').all(jobId) as Row[]).map(rowToStep);
  }

  getStep(stepId: number): StepRecord | null {
    const row = this.sql('SELECT * FROM steps WHERE id = ?').get(stepId) as Row | undefined;
    return row ? rowToStep(row) : null;
  }

  /**
   * Steps that may start now: the job is active, every frame is done, and every earlier step of
   * the job succeeded (steps run in order, one at a time per job).
   */
  runnableSteps(now: number, limit: number): RunnableStep[] {
    // The full query costs ~140 µs even over an empty table (IN lists, ORDER BY b-tree): two index
    // probes first, since most pumps, one per finished task, find no step at all.
    if (!this.sql("SELECT 1 FROM steps WHERE state = 'pending' OR state = 'waiting' LIMIT 1").get()) return [];
    // From the few pending steps (steps_state), never from every active job: probing each job's
    // tasks and frames for "not finished" cost 19 ms per pump with 5,000 finished jobs and no steps.
    // The IN lists (every state but the finished one) let each probe seek its index.
    const rows = this.sql(
      `SELECT s.* FROM steps s CROSS JOIN jobs j ON j.id = s.job_id
       WHERE s.state IN ('pending', 'waiting') AND (s.state = 'pending' OR s.not_before <= ?) AND j.intent = 'active'
         AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.state IN ('queued','waiting','running','failed','canceled') AND t.job_id = j.id)
         AND NOT EXISTS (SELECT 1 FROM frames f WHERE f.job_id = j.id AND f.state IN ('queued','running','failed','canceled'))
         AND NOT EXISTS (SELECT 1 FROM steps e WHERE e.job_id = s.job_id AND e.idx < s.idx AND e.state != 'succeeded')
       ORDER BY j.priority DESC, j.id, s.idx LIMIT ?`,
    ).all(now, limit) as Row[];
    return rows.map((row) => {
      const step = rowToStep(row);
      return { step, job: this.getJob(step.jobId)! };
    });
  }

  /** `logPathFor` names the run's log after its attempt number. */
  startStep(stepId: number, logPathFor: (attempt: number) => string): StepRecord {
    return this.tx(() => {
      const now = Date.now();
      const step = this.getStep(stepId)!;
      const attempt = step.attempts + 1;
      this.sql(
        "UPDATE steps SET state = 'running', attempts = ?, not_before = NULL, log_path = ?, pid = NULL, pid_start = NULL, started_at = ?, finished_at = NULL WHERE id = ?",
      ).run(attempt, logPathFor(attempt), now, stepId);
      this.settleJobInTx(step.jobId, now);
      return this.getStep(stepId)!;
    });
  }

  recordStepSpawn(stepId: number, pid: number, pidStart: string | null): void {
    this.sql('UPDATE steps SET pid = ?, pid_start = ? WHERE id = ?').run(pid, pidStart, stepId);
  }

  finishStep(stepId: number, outcome: StepOutcome): JobStatus | null {
    return this.tx(() => {
      const now = Date.now();
      const step = this.getStep(stepId)!;
      this.applyStepOutcome(stepId, outcome, now);
      return this.settleJobInTx(step.jobId, now);
    });
  }

  private applyStepOutcome(stepId: number, outcome: StepOutcome, now: number): void {
    switch (outcome.kind) {
      case 'succeeded':
        this.sql("UPDATE steps SET state = 'succeeded', reason = NULL, output = ?, finished_at = ? WHERE id = ?").run(
          JSON.stringify(outcome.outputs),
          now,
          stepId,
        );
        return;
      case 'failed':
        this.sql("UPDATE steps SET state = 'failed', failures = failures + 1, reason = ?, finished_at = ? WHERE id = ?").run(
          outcome.reason,
          now,
          stepId,
        );
        return;
      case 'retry':
        this.sql("UPDATE steps SET state = 'waiting', failures = failures + 1, reason = ?, not_before = ? WHERE id = ?").run(
          outcome.reason,
          outcome.notBefore,
          stepId,
        );
        return;
      case 'canceled':
        this.sql("UPDATE steps SET state = 'canceled', reason = ?, finished_at = ? WHERE id = ?").run(outcome.reason, now, stepId);
        return;
      case 'requeue':
        this.sql("UPDATE steps SET state = 'pending' WHERE id = ?").run(stepId);
        return;
    }
  }

  /** Steps a previous engine left running, with what proves their child's pid. */
  openSteps(): OpenStep[] {
    return (this.sql("SELECT id, job_id, pid, pid_start FROM steps WHERE state = 'running'").all() as Row[]).map((r) => ({
      stepId: r.id as number,
      jobId: r.job_id as number,
      pid: (r.pid as number | null) ?? null,
      pidStart: (r.pid_start as string | null) ?? null,
    }));
  }

  /** A move step moved the frames: their records follow the files. */
  moveFrameOutputs(jobId: number, moved: ReadonlyMap<string, string>): void {
    this.tx(() => {
      const update = this.sql('UPDATE frames SET output = ? WHERE job_id = ? AND output = ?');
      for (const [from, to] of moved) update.run(to, jobId, from);
      for (const step of this.stepsOf(jobId)) {
        if (!step.outputs.some((o) => moved.has(o))) continue;
        this.sql('UPDATE steps SET output = ? WHERE id = ?').run(JSON.stringify(step.outputs.map((o) => moved.get(o) ?? o)), step.id);
      }
    });
  }

  // ---- watch folders ------------------------------------------------------------------------

  /** Whether a watch folder already queued (or refused) this version of a file. */
  watchSeen(file: string, size: number, mtimeMs: number): boolean {
    return this.sql('SELECT 1 FROM watch_seen WHERE path = ? AND size = ? AND mtime_ms = ?').get(file, size, Math.floor(mtimeMs)) !== undefined;
  }

  markWatchSeen(file: string, size: number, mtimeMs: number, jobIds: readonly number[], error: string | null): void {
    this.sql(
      'INSERT OR REPLACE INTO watch_seen (path, size, mtime_ms, job_ids, error, seen_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(file, size, Math.floor(mtimeMs), JSON.stringify(jobIds), error, Date.now());
  }

  // ---- small key-value data -----------------------------------------------------------------

  sceneStats(sceneKey: string): { startupMs: number; frameMs: number } | null {
    const row = this.sql('SELECT startup_ms, frame_ms FROM scene_stats WHERE scene_key = ?').get(sceneKey) as Row | undefined;
    return row ? { startupMs: row.startup_ms as number, frameMs: row.frame_ms as number } : null;
  }

  saveSceneStats(sceneKey: string, startupMs: number, frameMs: number): void {
    this.sql(
      'INSERT INTO scene_stats (scene_key, startup_ms, frame_ms, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (scene_key) DO UPDATE SET startup_ms = excluded.startup_ms, frame_ms = excluded.frame_ms, updated_at = excluded.updated_at',
    ).run(sceneKey, startupMs, frameMs, Date.now());
  }

  getSetting<T>(key: string): T | null {
    const row = this.sql('SELECT value FROM settings WHERE key = ?').get(key) as Row | undefined;
    return row ? (JSON.parse(row.value as string) as T) : null;
  }

  setSetting(key: string, value: unknown): void {
    this.sql(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(key, JSON.stringify(value));
  }
}

const DEPS_OF = 'SELECT p.id, p.name, p.outcome FROM job_deps d JOIN jobs p ON p.id = d.dep_id WHERE d.job_id = ? ORDER BY p.id';

/** The one line that says why a job is where it is: its frames' failure, a step's, or its wait. */
function pickReason(status: JobStatus, taskReason: string | null, stepReason: string | null, depReason: string | null): string | null {
  if (status === 'blocked' || (status === 'queued' && depReason)) return depReason;
  return taskReason ?? stepReason;
}

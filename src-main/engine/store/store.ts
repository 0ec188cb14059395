import type Database from 'better-sqlite3';
import type {
  AttemptRecord,
  DeviceAssignment,
  FrameRecord,
  FrameState,
  JobIntent,
  JobRecord,
  JobSpec,
  JobStatus,
  JobSummary,
  TaskCounts,
  TaskRecord,
  TaskState,
} from '../types';
import { deriveJobStatus } from './derive-status';
import { asStoreError, openDatabase } from './open-database';
import { rowToAttempt, rowToFrame, rowToJob, rowToTask, type Row } from './rows';

export type { JobSummary };

export interface RunnableTask {
  task: TaskRecord;
  job: JobRecord;
}

export type TaskOutcome =
  | { kind: 'succeeded' }
  | { kind: 'failed'; reason: string }
  | { kind: 'retry'; reason: string; notBefore: number }
  | { kind: 'canceled'; reason: string }
  /** Back to the queue without counting as a failure (pause, engine shutdown). */
  | { kind: 'requeue' };

export interface OpenAttempt {
  attemptId: number;
  taskId: number;
  jobId: number;
  pid: number | null;
  pidStart: string | null;
}

const EMPTY_COUNTS: TaskCounts = { queued: 0, waiting: 0, running: 0, succeeded: 0, failed: 0, canceled: 0 };

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

  /** Several jobs in one transaction: all are queued or none. */
  insertJobs(items: readonly { spec: JobSpec; frames: readonly number[]; chunks: readonly (readonly number[])[] | null }[]): JobRecord[] {
    return this.tx(() => {
      const now = Date.now();
      return items.map((item) => this.insertJobInTx(item.spec, item.frames, item.chunks, now));
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
         stall_timeout_s, task_timeout_s, device, overrides, created_at)
       VALUES (@name, @dcc, @scene, @framesText, @frameCount, @chunkSize, @output, @priority, @slots, @retries,
         @stallTimeoutSec, @taskTimeoutSec, @device, @overrides, @createdAt)`,
    ).run({
      ...spec,
      frameCount: frames.length,
      device: JSON.stringify(spec.device),
      overrides: JSON.stringify(spec.overrides),
      createdAt: now,
    });
    const jobId = Number(info.lastInsertRowid);
    const insertFrame = this.sql('INSERT INTO frames (job_id, frame, ord, state) VALUES (?, ?, ?, ?)');
    frames.forEach((frame, ord) => insertFrame.run(jobId, frame, ord, 'queued'));
    if (chunks) this.insertTasks(jobId, 0, chunks);
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
    const status = deriveJobStatus(job.intent, tasks, unassigned, job.startedAt !== null);
    return {
      ...job,
      status,
      reason: status === 'failed' || status === 'canceled' || tasks.failed > 0 ? this.jobReason(job.id) : null,
      framesDone: frames.done,
      framesFailed: frames.failed,
      framesRunning: frames.running,
      tasks,
    };
  }

  private frameCounts(jobId: number): Record<FrameState, number> {
    const counts: Record<FrameState, number> = { queued: 0, running: 0, done: 0, failed: 0, canceled: 0 };
    for (const row of this.sql('SELECT state, COUNT(*) AS n FROM frames WHERE job_id = ? GROUP BY state').all(jobId) as Row[]) {
      counts[row.state as FrameState] = row.n as number;
    }
    return counts;
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
    const frameCounts = new Map<number, { done: number; failed: number; running: number; unassigned: number }>();
    for (const row of this.sql(
      `SELECT job_id,
         SUM(state = 'done') AS done, SUM(state = 'failed') AS failed, SUM(state = 'running') AS running,
         SUM(task_id IS NULL AND state = 'queued') AS unassigned
       FROM frames GROUP BY job_id`,
    ).all() as Row[]) {
      frameCounts.set(row.job_id as number, {
        done: row.done as number,
        failed: row.failed as number,
        running: row.running as number,
        unassigned: row.unassigned as number,
      });
    }
    const reasons = new Map<number, string>();
    for (const row of this.sql(
      "SELECT job_id, reason FROM tasks WHERE state IN ('failed','canceled') AND reason IS NOT NULL ORDER BY finished_at",
    ).all() as Row[]) {
      reasons.set(row.job_id as number, row.reason as string);
    }
    return jobs.map((job) => {
      const tasks = taskCounts.get(job.id) ?? { ...EMPTY_COUNTS };
      const frames = frameCounts.get(job.id) ?? { done: 0, failed: 0, running: 0, unassigned: 0 };
      const status = deriveJobStatus(job.intent, tasks, frames.unassigned, job.startedAt !== null);
      return {
        ...job,
        status,
        reason: reasons.get(job.id) ?? null,
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
        this.settleJobInTx(jobId, now);
      }
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

  private settleJobInTx(jobId: number, now: number): JobStatus | null {
    const job = this.getJob(jobId);
    if (!job) return null;
    const { status } = this.summarize(job);
    const final = status === 'succeeded' || status === 'failed' || status === 'canceled';
    if (final && job.finishedAt === null) this.sql('UPDATE jobs SET finished_at = ? WHERE id = ?').run(now, jobId);
    if (!final && job.finishedAt !== null) this.sql('UPDATE jobs SET finished_at = NULL WHERE id = ?').run(jobId);
    return status;
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
    const row = this.sql('SELECT MIN(frame) AS first, MAX(frame) AS last FROM frames WHERE job_id = ?').get(jobId) as Row;
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
   * Only jobs the user wants active; `waiting` tasks once their backoff has passed.
   */
  runnableTasks(now: number, limit: number): RunnableTask[] {
    const rows = this.sql(
      `SELECT t.*, j.id AS j_id FROM tasks t JOIN jobs j ON j.id = t.job_id
       WHERE j.intent = 'active' AND (t.state = 'queued' OR (t.state = 'waiting' AND t.not_before <= ?))
       ORDER BY j.priority DESC, j.id, t.idx LIMIT ?`,
    ).all(now, limit) as Row[];
    const jobs = new Map<number, JobRecord>();
    return rows.map((row) => {
      const jobId = row.j_id as number;
      let job = jobs.get(jobId);
      if (!job) {
        job = this.getJob(jobId)!;
        jobs.set(jobId, job);
      }
      return { task: rowToTask(row), job };
    });
  }

  /** Earliest time a waiting task becomes runnable, for the scheduler's timer. */
  nextWakeUp(): number | null {
    const row = this.sql(
      "SELECT MIN(t.not_before) AS t FROM tasks t JOIN jobs j ON j.id = t.job_id WHERE t.state = 'waiting' AND j.intent = 'active'",
    ).get() as Row;
    return (row.t as number | null) ?? null;
  }

  /** Active jobs whose frames still wait for automatic chunking. */
  jobsAwaitingChunks(): number[] {
    return (
      this.sql(
        "SELECT DISTINCT f.job_id FROM frames f JOIN jobs j ON j.id = f.job_id WHERE j.intent = 'active' AND f.task_id IS NULL AND f.state = 'queued'",
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
      this.sql('UPDATE jobs SET started_at = COALESCE(started_at, ?) WHERE id = ?').run(now, task.jobId);
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

  /** Ends an attempt and moves its task on, atomically; frames not done follow the task. */
  finishAttempt(
    attemptId: number,
    end: { exitCode: number | null; signal: string | null; reason: string | null },
    outcome: TaskOutcome,
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
      return running.length;
    });
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

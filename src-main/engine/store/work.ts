import { frameSources, nextTaskState, taskSources } from '../lifecycle';
import { attemptOutcome, planOutcome, type NotReached, type OutcomePlan, type StateMove, type StopMode, type TaskOutcome } from '../lifecycle/outcome';
import type { AttemptRecord, DeviceAssignment, FrameRecord, FrameState, JobStatus, StepRecord, StepSpec, TaskRecord, TaskState } from '../types';
import { placeholders, type Db, type Row } from './database';
import { applyFrameAction, type Chunker, type FrameActionResult } from './frame-actions';
import type { FrameAction } from '../lifecycle/frame-actions';
import { rowToAttempt, rowToFrame, rowToStep, rowToTask } from './rows';
import type { Summaries } from './summaries';

/** A frame checkpoint: done, with its verified file (null for programs that name none). */
export interface FrameDone {
  frame: number;
  output: string | null;
  renderMs: number | null;
  /** The file's size and mtime when it was verified; later changes mean it is not this render's any more. */
  file?: RecordedFile | null;
}

export interface RecordedFile {
  size: number;
  mtimeMs: number;
}

/** A done frame's file as recorded (size and mtime null for frames from before they were recorded). */
export interface DoneFrameFile {
  frame: number;
  output: string;
  size: number | null;
  mtimeMs: number | null;
}

/** An attempt a previous engine left open (crash, kill, power cut), with what proves its pid. */
export interface OpenAttempt {
  attemptId: number;
  taskId: number;
  jobId: number;
  pid: number | null;
  pidStart: string | null;
}

export interface AttemptEnd {
  exitCode: number | null;
  signal: string | null;
  reason: string | null;
  /** Why it was stopped from outside, if it was: tells a paused attempt from an interrupted one. */
  stop?: StopMode | null;
}

const SAVED_FROM = frameSources('saved', 'done');
const START_FRAMES_FROM = frameSources('start', 'running');

/** An attempt with its task's role and position. */
// `number` counts the job's attempts up to this one: attempts.task_id is indexed and a job has few.
const ATTEMPT_SELECT = `SELECT a.*, t.role, t.idx AS task_index,
  (SELECT json_group_array(frame) FROM (SELECT frame FROM frames f WHERE f.task_id = a.task_id ORDER BY f.ord)) AS frames_json
  FROM attempts a JOIN tasks t ON t.id = a.task_id`;

/** A step's task row with its attempt count and latest log joined in. */
const STEP_SELECT = `SELECT t.*,
  (SELECT COUNT(*) FROM attempts a WHERE a.task_id = t.id) AS attempts,
  (SELECT a.log_path FROM attempts a WHERE a.task_id = t.id ORDER BY a.id DESC LIMIT 1) AS log_path
  FROM tasks t`;

/**
 * Tasks (render chunks and after-render steps), their frames and their attempts: every change
 * here applies a plan the lifecycle returned, in one transaction with settling the job.
 */
export class WorkRepo {
  constructor(
    private readonly db: Db,
    private readonly summaries: Summaries,
  ) {}

  // ---- making tasks -------------------------------------------------------------------------

  insertRenderTasks(jobId: number, firstIndex: number, chunks: readonly (readonly number[])[]): void {
    const insertTask = this.db.sql("INSERT INTO tasks (job_id, role, idx, state) VALUES (?, 'render', ?, 'queued')");
    const assign = this.db.sql('UPDATE frames SET task_id = ? WHERE job_id = ? AND frame = ?');
    chunks.forEach((chunk, i) => {
      const taskId = Number(insertTask.run(jobId, firstIndex + i).lastInsertRowid);
      for (const frame of chunk) assign.run(taskId, jobId, frame);
    });
  }

  insertStepTasks(jobId: number, steps: readonly StepSpec[]): void {
    const insert = this.db.sql("INSERT INTO tasks (job_id, role, idx, state, spec) VALUES (?, 'step', ?, 'queued', ?)");
    steps.forEach((step, idx) => insert.run(jobId, idx, JSON.stringify(step)));
  }

  /** Turns frames still without a task into tasks (automatic chunking, once measured). */
  compileTasks(jobId: number, chunks: readonly (readonly number[])[]): void {
    this.db.tx(() => {
      const row = this.db.sql("SELECT COALESCE(MAX(idx) + 1, 0) AS next FROM tasks WHERE job_id = ? AND role = 'render'").get(jobId) as Row;
      this.insertRenderTasks(jobId, row.next as number, chunks);
    });
  }

  unassignedFrames(jobId: number): number[] {
    return (
      this.db.sql("SELECT frame FROM frames WHERE job_id = ? AND task_id IS NULL AND state = 'queued' ORDER BY ord").all(jobId) as Row[]
    ).map((r) => r.frame as number);
  }

  // ---- reading ------------------------------------------------------------------------------

  /** A job's render tasks, in order. */
  tasksOf(jobId: number): TaskRecord[] {
    return (this.db.sql("SELECT * FROM tasks WHERE job_id = ? AND role = 'render' ORDER BY idx").all(jobId) as Row[]).map(rowToTask);
  }

  getTask(taskId: number): TaskRecord | null {
    const row = this.db.sql('SELECT * FROM tasks WHERE id = ?').get(taskId) as Row | undefined;
    return row ? rowToTask(row) : null;
  }

  /** A job's after-render steps, in the order they run. */
  stepsOf(jobId: number): StepRecord[] {
    return (this.db.sql(`${STEP_SELECT} WHERE t.job_id = ? AND t.role = 'step' ORDER BY t.idx`).all(jobId) as Row[]).map(rowToStep);
  }

  getStep(taskId: number): StepRecord | null {
    const row = this.db.sql(`${STEP_SELECT} WHERE t.id = ? AND t.role = 'step'`).get(taskId) as Row | undefined;
    return row ? rowToStep(row) : null;
  }

  framesOf(jobId: number): FrameRecord[] {
    return (this.db.sql('SELECT * FROM frames WHERE job_id = ? ORDER BY ord').all(jobId) as Row[]).map(rowToFrame);
  }

  /** The job's frame revision now: every change to one of its frames takes the next (migration frames_rev). */
  framesRev(jobId: number): number {
    return (this.db.sql('SELECT COALESCE(MAX(rev), 0) FROM frames WHERE job_id = ?').pluck().get(jobId) as number) ?? 0;
  }

  /** The frames that changed after revision `since`, oldest change first (the frames_rev index). */
  framesChangedSince(jobId: number, since: number): FrameRecord[] {
    return (this.db.sql('SELECT * FROM frames WHERE job_id = ? AND rev > ? ORDER BY rev').all(jobId, since) as Row[]).map(rowToFrame);
  }

  /** One frame by its primary key: a thumbnail or a frame's log must not read the job's every frame. */
  frameOf(jobId: number, frame: number): FrameRecord | null {
    const row = this.db.sql('SELECT * FROM frames WHERE job_id = ? AND frame = ?').get(jobId, frame) as Row | undefined;
    return row ? rowToFrame(row) : null;
  }

  /** Lowest and highest frame of a job: some DCCs time an animation over the whole range. */
  frameBounds(jobId: number): { first: number; last: number } {
    // Two ends of the primary key, not MIN/MAX: SQLite answered those by scanning all the job's frames, once per task.
    const row = this.db
      .sql(
        `SELECT (SELECT frame FROM frames WHERE job_id = @id ORDER BY frame LIMIT 1) AS first,
                (SELECT frame FROM frames WHERE job_id = @id ORDER BY frame DESC LIMIT 1) AS last`,
      )
      .get({ id: jobId }) as Row;
    return { first: row.first as number, last: row.last as number };
  }

  /** The frames a task still has to render, in render order (suspended ones are skipped). */
  pendingFramesOf(taskId: number): number[] {
    return (this.db.sql("SELECT frame FROM frames WHERE task_id = ? AND state NOT IN ('done', 'suspended') ORDER BY ord").all(taskId) as Row[]).map(
      (r) => r.frame as number,
    );
  }

  /** Every attempt of a job, renders and steps, in the order they started. */
  attemptsOfJob(jobId: number): AttemptRecord[] {
    return (this.db.sql(`${ATTEMPT_SELECT} WHERE t.job_id = ? ORDER BY a.id`).all(jobId) as Row[]).map(
      rowToAttempt,
    );
  }

  getAttempt(attemptId: number): AttemptRecord | null {
    const row = this.db.sql(`${ATTEMPT_SELECT} WHERE a.id = ?`).get(attemptId) as Row | undefined;
    return row ? rowToAttempt(row) : null;
  }

  /** A user's frame action (store/frame-actions.ts), one transaction; `preview` writes nothing. */
  actOnFrames(jobId: number, action: FrameAction, frames: readonly number[], chunker: Chunker, preview = false): FrameActionResult {
    return applyFrameAction(this.db, (id, chunks) => this.compileTasks(id, chunks), (id, now) => this.summaries.settle(id, now), jobId, action, frames, chunker, preview);
  }

  // ---- running ------------------------------------------------------------------------------

  /** `logPathFor` names the log after the new attempt's id, inside the same transaction. */
  startAttempt(taskId: number, argv: readonly string[], device: DeviceAssignment, logPathFor: (attemptId: number) => string): AttemptRecord {
    return this.db.tx(() => {
      const now = Date.now();
      const task = this.getTask(taskId)!;
      const next = nextTaskState(task.state, 'start');
      if (!next.ok) throw new Error(`task ${taskId} cannot start: it is ${task.state}`);
      this.db.sql('UPDATE tasks SET state = ?, started_at = COALESCE(started_at, ?), not_before = NULL WHERE id = ?').run(next.to, now, taskId);
      // Only the first attempt writes: an UPDATE that changes nothing still rewrites the page.
      this.db.sql('UPDATE jobs SET started_at = ? WHERE id = ? AND started_at IS NULL').run(now, task.jobId);
      // Numbered within the job from a counter on the job: O(1), however many attempts it has had.
      const { number } = this.db
        .sql('UPDATE jobs SET attempt_count = attempt_count + 1 WHERE id = ? RETURNING attempt_count AS number')
        .get(task.jobId) as { number: number };
      const info = this.db
        .sql("INSERT INTO attempts (task_id, argv, device, started_at, log_path, number) VALUES (?, ?, ?, ?, '', ?)")
        .run(taskId, JSON.stringify(argv), JSON.stringify(device), now, number);
      const attemptId = Number(info.lastInsertRowid);
      this.db.sql('UPDATE attempts SET log_path = ? WHERE id = ?').run(logPathFor(attemptId), attemptId);
      this.db
        .sql(`UPDATE frames SET state = 'running', reason = NULL, attempt_id = ? WHERE task_id = ? AND state IN (${placeholders(START_FRAMES_FROM.length)})`)
        .run(attemptId, taskId, ...START_FRAMES_FROM);
      if (task.role === 'step') this.summaries.settle(task.jobId, now);
      return this.getAttempt(attemptId)!;
    });
  }

  /** The command an attempt runs, once known (a step learns it as it goes; a render before it spawns). */
  recordArgv(attemptId: number, argv: readonly string[]): void {
    this.db.sql('UPDATE attempts SET argv = ? WHERE id = ?').run(JSON.stringify(argv), attemptId);
  }

  recordSpawn(attemptId: number, pid: number, pidStart: string | null): void {
    this.db.sql('UPDATE attempts SET pid = ?, pid_start = ? WHERE id = ?').run(pid, pidStart, attemptId);
  }

  /** A frame is done only once its file was verified on disk; the caller checks before calling. */
  markFrameDone(jobId: number, frame: number, output: string | null, renderMs: number | null, attemptId: number, file: RecordedFile | null = null): void {
    this.db
      .sql(
        `UPDATE frames SET state = 'done', output = ?, render_ms = ?, reason = NULL, attempt_id = ?, output_size = ?, output_mtime_ms = ?
         WHERE job_id = ? AND frame = ? AND state IN (${placeholders(SAVED_FROM.length)})`,
      )
      .run(output, renderMs, attemptId, file?.size ?? null, file?.mtimeMs ?? null, jobId, frame, ...SAVED_FROM);
  }

  /**
   * Runs `deliver` as one transaction, so the checkpoints of the frames it records commit once. A
   * transaction that cannot begin (a store locked too long) still delivers, a commit at a time; one
   * that fails to commit is not the lines' fault: those frames count as unsaved and render again.
   */
  together(deliver: () => void): void {
    let delivered = false;
    try {
      this.db.tx(() => {
        delivered = true;
        deliver();
      });
    } catch {
      if (!delivered) deliver();
    }
  }

  /** The renderer's own time for a frame this attempt checkpointed (printed after the checkpoint's line); false if it is not that frame's any more. */
  retimeFrame(jobId: number, frame: number, renderMs: number, attemptId: number): boolean {
    return this.db.sql("UPDATE frames SET render_ms = ? WHERE job_id = ? AND frame = ? AND attempt_id = ? AND state = 'done'").run(renderMs, jobId, frame, attemptId).changes > 0;
  }

  /** Done frames that name a file, with the file as it was verified. */
  doneFrameFiles(jobId: number): DoneFrameFile[] {
    return (
      this.db.sql("SELECT frame, output, output_size, output_mtime_ms FROM frames WHERE job_id = ? AND state = 'done' AND output IS NOT NULL ORDER BY ord").all(jobId) as Row[]
    ).map((r) => ({ frame: r.frame as number, output: r.output as string, size: (r.output_size as number | null) ?? null, mtimeMs: (r.output_mtime_ms as number | null) ?? null }));
  }

  /**
   * Done frames whose file went missing or changed since it was verified are not done any more:
   * they fail with the reason, and a task that had succeeded fails with them, so retry renders them.
   * Frames of a task that is running are left to it.
   */
  markFramesLost(jobId: number, lost: readonly { frame: number; reason: string }[]): JobStatus | null {
    if (lost.length === 0) return null;
    return this.db.tx(() => {
      const now = Date.now();
      const frameFrom = frameSources('lost', 'failed');
      const taskFrom = taskSources('lost', 'failed');
      for (const { frame, reason } of lost) {
        const row = this.db.sql('SELECT task_id FROM frames WHERE job_id = ? AND frame = ?').get(jobId, frame) as Row | undefined;
        const task = row?.task_id == null ? null : this.getTask(row.task_id as number);
        if (!task || task.state === 'running') continue;
        this.db
          .sql(`UPDATE frames SET state = 'failed', reason = ? WHERE job_id = ? AND frame = ? AND state IN (${placeholders(frameFrom.length)})`)
          .run(reason, jobId, frame, ...frameFrom);
        this.db
          .sql(`UPDATE tasks SET state = 'failed', reason = ?, finished_at = ? WHERE id = ? AND state IN (${placeholders(taskFrom.length)})`)
          .run(reason, now, task.id, ...taskFrom);
      }
      return this.summaries.settle(jobId, now);
    });
  }

  /**
   * Ends an attempt and moves its task on, atomically; frames not done follow the task.
   * `framesDone` are frames only found done once the child had exited (no "saved" line): written
   * in this same transaction, which halves the commits of a short task. `outputs`: the files a
   * step made. `notReached`: frames a failed render never started, queued again apart.
   */
  finishAttempt(
    attemptId: number,
    end: AttemptEnd,
    outcome: TaskOutcome,
    framesDone: readonly FrameDone[] = [],
    outputs?: readonly string[],
    notReached?: NotReached | null,
  ): JobStatus | null {
    return this.db.tx(() => {
      const now = Date.now();
      const attempt = this.getAttempt(attemptId)!;
      this.db
        .sql('UPDATE attempts SET ended_at = ?, exit_code = ?, signal = ?, reason = ?, outcome = ? WHERE id = ?')
        .run(now, end.exitCode, end.signal, end.reason, attemptOutcome(outcome, end.stop ?? null), attemptId);
      const task = this.getTask(attempt.taskId)!;
      for (const done of framesDone) this.markFrameDone(task.jobId, done.frame, done.output, done.renderMs, attemptId, done.file);
      this.applyPlan(task, planOutcome(outcome, { notReached }), now);
      if (outputs) this.db.sql('UPDATE tasks SET outputs = ? WHERE id = ?').run(JSON.stringify(outputs), task.id);
      return this.summaries.settle(task.jobId, now);
    });
  }

  /** Settles a task that has nothing left to run (every frame already done), without a child. */
  finishTaskWithoutAttempt(taskId: number, outcome: TaskOutcome): JobStatus | null {
    return this.db.tx(() => {
      const now = Date.now();
      const task = this.getTask(taskId)!;
      this.applyPlan(task, planOutcome(outcome), now);
      return this.summaries.settle(task.jobId, now);
    });
  }

  private applyPlan(task: TaskRecord, plan: OutcomePlan, now: number): void {
    const move = plan.task;
    if (!move.from.includes(task.state)) throw new Error(`task ${task.id} cannot go from ${task.state} to ${move.to}`);
    this.db
      .sql(
        `UPDATE tasks SET state = @to, reason = CASE WHEN @keepReason THEN reason ELSE @reason END,
           failures = failures + @failure, not_before = COALESCE(@notBefore, not_before),
           finished_at = CASE WHEN @finishes THEN @now ELSE finished_at END
         WHERE id = @id`,
      )
      .run({
        id: task.id,
        to: move.to,
        keepReason: move.reason === undefined ? 1 : 0,
        reason: move.reason ?? null,
        failure: move.countsFailure ? 1 : 0,
        notBefore: move.notBefore,
        finishes: move.finishes ? 1 : 0,
        now,
      });
    const apart = plan.notReached?.frames ?? [];
    if (plan.notReached && apart.length) this.moveFrames(`task_id = ? AND frame IN (${placeholders(apart.length)})`, [task.id, ...apart], plan.notReached.move);
    if (plan.frames) {
      if (apart.length) this.moveFrames(`task_id = ? AND frame NOT IN (${placeholders(apart.length)})`, [task.id, ...apart], plan.frames);
      else this.moveFrames('task_id = ?', [task.id], plan.frames);
    }
    // Queued frames without a task are chunked again by the scheduler (compileRemaining).
    if (plan.detachPending) this.db.sql("UPDATE frames SET task_id = NULL WHERE task_id = ? AND state = 'queued'").run(task.id);
  }

  /** Moves the frames matched by `where` that the table lets move (done frames never do). */
  moveFrames(where: string, params: readonly unknown[], move: StateMove<FrameState>): void {
    const keep = move.reason === undefined;
    this.db
      .sql(`UPDATE frames SET state = ?${keep ? '' : ', reason = ?'} WHERE ${where} AND state IN (${placeholders(move.from.length)})`)
      .run(move.to, ...(keep ? [] : [move.reason]), ...params, ...move.from);
  }

  /** Moves the job's tasks (both roles) that are not running, for a change of intent. */
  moveTasks(jobId: number, move: StateMove<TaskState>, options: { resetBudget: boolean; finishes: boolean }, now: number): void {
    const keep = move.reason === undefined;
    const sets = [
      'state = ?',
      ...(keep ? [] : ['reason = ?']),
      ...(options.resetBudget ? ['failures = 0', 'not_before = NULL'] : []),
      options.finishes ? 'finished_at = ?' : 'finished_at = NULL',
    ];
    this.db
      .sql(`UPDATE tasks SET ${sets.join(', ')} WHERE job_id = ? AND state IN (${placeholders(move.from.length)})`)
      .run(move.to, ...(keep ? [] : [move.reason]), ...(options.finishes ? [now] : []), jobId, ...move.from);
  }

  // ---- crash recovery -----------------------------------------------------------------------

  openAttempts(): OpenAttempt[] {
    return (
      this.db
        .sql('SELECT a.id, a.task_id, t.job_id, a.pid, a.pid_start FROM attempts a JOIN tasks t ON t.id = a.task_id WHERE a.ended_at IS NULL')
        .all() as Row[]
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
   * tasks go back to the queue (canceled jobs' are canceled). Done frames are untouched.
   */
  recoverInterrupted(reason: string): number {
    return this.db.tx(() => {
      const now = Date.now();
      for (const attempt of this.openAttempts()) {
        this.db.sql("UPDATE attempts SET ended_at = ?, reason = ?, outcome = ? WHERE id = ?").run(now, reason, attemptOutcome({ kind: 'requeue' }, 'shutdown'), attempt.attemptId);
      }
      const running = this.db.sql("SELECT t.*, j.intent FROM tasks t JOIN jobs j ON j.id = t.job_id WHERE t.state = 'running'").all() as Row[];
      for (const row of running) {
        const task = rowToTask(row);
        const outcome: TaskOutcome = row.intent === 'canceled' ? { kind: 'canceled', reason: 'canceled by user' } : { kind: 'requeue' };
        this.applyPlan(task, planOutcome(outcome), now);
        this.summaries.settle(task.jobId, now);
      }
      return running.length;
    });
  }

  /** A move step moved the frames: their records follow the files. */
  moveFrameOutputs(jobId: number, moved: ReadonlyMap<string, string>): void {
    this.db.tx(() => {
      // Same bytes, but a copy to another disk has a new mtime: only the size still proves the file.
      const update = this.db.sql('UPDATE frames SET output = ?, output_mtime_ms = NULL WHERE job_id = ? AND output = ?');
      for (const [from, to] of moved) update.run(to, jobId, from);
      for (const step of this.stepsOf(jobId)) {
        if (!step.outputs.some((o) => moved.has(o))) continue;
        this.db.sql('UPDATE tasks SET outputs = ? WHERE id = ?').run(JSON.stringify(step.outputs.map((o) => moved.get(o) ?? o)), step.id);
      }
    });
  }
}

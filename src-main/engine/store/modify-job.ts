import { MODIFY_REQUEUES_FRAMES, supersedeTask } from '../lifecycle/modify';
import type { JobSpec, JobStatus, TaskState } from '../types';
import { placeholders, type Db, type Row } from './database';
import type { Summaries } from './summaries';
import type { WorkRepo } from './work';

/** A job's new settings, checked as a new job would be (engine/modify-job.ts). */
export interface JobChange {
  spec: JobSpec;
  /** The new frame set, in render order. */
  frames: readonly number[];
  /** Chunks for the frames left to render (in order); frames it leaves out wait for automatic chunking. */
  chunk: (pending: readonly number[]) => readonly (readonly number[])[];
  /** Job ids it waits for, replacing the old list. */
  after: readonly number[];
  /** Runs first inside the transaction; throws when the job may not change any more (work started or was handed to a farm meanwhile). */
  check: () => void;
}

/**
 * Applies a change in one transaction, as lifecycle/modify.ts describes: done frames the new set
 * keeps stay done, frames it leaves out leave the job (their files are not touched), the rest
 * are chunked again; chunks that ran keep their attempts.
 */
export function applyJobChange(db: Db, work: WorkRepo, summaries: Summaries, jobId: number, change: JobChange): JobStatus | null {
  return db.tx(() => {
    change.check();
    const now = Date.now();
    const keep = new Set(change.frames);
    const removeFrame = db.sql('DELETE FROM frames WHERE job_id = ? AND frame = ?');
    for (const row of db.sql('SELECT frame FROM frames WHERE job_id = ?').all(jobId) as Row[]) {
      if (!keep.has(row.frame as number)) removeFrame.run(jobId, row.frame);
    }
    const reorder = db.sql('UPDATE frames SET ord = ? WHERE job_id = ? AND frame = ?');
    // A frame added to a job someone may be watching takes a revision, as a changed one does (frames_rev).
    const insert = db.sql("INSERT INTO frames (job_id, frame, ord, state, rev) VALUES (@job, @frame, @ord, 'queued', (SELECT COALESCE(MAX(rev), 0) + 1 FROM frames WHERE job_id = @job))");
    change.frames.forEach((frame, ord) => {
      if (reorder.run(ord, jobId, frame).changes === 0) insert.run({ job: jobId, frame, ord });
    });
    db.sql(`UPDATE frames SET state = 'queued', reason = NULL, task_id = NULL WHERE job_id = ? AND state IN (${placeholders(MODIFY_REQUEUES_FRAMES.length)})`).run(
      jobId,
      ...MODIFY_REQUEUES_FRAMES,
    );
    supersedeRenderTasks(db, jobId, now);

    const pending = work.unassignedFrames(jobId);
    const { next } = db.sql("SELECT COALESCE(MAX(idx) + 1, 0) AS next FROM tasks WHERE job_id = ? AND role = 'render'").get(jobId) as { next: number };
    work.insertRenderTasks(jobId, next, change.chunk(pending));

    const { spec } = change;
    db.sql(
      `UPDATE jobs SET name = @name, frames_text = @framesText, frame_count = @frameCount, chunk_size = @chunkSize, output = @output,
         priority = @priority, slots = @slots, retries = @retries, stall_timeout_s = @stallTimeoutSec, task_timeout_s = @taskTimeoutSec,
         device = @device, overrides = @overrides, farm = @farm,
         farm_waiting = CASE WHEN farm IS @farm THEN farm_waiting ELSE NULL END WHERE id = @id`,
    ).run({
      ...spec,
      id: jobId,
      // Where it renders (checked by the caller: lifecycle/farm-change.ts); a wait for the old farm is not this one's.
      farm: spec.farm ?? null,
      frameCount: change.frames.length,
      device: JSON.stringify(spec.device),
      overrides: JSON.stringify(spec.overrides),
    });
    db.sql('DELETE FROM job_deps WHERE job_id = ?').run(jobId);
    const addDep = db.sql('INSERT INTO job_deps (job_id, dep_id) VALUES (?, ?)');
    for (const depId of new Set(change.after)) addDep.run(jobId, depId);
    return summaries.settle(jobId, now);
  });
}

/**
 * Render chunks that have not succeeded give up their frames: one that never ran goes, one that
 * ran stays as the record of its attempts, ended `succeeded` with the frames it finished.
 */
function supersedeRenderTasks(db: Db, jobId: number, now: number): void {
  const tasks = db
    .sql(
      `SELECT id, state, EXISTS(SELECT 1 FROM attempts a WHERE a.task_id = t.id) AS ran
       FROM tasks t WHERE job_id = ? AND role = 'render' AND state != 'succeeded'`,
    )
    .all(jobId) as Row[];
  for (const task of tasks) {
    if (!task.ran) {
      db.sql('DELETE FROM tasks WHERE id = ?').run(task.id);
      continue;
    }
    if (!supersedeTask(task.state as TaskState)) throw new Error(`task ${String(task.id)} is ${String(task.state)}: a job with running work cannot change`);
    db.sql("UPDATE tasks SET state = 'succeeded', not_before = NULL, finished_at = COALESCE(finished_at, ?) WHERE id = ?").run(now, task.id);
  }
}


import type { IntentPlan } from '../lifecycle/intent';
import type { JobRecord, JobSpec, JobStatus } from '../types';
import type { Db, Row } from './database';
import { applyJobChange, type JobChange } from './modify-job';
import { rowToJob } from './rows';
import type { Summaries } from './summaries';
import type { WorkRepo } from './work';

/** A job to insert. `after`: the jobs it waits for, by id or by position in the same batch. */
export interface NewJob {
  spec: JobSpec;
  frames: readonly number[];
  /** Its render chunks when already known; null: frames wait unassigned until the scene is measured. */
  chunks: readonly (readonly number[])[] | null;
  after?: readonly ({ id: number } | { index: number })[];
}

/** Jobs: what was asked (spec, intent, priority) and what they wait for. */
export class JobsRepo {
  constructor(
    private readonly db: Db,
    private readonly work: WorkRepo,
    private readonly summaries: Summaries,
  ) {}

  /** Stores a job with its frames and tasks (see NewJob). */
  insert(spec: JobSpec, frames: readonly number[], chunks: readonly (readonly number[])[] | null): JobRecord {
    return this.insertMany([{ spec, frames, chunks }])[0]!;
  }

  /**
   * Several jobs in one transaction: all are queued or none. `inTx` runs inside the same
   * transaction once they are in (a watch folder records the file it queued there).
   */
  insertMany(items: readonly NewJob[], inTx?: (jobs: JobRecord[]) => void): JobRecord[] {
    return this.db.tx(() => {
      const now = Date.now();
      const jobs = items.map((item) => this.insertOne(item, now));
      const addDep = this.db.sql('INSERT OR IGNORE INTO job_deps (job_id, dep_id) VALUES (?, ?)');
      items.forEach((item, i) => {
        for (const ref of item.after ?? []) {
          const depId = 'id' in ref ? ref.id : jobs[ref.index]!.id;
          if (depId === jobs[i]!.id) throw new Error(`job ${depId} cannot wait for itself`);
          if (!this.get(depId)) throw new Error(`no job ${depId} to wait for`);
          addDep.run(jobs[i]!.id, depId);
        }
      });
      inTx?.(jobs);
      return jobs;
    });
  }

  private insertOne({ spec, frames, chunks }: NewJob, now: number): JobRecord {
    const info = this.db
      .sql(
        `INSERT INTO jobs (name, dcc, scene, frames_text, frame_count, chunk_size, output, priority, slots, retries,
           stall_timeout_s, task_timeout_s, device, overrides, tags, farm, created_at)
         VALUES (@name, @dcc, @scene, @framesText, @frameCount, @chunkSize, @output, @priority, @slots, @retries,
           @stallTimeoutSec, @taskTimeoutSec, @device, @overrides, @tags, @farm, @createdAt)`,
      )
      .run({
        ...spec,
        frameCount: frames.length,
        device: JSON.stringify(spec.device),
        overrides: JSON.stringify(spec.overrides),
        tags: JSON.stringify(spec.tags ?? []),
        farm: spec.farm ?? null,
        createdAt: now,
      });
    const jobId = Number(info.lastInsertRowid);
    const insertFrame = this.db.sql("INSERT INTO frames (job_id, frame, ord, state) VALUES (?, ?, ?, 'queued')");
    frames.forEach((frame, ord) => insertFrame.run(jobId, frame, ord));
    if (chunks) this.work.insertRenderTasks(jobId, 0, chunks);
    this.work.insertStepTasks(jobId, spec.steps ?? []);
    return this.get(jobId)!;
  }

  get(id: number): JobRecord | null {
    const row = this.db.sql('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
    return row ? rowToJob(row) : null;
  }

  /** By numeric id, or by name when exactly one job has it (the newest wins on ties). */
  find(ref: string): JobRecord | null {
    if (/^\d+$/.test(ref.trim())) {
      const byId = this.get(Number(ref));
      if (byId) return byId;
    }
    const row = this.db.sql('SELECT * FROM jobs WHERE name = ? ORDER BY id DESC LIMIT 1').get(ref) as Row | undefined;
    return row ? rowToJob(row) : null;
  }

  /** Applies a change of intent the lifecycle planned, with what it does to tasks and frames. */
  applyIntent(jobId: number, plan: IntentPlan): JobStatus | null {
    return this.db.tx(() => {
      const now = Date.now();
      const clearsFinish = plan.resetsBudget;
      this.db
        .sql(`UPDATE jobs SET intent = ?, pause_mode = ?${clearsFinish ? ', finished_at = NULL' : ''} WHERE id = ?`)
        .run(plan.intent, plan.pauseMode, jobId);
      if (plan.tasks) this.work.moveTasks(jobId, plan.tasks, { resetBudget: plan.resetsBudget, finishes: plan.tasks.to === 'canceled' }, now);
      if (plan.frames) this.work.moveFrames('job_id = ?', [jobId], plan.frames);
      return this.summaries.settle(jobId, now);
    });
  }

  /** New settings for a job that runs nothing (store/modify-job.ts), in one transaction. */
  modify(jobId: number, change: JobChange): JobStatus | null {
    return applyJobChange(this.db, this.work, this.summaries, jobId, change);
  }

  /** The jobs this one waits for (directly). */
  depsOf(jobId: number): number[] {
    return (this.db.sql('SELECT dep_id FROM job_deps WHERE job_id = ? ORDER BY dep_id').all(jobId) as Row[]).map((r) => r.dep_id as number);
  }

  delete(jobId: number): void {
    this.db.tx(() => this.db.sql('DELETE FROM jobs WHERE id = ?').run(jobId));
  }

  /**
   * "Clear finished": finished jobs (all, or those of `ids`) leave the queue for History. Only a
   * flag: the job, its frames, logs and files stay. Returns the ids it archived.
   */
  archiveFinished(ids: readonly number[] | null, now: number): number[] {
    return this.db.tx(() => {
      const rows = (
        ids === null
          ? this.db.sql('SELECT id FROM jobs WHERE finished_at IS NOT NULL AND archived_at IS NULL ORDER BY id').all()
          : ids.map((id) => this.db.sql('SELECT id FROM jobs WHERE id = ? AND finished_at IS NOT NULL AND archived_at IS NULL').get(id)).filter(Boolean)
      ) as Row[];
      const archive = this.db.sql('UPDATE jobs SET archived_at = ? WHERE id = ?');
      for (const row of rows) archive.run(now, row.id);
      return rows.map((row) => row.id as number);
    });
  }

  setPriority(jobId: number, priority: number): void {
    this.db.tx(() => this.db.sql('UPDATE jobs SET priority = ? WHERE id = ?').run(priority, jobId));
  }

  /** Jobs that wait for this one (directly). */
  dependentsOf(jobId: number): number[] {
    return (this.db.sql('SELECT job_id FROM job_deps WHERE dep_id = ? ORDER BY job_id').all(jobId) as Row[]).map((r) => r.job_id as number);
  }
}

import { allowedActions } from '../lifecycle/actions';
import { suspendedNote } from '../lifecycle/frame-actions';
import { cachedOutcome, deriveJobStatus, isFinal, NO_TASKS, type DepGate, type JobFacts } from '../lifecycle/job-status';
import type { JobDependency, JobRecord, JobStatus, JobSummary, TaskCounts, TaskState } from '../types';
import type { Db, Row } from './database';
import { rowToJob } from './rows';
import { nextPausedClock } from '../lifecycle/paused-clock';
import { medianMs } from '../frames/frame-time';

interface DepRow {
  id: number;
  name: string;
  outcome: string | null;
}

interface FrameTally {
  done: number;
  failed: number;
  running: number;
  suspended: number;
  unassigned: number;
}

const NO_FRAMES: FrameTally = { done: 0, failed: 0, running: 0, suspended: 0, unassigned: 0 };

/**
 * The one line that says why a job failed: the render task that failed or was canceled most
 * recently, and of those finished in the same millisecond the earliest chunk. A step's reason
 * comes from its first step that failed, was canceled or waits. One query for one job or all.
 */
const TASK_REASONS = (filter: string) => `
  SELECT job_id, role, kind, reason FROM (
    SELECT job_id, role, json_extract(spec, '$.kind') AS kind, reason, ROW_NUMBER() OVER (
      PARTITION BY job_id, role
      ORDER BY CASE role WHEN 'render' THEN -COALESCE(finished_at, 0) ELSE 0 END, idx
    ) AS rn
    FROM tasks
    WHERE ${filter} reason IS NOT NULL
      AND ((role = 'render' AND state IN ('failed','canceled')) OR (role = 'step' AND state IN ('failed','canceled','waiting')))
  ) WHERE rn = 1`;

const DEPS = (filter: string) =>
  `SELECT d.job_id, p.id, p.name, p.outcome FROM job_deps d JOIN jobs p ON p.id = d.dep_id ${filter} ORDER BY p.id`;

/** Jobs that wait for one and are not finished (their cached outcome is unset or blocked). */
const WAITING_DEPENDENTS = (filter: string) =>
  `SELECT d.dep_id, c.id, c.name FROM job_deps d JOIN jobs c ON c.id = d.job_id
   WHERE ${filter} (c.outcome IS NULL OR c.outcome = 'blocked') ORDER BY c.id`;

/** Where a job's dependencies stand, and the reason shown while it waits or is blocked. */
export function depGate(deps: readonly DepRow[]): { gate: DepGate; reason: string | null } {
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

/** The one line that says why a job is where it is: its frames' failure, a step's, or its wait. */
function pickReason(status: JobStatus, taskReason: string | null, stepReason: string | null, depReason: string | null): string | null {
  if (status === 'blocked' || (status === 'queued' && depReason)) return depReason;
  return taskReason ?? stepReason;
}

function groupBy<T>(rows: readonly Row[], key: string, map: (row: Row) => T): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const row of rows) {
    const id = row[key] as number;
    const list = out.get(id);
    if (list) list.push(map(row));
    else out.set(id, [map(row)]);
  }
  return out;
}

/**
 * Job summaries: a job's status derived (lifecycle/job-status.ts) from one set of counts, its
 * reason, and the actions it takes. Also settles a job when its status turns final or live.
 */
export class Summaries {
  constructor(private readonly db: Db) {}

  summarize(job: JobRecord): JobSummary {
    return this.build([job], job.id)[0]!;
  }

  /** Every job, newest last: one pass over each table, not one per job. */
  listJobs(): JobSummary[] {
    return this.build((this.db.sql('SELECT * FROM jobs ORDER BY id').all() as Row[]).map(rowToJob), null);
  }

  private build(jobs: readonly JobRecord[], only: number | null): JobSummary[] {
    const where = only === null ? '' : 'job_id = @id AND';
    const params = only === null ? {} : { id: only };
    const renders = new Map<number, TaskCounts>();
    const steps = new Map<number, TaskCounts>();
    for (const row of this.db.sql(`SELECT job_id, role, state, COUNT(*) AS n FROM tasks ${only === null ? '' : 'WHERE job_id = @id'} GROUP BY job_id, role, state`).all(params) as Row[]) {
      const byRole = row.role === 'step' ? steps : renders;
      const id = row.job_id as number;
      let counts = byRole.get(id);
      if (!counts) byRole.set(id, (counts = { ...NO_TASKS }));
      counts[row.state as TaskState] = row.n as number;
    }
    // Counted from the (job_id, state) index and the unassigned few in frames_task: reading every
    // frame row for the same sums took 2.4x as long (250,000 frames: 85 ms against 36 ms).
    const frames = new Map<number, FrameTally>();
    const tally = (id: number): FrameTally => {
      let t = frames.get(id);
      if (!t) frames.set(id, (t = { ...NO_FRAMES }));
      return t;
    };
    for (const row of this.db.sql(`SELECT job_id, state, COUNT(*) AS n FROM frames ${only === null ? '' : 'WHERE job_id = @id'} GROUP BY job_id, state`).all(params) as Row[]) {
      const state = row.state as string;
      if (state === 'done' || state === 'failed' || state === 'running' || state === 'suspended') tally(row.job_id as number)[state] = row.n as number;
    }
    for (const row of this.db.sql(`SELECT job_id, COUNT(*) AS n FROM frames WHERE ${where} task_id IS NULL AND state = 'queued' GROUP BY job_id`).all(params) as Row[]) {
      tally(row.job_id as number).unassigned = row.n as number;
    }
    const frameTimes = only === null ? this.frameTimes(where, params) : null;
    const taskReasons = new Map<number, string>();
    const stepReasons = new Map<number, string>();
    for (const row of this.db.sql(TASK_REASONS(where)).all(params) as Row[]) {
      if (row.role === 'render') taskReasons.set(row.job_id as number, row.reason as string);
      else stepReasons.set(row.job_id as number, `${row.kind as string} step: ${row.reason as string}`);
    }
    const deps = groupBy(this.db.sql(DEPS(only === null ? '' : 'WHERE d.job_id = @id')).all(params) as Row[], 'job_id', toDepRow);
    const dependents = groupBy(
      this.db.sql(WAITING_DEPENDENTS(only === null ? '' : 'd.dep_id = @id AND')).all(params) as Row[],
      'dep_id',
      (r) => ({ id: r.id as number, name: r.name as string }),
    );
    return jobs.map((job) => {
      const f = frames.get(job.id) ?? NO_FRAMES;
      const gate = depGate(deps.get(job.id) ?? []);
      const facts: JobFacts = {
        intent: job.intent,
        renders: renders.get(job.id) ?? { ...NO_TASKS },
        unassignedFrames: f.unassigned,
        started: job.startedAt !== null,
        steps: steps.get(job.id) ?? NO_TASKS,
        deps: gate.gate,
      };
      const status = deriveJobStatus(facts);
      const failedRenders = status === 'failed' || status === 'canceled' || facts.renders.failed > 0;
      const taskReason = failedRenders ? (taskReasons.get(job.id) ?? null) : null;
      const summary: Omit<JobSummary, 'actions'> = {
        ...job,
        status,
        reason: job.farmWaiting && !isFinal(status)
          ? `waiting for farm ${job.farm} (${job.farmWaiting})`
          : (pickReason(status, taskReason, stepReasons.get(job.id) ?? null, gate.reason) ?? suspendedNote(status, f.suspended)),
        framesDone: f.done,
        framesFailed: f.failed,
        framesRunning: f.running,
        framesSuspended: f.suspended,
        medianFrameMs: frameTimes ? medianMs(frameTimes.get(job.id) ?? []) : this.medianOf(job.id),
        tasks: facts.renders,
      };
      const actions = allowedActions({ ...summary, waitingDependents: dependents.get(job.id) ?? [] });
      return { ...summary, actions, depGate: gate.gate };
    });
  }

  /**
   * One job's median render time from the middle rows of the frames_render_ms index: a summary
   * is read for every thumbnail and job event, and a 100,000-frame job's every time made each one
   * an array of 100,000 numbers.
   */
  private medianOf(jobId: number): number | null {
    const times = "FROM frames WHERE job_id = ? AND state = 'done' AND render_ms IS NOT NULL";
    const n = this.db.sql(`SELECT COUNT(*) ${times}`).pluck().get(jobId) as number;
    if (n === 0) return null;
    return medianMs(this.db.sql(`SELECT render_ms ${times} ORDER BY render_ms LIMIT ? OFFSET ?`).pluck().all(jobId, 2 - (n % 2), (n - 1) >> 1) as number[]);
  }

  /** Done frames' render times per job, in order (read from the frames_render_ms index, no sort). */
  private frameTimes(where: string, params: { id?: number }): Map<number, number[]> {
    const out = new Map<number, number[]>();
    const rows = this.db
      .sql(`SELECT job_id, render_ms FROM frames WHERE ${where} state = 'done' AND render_ms IS NOT NULL ORDER BY job_id, state, render_ms`)
      .raw()
      .all(params) as [number, number][];
    for (const [id, ms] of rows) {
      const list = out.get(id);
      if (list) list.push(ms);
      else out.set(id, [ms]);
    }
    return out;
  }

  /**
   * The derived status alone, from index lookups rather than counts: it runs in every task's
   * finishing transaction, where counting a 10,000-task job each time made dispatch quadratic.
   * deriveJobStatus only tells none from some (and all-succeeded from mixed), so 0/1 presence
   * flags give the same status that the full counts do (a property test holds them equal).
   */
  statusOf(job: JobRecord): JobStatus {
    const has = this.db
      .sql(
        `SELECT
           EXISTS(SELECT 1 FROM tasks WHERE role = 'render' AND state = 'queued' AND job_id = @id) AS queued,
           EXISTS(SELECT 1 FROM tasks WHERE role = 'render' AND state = 'waiting' AND job_id = @id) AS waiting,
           EXISTS(SELECT 1 FROM tasks WHERE role = 'render' AND state = 'running' AND job_id = @id) AS running,
           EXISTS(SELECT 1 FROM tasks WHERE role = 'render' AND state = 'succeeded' AND job_id = @id) AS succeeded,
           EXISTS(SELECT 1 FROM tasks WHERE role = 'render' AND state = 'failed' AND job_id = @id) AS failed,
           EXISTS(SELECT 1 FROM tasks WHERE role = 'render' AND state = 'canceled' AND job_id = @id) AS canceled,
           EXISTS(SELECT 1 FROM frames WHERE task_id IS NULL AND job_id = @id AND state = 'queued') AS unassigned,
           EXISTS(SELECT 1 FROM tasks WHERE role = 'step' AND job_id = @id) AS hasSteps`,
      )
      .get({ id: job.id }) as Record<TaskState | 'unassigned' | 'hasSteps', number>;
    const renders: TaskCounts = {
      queued: has.queued,
      waiting: has.waiting,
      running: has.running,
      succeeded: has.succeeded,
      failed: has.failed,
      canceled: has.canceled,
    };
    let steps = NO_TASKS;
    if (has.hasSteps) {
      steps = { ...NO_TASKS };
      for (const row of this.db.sql("SELECT state, COUNT(*) AS n FROM tasks WHERE role = 'step' AND job_id = ? GROUP BY state").all(job.id) as Row[]) {
        steps[row.state as TaskState] = row.n as number;
      }
    }
    const deps = depGate(this.db.sql(DEPS('WHERE d.job_id = ?')).all(job.id) as DepRow[]).gate;
    return deriveJobStatus({ intent: job.intent, renders, unassignedFrames: has.unassigned, started: job.startedAt !== null, steps, deps });
  }

  /** The jobs this one waits for, with their status now. */
  depsOf(jobId: number): JobDependency[] {
    return (this.db.sql(DEPS('WHERE d.job_id = ?')).all(jobId) as Row[]).map((d) => ({
      id: d.id as number,
      name: d.name as string,
      status: this.statusOf(rowToJob(this.db.sql('SELECT * FROM jobs WHERE id = ?').get(d.id) as Row)),
    }));
  }

  /**
   * Writes finished_at when the derived status is final, clears it when the job is live again,
   * and runs the paused clock (lifecycle/paused-clock.ts) while the job stands paused.
   * Also caches the outcome that jobs waiting for this one read (queue queries exclude them in
   * SQL); when it changes, those jobs are settled too, so a failure blocks the whole chain and a
   * retry unblocks it. Runs inside the caller's transaction.
   */
  settle(jobId: number, now: number): JobStatus | null {
    const row = this.db.sql('SELECT * FROM jobs WHERE id = ?').get(jobId) as Row | undefined;
    if (!row) return null;
    const job = rowToJob(row);
    const status = this.statusOf(job);
    const final = isFinal(status);
    if (final && job.finishedAt === null) this.db.sql('UPDATE jobs SET finished_at = ? WHERE id = ?').run(now, jobId);
    // A job live again (retried, resumed) comes back from History to the queue.
    if (!final && (job.finishedAt !== null || job.archivedAt !== null)) this.db.sql('UPDATE jobs SET finished_at = NULL, archived_at = NULL WHERE id = ?').run(jobId);
    const clock = nextPausedClock(status, job, now);
    if (clock) this.db.sql('UPDATE jobs SET paused_ms = ?, paused_at = ? WHERE id = ?').run(clock.pausedMs, clock.pausedAt, jobId);
    const outcome = cachedOutcome(status);
    if (outcome !== ((row.outcome as string | null) ?? null)) {
      this.db.sql('UPDATE jobs SET outcome = ? WHERE id = ?').run(outcome, jobId);
      for (const dependent of this.db.sql('SELECT job_id FROM job_deps WHERE dep_id = ? ORDER BY job_id').all(jobId) as Row[]) {
        this.settle(dependent.job_id as number, now);
      }
    }
    return status;
  }
}

function toDepRow(r: Row): DepRow {
  return { id: r.id as number, name: r.name as string, outcome: (r.outcome as string | null) ?? null };
}

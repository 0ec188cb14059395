import type { Db, Row } from './database';

/** A farm profile as stored: its config is JSON the farm module validates (farm/profile.ts). */
export interface StoredFarmProfile {
  name: string;
  kind: 'slurm' | 'flamenco';
  config: unknown;
  /** A private file holding the farm's token, if it needs one; never the token itself. */
  secretFile: string | null;
  createdAt: number;
}

/** One hand-off of some of a job's chunks to its farm: stored before the farm is called. */
export interface FarmSubmission {
  id: number;
  jobId: number;
  farm: string;
  tag: string;
  /** The tasks handed off, in the farm's element order (Slurm array index = position). */
  taskIds: number[];
  /** Null until the farm answered: a restart looks the tag up on the farm before anything else. */
  farmJobId: string | null;
  createdAt: number;
}

/** Farm profiles, each job's hand-offs, attempts' farm ids and why a farm job waits. */
export class FarmsRepo {
  constructor(private readonly db: Db) {}

  saveProfile(profile: Omit<StoredFarmProfile, 'createdAt'>): void {
    this.db.tx(() =>
      this.db
        .sql(
          `INSERT INTO farm_profiles (name, kind, config, secret_file, created_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, config = excluded.config, secret_file = excluded.secret_file`,
        )
        .run(profile.name, profile.kind, JSON.stringify(profile.config), profile.secretFile, Date.now()),
    );
  }

  profiles(): StoredFarmProfile[] {
    return (this.db.sql('SELECT * FROM farm_profiles ORDER BY name').all() as Row[]).map(rowToProfile);
  }

  profile(name: string): StoredFarmProfile | null {
    const row = this.db.sql('SELECT * FROM farm_profiles WHERE name = ?').get(name) as Row | undefined;
    return row ? rowToProfile(row) : null;
  }

  removeProfile(name: string): boolean {
    return this.db.tx(() => this.db.sql('DELETE FROM farm_profiles WHERE name = ?').run(name).changes > 0);
  }

  /** Jobs still to finish on a farm: a profile they need is not removed under them. */
  liveJobsOn(farm: string): number[] {
    return (this.db.sql('SELECT id FROM jobs WHERE farm = ? AND finished_at IS NULL ORDER BY id').all(farm) as Row[]).map((r) => r.id as number);
  }

  setJobFarm(jobId: number, farm: string | null): void {
    this.db.tx(() => this.db.sql('UPDATE jobs SET farm = ? WHERE id = ?').run(farm, jobId));
  }

  jobFarm(jobId: number): string | null {
    const row = this.db.sql('SELECT farm FROM jobs WHERE id = ?').get(jobId) as Row | undefined;
    return (row?.farm as string | null | undefined) ?? null;
  }

  recordIntent(jobId: number, farm: string, tag: string, taskIds: readonly number[]): FarmSubmission {
    return this.db.tx(() => {
      const info = this.db
        .sql('INSERT INTO farm_submissions (job_id, farm, tag, task_ids, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(jobId, farm, tag, JSON.stringify(taskIds), Date.now());
      return this.submission(Number(info.lastInsertRowid))!;
    });
  }

  recordFarmJobId(submissionId: number, farmJobId: string): void {
    this.db.tx(() => this.db.sql('UPDATE farm_submissions SET farm_job_id = ? WHERE id = ?').run(farmJobId, submissionId));
  }

  /** A hand-off the farm refused (sbatch said no): nothing to re-attach to. */
  dropSubmission(submissionId: number): void {
    this.db.tx(() => this.db.sql('DELETE FROM farm_submissions WHERE id = ?').run(submissionId));
  }

  submission(id: number): FarmSubmission | null {
    const row = this.db.sql('SELECT * FROM farm_submissions WHERE id = ?').get(id) as Row | undefined;
    return row ? rowToSubmission(row) : null;
  }

  submissionsOf(jobId: number): FarmSubmission[] {
    return (this.db.sql('SELECT * FROM farm_submissions WHERE job_id = ? ORDER BY id').all(jobId) as Row[]).map(rowToSubmission);
  }

  recordFarmId(attemptId: number, farmId: string): void {
    this.db.sql('UPDATE attempts SET farm_id = ? WHERE id = ?').run(farmId, attemptId);
  }

  /**
   * Whether an attempt of this task already took its result from this farm job (it ended otherwise
   * than interrupted or paused): a retry then needs a new hand-off, not the old element again. A
   * task is one element of a farm job, and each back-end's element ids start with the farm job's
   * id (Slurm `123_4`, Flamenco `<job>/<task>`), so the prefix says whose result it was.
   */
  elementConsumed(taskId: number, farmJobId: string): boolean {
    return (
      this.db
        .sql(
          "SELECT 1 FROM attempts WHERE task_id = ? AND outcome IN ('succeeded','failed','retried','canceled') AND substr(farm_id, 1, ?) IN (? || '_', ? || '/') LIMIT 1",
        )
        .get(taskId, farmJobId.length + 1, farmJobId, farmJobId) !== undefined
    );
  }

  farmIdOf(attemptId: number): string | null {
    const row = this.db.sql('SELECT farm_id FROM attempts WHERE id = ?').get(attemptId) as Row | undefined;
    return (row?.farm_id as string | null | undefined) ?? null;
  }

  /** Why the job waits for its farm (null: it does not). */
  setWaiting(jobId: number, reason: string | null): void {
    this.db.tx(() => this.db.sql('UPDATE jobs SET farm_waiting = ? WHERE id = ? AND farm_waiting IS NOT ?').run(reason, jobId, reason));
  }

  waitingReason(jobId: number): string | null {
    const row = this.db.sql('SELECT farm_waiting FROM jobs WHERE id = ?').get(jobId) as Row | undefined;
    return (row?.farm_waiting as string | null | undefined) ?? null;
  }
}

function rowToProfile(row: Row): StoredFarmProfile {
  return {
    name: row.name as string,
    kind: row.kind as StoredFarmProfile['kind'],
    config: JSON.parse(row.config as string) as unknown,
    secretFile: (row.secret_file as string | null) ?? null,
    createdAt: row.created_at as number,
  };
}

function rowToSubmission(row: Row): FarmSubmission {
  return {
    id: row.id as number,
    jobId: row.job_id as number,
    farm: row.farm as string,
    tag: row.tag as string,
    taskIds: JSON.parse(row.task_ids as string) as number[],
    farmJobId: (row.farm_job_id as string | null) ?? null,
    createdAt: row.created_at as number,
  };
}

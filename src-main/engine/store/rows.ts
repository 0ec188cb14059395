import type { AttemptOutcome, AttemptRecord, FrameRecord, FrameState, JobIntent, JobRecord, PauseMode, StepRecord, TaskRecord, TaskRole, TaskState } from '../types';
import { formatFrameSet } from '../frames/format';
import type { Row } from './database';

export type { Row };

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function rowToJob(row: Row): JobRecord {
  return {
    id: row.id as number,
    name: row.name as string,
    dcc: row.dcc as string,
    scene: str(row.scene),
    framesText: row.frames_text as string,
    frameCount: row.frame_count as number,
    chunkSize: num(row.chunk_size),
    output: str(row.output),
    priority: row.priority as number,
    slots: num(row.slots),
    retries: row.retries as number,
    stallTimeoutSec: num(row.stall_timeout_s),
    taskTimeoutSec: num(row.task_timeout_s),
    device: JSON.parse(row.device as string),
    overrides: JSON.parse(row.overrides as string),
    tags: row.tags ? (JSON.parse(row.tags as string) as string[]) : [],
    farm: str(row.farm),
    farmWaiting: str(row.farm_waiting),
    intent: row.intent as JobIntent,
    pauseMode: (row.pause_mode as PauseMode | null) ?? null,
    pausedMs: (row.paused_ms as number | null) ?? 0,
    pausedAt: num(row.paused_at),
    createdAt: row.created_at as number,
    startedAt: num(row.started_at),
    finishedAt: num(row.finished_at),
    archivedAt: num(row.archived_at),
  };
}

export function rowToTask(row: Row): TaskRecord {
  return {
    id: row.id as number,
    jobId: row.job_id as number,
    role: row.role as TaskRole,
    index: row.idx as number,
    state: row.state as TaskState,
    failures: row.failures as number,
    notBefore: num(row.not_before),
    reason: str(row.reason),
    startedAt: num(row.started_at),
    finishedAt: num(row.finished_at),
  };
}

export function rowToFrame(row: Row): FrameRecord {
  return {
    jobId: row.job_id as number,
    frame: row.frame as number,
    taskId: num(row.task_id),
    state: row.state as FrameState,
    output: str(row.output),
    reason: str(row.reason),
    renderMs: num(row.render_ms),
    attemptId: num(row.attempt_id),
  };
}

export function rowToAttempt(row: Row): AttemptRecord {
  return {
    id: row.id as number,
    taskId: row.task_id as number,
    role: row.role as TaskRole,
    taskIndex: row.task_index as number,
    number: row.number as number,
    frames: formatFrameSet(JSON.parse((row.frames_json as string | null) ?? '[]') as number[]),
    argv: JSON.parse(row.argv as string),
    device: JSON.parse(row.device as string),
    pid: num(row.pid),
    pidStart: str(row.pid_start),
    farmId: str(row.farm_id),
    startedAt: row.started_at as number,
    endedAt: num(row.ended_at),
    exitCode: num(row.exit_code),
    signal: str(row.signal),
    reason: str(row.reason),
    outcome: (row.outcome as AttemptOutcome | null) ?? null,
    logPath: row.log_path as string,
  };
}

/** A step task's row, with `attempts` and `log_path` (its latest attempt's) joined in. */
export function rowToStep(row: Row): StepRecord {
  const spec = JSON.parse(row.spec as string);
  return {
    id: row.id as number,
    jobId: row.job_id as number,
    index: row.idx as number,
    kind: spec.kind,
    spec,
    state: row.state as TaskState,
    attempts: row.attempts as number,
    failures: row.failures as number,
    notBefore: num(row.not_before),
    reason: str(row.reason),
    outputs: row.outputs ? (JSON.parse(row.outputs as string) as string[]) : [],
    logPath: str(row.log_path),
    startedAt: num(row.started_at),
    finishedAt: num(row.finished_at),
  };
}

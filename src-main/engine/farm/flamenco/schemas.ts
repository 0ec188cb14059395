import { z } from 'zod';

/**
 * The parts of Flamenco 3.x's OpenAPI spec (`pkg/api/flamenco-openapi.yaml`) that Spool reads,
 * as zod schemas. Every answer is parsed through one of these, so a Manager that answers something
 * else fails with the field named instead of turning into a wrong frame state later. Unknown
 * fields pass (`loose`): newer Managers add fields and that must not break Spool.
 */

/** `JobStatus`; `pause-requested` arrived with 3.7's pause support. */
export const JOB_STATUSES = [
  'active',
  'canceled',
  'completed',
  'failed',
  'paused',
  'pause-requested',
  'queued',
  'cancel-requested',
  'requeueing',
  'under-construction',
] as const;
export const JobStatus = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof JobStatus>;

export const TASK_STATUSES = ['active', 'canceled', 'completed', 'failed', 'queued', 'soft-failed', 'paused'] as const;
export const TaskStatus = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatus>;

export const FlamencoVersion = z.looseObject({
  version: z.string(),
  shortversion: z.string(),
  name: z.string(),
  git: z.string(),
});
export type FlamencoVersion = z.infer<typeof FlamencoVersion>;

export const AvailableJobSetting = z.looseObject({
  key: z.string(),
  type: z.string(),
  required: z.boolean().optional(),
});

export const AvailableJobType = z.looseObject({
  name: z.string(),
  label: z.string(),
  settings: z.array(AvailableJobSetting),
  etag: z.string(),
});
export type AvailableJobType = z.infer<typeof AvailableJobType>;

/** `SubmittedJob`: what Spool sends (built in job-body.ts, never parsed from an answer). */
export interface SubmittedJob {
  name: string;
  type: string;
  priority: number;
  submitter_platform: string;
  type_etag?: string;
  settings: Record<string, string | number | boolean>;
  metadata: Record<string, string>;
}

export const Job = z.looseObject({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  status: JobStatus,
  activity: z.string(),
  metadata: z.record(z.string(), z.string()).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
});
export type Job = z.infer<typeof Job>;

/** `GET /api/v3/jobs` (3.6+) and `POST /api/v3/jobs/query` (before 3.6) both answer `{jobs}`. */
export const JobList = z.looseObject({ jobs: z.array(Job) });

export const TaskSummary = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: TaskStatus,
  priority: z.number(),
  task_type: z.string(),
  updated: z.string(),
  index_in_job: z.number().optional(),
});
export type TaskSummary = z.infer<typeof TaskSummary>;

// The spec's JobTasksSummary says `required: [jobs]` (a typo for tasks); Managers send `tasks`.
export const JobTasksSummary = z.looseObject({ tasks: z.array(TaskSummary) });

export const Task = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: TaskStatus,
  activity: z.string(),
});

export const ApiError = z.looseObject({ code: z.number(), message: z.string() });

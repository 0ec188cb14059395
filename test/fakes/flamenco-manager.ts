/**
 * A FAKE Flamenco Manager. It is not Flamenco: no Manager can be built on this machine kind, so
 * this is written from Flamenco 3.x's OpenAPI spec (`pkg/api/flamenco-openapi.yaml`) and the
 * Manager code the reference cites (shared/reference/farm-handoff.md §1): the job compiler's
 * chunking and task names, the status enums, the task state machine's pause/cancel/requeue rules,
 * the web UI's allowed job and task actions (anything else: 422), 412 on a stale job-type etag,
 * the 2048-byte logtail, the task log file under /job-files/ (Range requests, as Echo's static
 * handler serves it), and every request body checked against the schema's `required` fields and
 * types, as the Manager's OpenAPI validator middleware does (400; the problem is also recorded in
 * `violations`, which tests assert stays empty, as is any path the spec does not have).
 *
 * It is a real HTTP server on 127.0.0.1 with only the endpoints Spool uses. Tests drive the
 * "workers" through `advanceTask` / `workerLog`, and take the Manager away with `goDown`.
 * Nothing here is shared with the client: the chunker and the rules are written again on purpose,
 * so the tests compare two readings of the spec, not one with itself.
 */
import { createHash, randomUUID } from 'node:crypto';
import { accessSync, constants, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const JOB_STATUSES = ['active', 'canceled', 'completed', 'failed', 'paused', 'pause-requested', 'queued', 'cancel-requested', 'requeueing', 'under-construction'];
const TASK_STATUSES = ['active', 'canceled', 'completed', 'failed', 'queued', 'soft-failed', 'paused'];
type TaskStatus = 'active' | 'canceled' | 'completed' | 'failed' | 'queued' | 'soft-failed' | 'paused';

/** web/app/src/stores/jobs.js JOB_ACTIONS: the status asked for → the statuses it may come from. */
const JOB_ACTIONS: Record<string, readonly string[]> = {
  'cancel-requested': ['active', 'failed', 'paused', 'pause-requested', 'queued'],
  'pause-requested': ['active', 'canceled', 'queued'],
  requeueing: ['canceled', 'completed', 'failed', 'paused'],
};

/** web/app/src/stores/tasks.js: the task status asked for → the statuses it may come from. */
const TASK_ACTIONS: Record<string, readonly string[]> = {
  canceled: ['active', 'queued', 'soft-failed'],
  queued: ['canceled', 'completed', 'failed'],
};

/** What a worker can do to a task (the Manager's worker API), for `advanceTask`. */
const WORKER_MOVES: Record<string, readonly TaskStatus[]> = {
  queued: ['active'],
  'soft-failed': ['active'],
  active: ['completed', 'failed', 'soft-failed'],
};

/** simple_blender_render.js's JOB_TYPE settings at 3.9 (keys, types, required). */
const JOB_TYPE_SETTINGS = [
  { key: 'frames', type: 'string', required: true },
  { key: 'chunk_size', type: 'int32', default: 1 },
  { key: 'render_output_root', type: 'string', subtype: 'dir_path', required: true },
  { key: 'add_path_components', type: 'int32', required: true, default: 0 },
  { key: 'render_output_path', type: 'string', subtype: 'file_path', editable: false },
  { key: 'blendfile', type: 'string', required: true },
  { key: 'fps', type: 'float' },
  { key: 'format', type: 'string', required: true },
  { key: 'image_file_extension', type: 'string', required: true },
  { key: 'has_previews', type: 'bool', required: false },
  { key: 'scene', type: 'string', required: true },
];
const SETTING_TYPES: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  int32: (v) => Number.isInteger(v),
  float: (v) => typeof v === 'number',
  bool: (v) => typeof v === 'boolean',
};

export interface FakeTask {
  id: string;
  name: string;
  task_type: 'blender' | 'ffmpeg';
  status: TaskStatus;
  activity: string;
  index_in_job: number;
  updated: string;
  log: Buffer;
}

export interface FakeJob {
  id: string;
  body: Record<string, unknown>;
  status: string;
  activity: string;
  created: string;
  updated: string;
  tasks: FakeTask[];
}

export interface FakeRequest {
  method: string;
  path: string;
  body: unknown;
  authorization?: string;
}

export interface FakeManagerOptions {
  /** `shortversion`; below 3.6 the job list is `POST /jobs/query`, from 3.6 `GET /jobs`. */
  version?: string;
  storageLocation?: string;
  /** False: a Manager without `GET /tasks/{id}/log` (404), so only the logtail is there. */
  logFiles?: boolean;
}

export class FakeFlamencoManager {
  readonly jobs: FakeJob[] = [];
  readonly requests: FakeRequest[] = [];
  /** Every way a request broke the spec. Tests assert it is empty. */
  readonly violations: string[] = [];
  /** When set, requests are read but never answered (a Manager that hangs). */
  stalled = false;
  private jobTypeLabel = 'Simple Blender Render';
  private server: Server | null = null;
  private port = 0;

  constructor(private readonly options: FakeManagerOptions = {}) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** The Manager goes away: connections are refused until `comeBack`. */
  async goDown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async comeBack(): Promise<void> {
    await this.start();
  }

  stop(): Promise<void> {
    return this.goDown();
  }

  count(method: string, path: string): number {
    return this.requests.filter((r) => r.method === method && r.path === path).length;
  }

  /** The job type's script changed on the Manager: its etag changes. */
  changeJobType(): void {
    this.jobTypeLabel += ' (updated)';
  }

  job(id?: string): FakeJob {
    const job = id ? this.jobs.find((j) => j.id === id) : this.jobs[this.jobs.length - 1];
    if (!job) throw new Error(`fake Manager: no job ${id ?? '(any)'}`);
    return job;
  }

  /** A worker moves a render task (by index among the job's tasks); the job follows (task_state_machine.go). */
  advanceTask(jobId: string, index: number, status: TaskStatus, activity = ''): void {
    const job = this.job(jobId);
    const task = job.tasks[index];
    if (!task) throw new Error(`fake Manager: job ${jobId} has no task ${index}`);
    if (!WORKER_MOVES[task.status]?.includes(status)) throw new Error(`fake Manager: a worker cannot move a task from ${task.status} to ${status}`);
    this.setTask(task, status, activity);
    this.jobAfterTaskChange(job, task);
  }

  /** Lines the worker's command printed, as the worker sends them (`pid=N > line`). */
  workerLog(jobId: string, index: number, lines: readonly string[], pid = 4242): void {
    const task = this.job(jobId).tasks[index]!;
    task.log = Buffer.concat([task.log, Buffer.from(lines.map((l) => `pid=${pid} > ${l}\n`).join(''), 'utf8')]);
  }

  /** Raw bytes into the task log (a line still being written has no newline yet). */
  rawLog(jobId: string, index: number, text: string): void {
    const task = this.job(jobId).tasks[index]!;
    task.log = Buffer.concat([task.log, Buffer.from(text, 'utf8')]);
  }

  private get shortversion(): string {
    return this.options.version ?? '3.9';
  }

  private get minor(): number {
    return Number(/^\d+\.(\d+)/.exec(this.shortversion)?.[1] ?? 0);
  }

  private jobType(): Record<string, unknown> {
    const info = { name: 'simple-blender-render', label: this.jobTypeLabel, settings: JOB_TYPE_SETTINGS };
    return { ...info, etag: createHash('sha1').update(JSON.stringify(info)).digest('hex') };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const method = req.method ?? 'GET';
    let body: unknown;
    if (raw) {
      if (!String(req.headers['content-type']).startsWith('application/json')) this.violations.push(`${method} ${path}: body without a JSON content type`);
      try {
        body = JSON.parse(raw);
      } catch {
        this.violations.push(`${method} ${path}: body is not JSON`);
        return send(res, 400, { code: 400, message: 'invalid format' });
      }
    }
    this.requests.push({ method, path, body, authorization: req.headers.authorization });
    if (this.stalled) return; // never answered: the client's timeout must fire
    const answer = method === 'GET' && path.startsWith('/job-files/') ? this.logFile(path, req.headers.range) : this.route(method, path, body);
    if (answer.status >= 400 && answer.violation) this.violations.push(`${method} ${path}: ${answer.violation}`);
    send(res, answer.status, answer.body, answer.text);
  }

  private route(method: string, path: string, body: unknown): Answer {
    const api = '/api/v3';
    const id = (re: RegExp): string | null => re.exec(path)?.[1] ?? null;
    const jobPath = (tail: string): string | null => (path.startsWith(`${api}/jobs/`) ? id(new RegExp(`^${api}/jobs/([0-9a-f-]{36})${tail}$`)) : null);
    const taskPath = (tail: string): string | null => id(new RegExp(`^${api}/tasks/([0-9a-f-]{36})${tail}$`));
    const route = `${method} ${path}`;
    if (route === `GET ${api}/version`) {
      return ok({ version: `${this.shortversion} (fake)`, shortversion: this.shortversion, name: 'Fake Manager (written from the spec)', git: 'fake' });
    }
    if (route === `GET ${api}/status`) return ok({ status: 'idle' });
    if (route === `GET ${api}/configuration`) return ok({ storageLocation: this.options.storageLocation ?? '/tmp', shamanEnabled: false, isFirstRun: false });
    if (route === `POST ${api}/configuration/check/shared-storage`) return this.checkStorage(body);
    if (route === `GET ${api}/jobs/type/simple-blender-render`) return ok(this.jobType());
    if (route === `GET ${api}/jobs`) {
      if (this.minor < 6) return notFound(path, `GET /api/v3/jobs does not exist before 3.6 (this Manager is ${this.shortversion})`);
      return ok({ jobs: this.jobs.map(apiJob) });
    }
    if (route === `POST ${api}/jobs/query`) {
      if (this.minor >= 6) return notFound(path, `POST /api/v3/jobs/query is gone at ${this.shortversion}`);
      return this.query(body);
    }
    if (route === `POST ${api}/jobs/check`) return this.submit(body, false);
    if (route === `POST ${api}/jobs`) return this.submit(body, true);
    let match: string | null;
    if (method === 'GET' && (match = jobPath(''))) return this.withJob(match, (job) => ok(apiJob(job)));
    if (method === 'GET' && (match = jobPath('/tasks'))) return this.withJob(match, (job) => ok({ tasks: job.tasks.map(taskSummary) }));
    if (method === 'POST' && (match = jobPath('/setstatus'))) return this.withJob(match, (job) => this.setJobStatus(job, body));
    if (method === 'GET' && (match = taskPath(''))) {
      return this.withTask(match, (task, job) => ok({ ...taskSummary(task), job_id: job.id, activity: task.activity, created: job.created, commands: [] }));
    }
    if (method === 'POST' && (match = taskPath('/setstatus'))) return this.withTask(match, (task, job) => this.setTaskStatus(job, task, body));
    if (method === 'GET' && (match = taskPath('/log'))) {
      if (this.options.logFiles === false) return { status: 404, body: { code: 404, message: 'Not Found' } };
      return this.withTask(match, (task, job) =>
        task.log.length === 0 ? { status: 204 } : ok({ task_id: task.id, job_id: job.id, url: `/job-files/job-${job.id.slice(0, 4)}/${job.id}/task-${task.id}.txt`, size: task.log.length }),
      );
    }
    if (method === 'GET' && (match = taskPath('/logtail'))) {
      // task_logs.go tailSize: the last 2048 bytes, cut wherever they fall; 204 while there is no log.
      return this.withTask(match, (task) => (task.log.length === 0 ? { status: 204 } : { status: 200, text: task.log.subarray(Math.max(0, task.log.length - 2048)) }));
    }
    return notFound(path, `${method} ${path} is not an endpoint the fake implements`);
  }

  /** The task log file, served statically like Echo's e.Static (http.ServeContent: Range works). */
  private logFile(path: string, range: string | undefined): Answer {
    const id = /\/task-([0-9a-f-]{36})\.txt$/.exec(path)?.[1];
    const task = this.jobs.flatMap((j) => j.tasks).find((t) => t.id === id);
    if (!task || this.options.logFiles === false) return notFound(path);
    const wanted = range && /^bytes=(\d+)-(\d*)$/.exec(range);
    if (!range) return { status: 200, text: task.log };
    if (!wanted) return { status: 416, violation: `bad Range header ${range}` };
    const from = Number(wanted[1]);
    const to = wanted[2] ? Math.min(Number(wanted[2]), task.log.length - 1) : task.log.length - 1;
    if (from >= task.log.length) return { status: 416, violation: `Range ${range} starts past the end (${task.log.length} bytes)` };
    return { status: 206, text: task.log.subarray(from, to + 1) };
  }

  private submit(body: unknown, store: boolean): Answer {
    const problems = checkSubmittedJob(body);
    if (problems.length > 0) return bad(problems.join('; '));
    const job = body as Record<string, unknown> & { settings?: Record<string, unknown>; type_etag?: string };
    if (job.type !== 'simple-blender-render') return bad(`job type "${String(job.type)}" is unknown`, false);
    if (job.type_etag && job.type_etag !== this.jobType().etag) {
      return { status: 412, body: { code: 412, message: 'rejecting job because its settings are outdated, refresh the job type' } };
    }
    const settings = job.settings ?? {};
    const settingProblems = checkSettings(settings);
    if (settingProblems.length > 0) return bad(settingProblems.join('; '));
    if (['FFMPEG', 'AVI_RAW', 'AVI_JPEG'].includes(String(settings.format))) {
      return bad(`This job type only renders images, and not "${String(settings.format)}"`, false);
    }
    if (!settings.render_output_path) return bad('no render_output_path setting!', false);
    const chunks = chunker(String(settings.frames), Number(settings.chunk_size ?? 1));
    if (typeof chunks === 'string') return bad(chunks, false);
    if (!store) return { status: 204 };
    const now = new Date().toISOString();
    const tasks: FakeTask[] = chunks.map((chunk, i) => newTask(`render-${chunk}`, 'blender', i, now));
    const needsPreviews = ['EXR', 'MULTILAYER', 'OPEN_EXR', 'OPEN_EXR_MULTILAYER'].includes(String(settings.format));
    if (settings.fps && !(needsPreviews && !settings.has_previews)) tasks.push(newTask('preview-video', 'ffmpeg', tasks.length, now));
    const stored: FakeJob = {
      id: randomUUID(),
      body: { ...job, settings: { ...settings, render_output_path: String(settings.render_output_path).replace('{timestamp}', now.slice(0, 19)) } },
      status: 'queued',
      activity: 'Queued',
      created: now,
      updated: now,
      tasks,
    };
    this.jobs.push(stored);
    return ok(apiJob(stored));
  }

  private query(body: unknown): Answer {
    if (typeof body !== 'object' || body === null) return bad('JobsQuery must be an object');
    const filter = (body as { metadata?: Record<string, string> }).metadata ?? {};
    const jobs = this.jobs.filter((j) => Object.entries(filter).every(([k, v]) => (j.body.metadata as Record<string, string> | undefined)?.[k]?.includes(v)));
    return ok({ jobs: jobs.map(apiJob) });
  }

  private setJobStatus(job: FakeJob, body: unknown): Answer {
    const problems = checkRequired(body, { status: (v) => JOB_STATUSES.includes(v as string), reason: (v) => typeof v === 'string' }, 'JobStatusChange');
    if (problems.length > 0) return bad(problems.join('; '));
    const { status, reason } = body as { status: string; reason: string };
    if (!JOB_ACTIONS[status]?.includes(job.status)) {
      return { status: 422, body: { code: 422, message: `job status change ${job.status} → ${status} is not allowed` } };
    }
    this.setJob(job, status, reason);
    if (status === 'cancel-requested') {
      for (const t of job.tasks) if (['active', 'queued', 'soft-failed'].includes(t.status)) this.setTask(t, 'canceled', reason);
      this.setJob(job, 'canceled', reason);
    } else if (status === 'pause-requested') {
      for (const t of job.tasks) if (['queued', 'soft-failed'].includes(t.status)) this.setTask(t, 'paused', reason);
      if (!job.tasks.some((t) => t.status === 'active')) this.setJob(job, 'paused', 'no more active tasks');
    } else if (status === 'requeueing') {
      const again = job.status === 'completed' ? TASK_STATUSES : ['canceled', 'failed', 'paused', 'soft-failed'];
      for (const t of job.tasks) if (again.includes(t.status)) this.setTask(t, 'queued', reason);
      this.setJob(job, 'queued', 'requeued');
    }
    return { status: 204 };
  }

  private setTaskStatus(job: FakeJob, task: FakeTask, body: unknown): Answer {
    const problems = checkRequired(body, { status: (v) => TASK_STATUSES.includes(v as string), reason: (v) => typeof v === 'string' }, 'TaskStatusChange');
    if (problems.length > 0) return bad(problems.join('; '));
    const { status, reason } = body as { status: TaskStatus; reason: string };
    // #104315: no task cancel while the job is pausing.
    if (!TASK_ACTIONS[status]?.includes(task.status) || (status === 'canceled' && job.status === 'pause-requested')) {
      return { status: 422, body: { code: 422, message: `task status change ${task.status} → ${status} is not allowed` } };
    }
    this.setTask(task, status, reason);
    this.jobAfterTaskChange(job, task);
    return { status: 204 };
  }

  private jobAfterTaskChange(job: FakeJob, task: FakeTask): void {
    const count = (s: TaskStatus): number => job.tasks.filter((t) => t.status === s).length;
    const pausingDone = job.status === 'pause-requested' && count('active') === 0;
    if (task.status === 'queued') {
      // Re-queueing a task of a completed job re-queues the job.
      if (job.status === 'completed') this.setJob(job, 'queued', 'task was queued');
    } else if (task.status === 'active' || task.status === 'soft-failed') {
      if (job.status !== 'active' && job.status !== 'cancel-requested' && job.status !== 'pause-requested') this.setJob(job, 'active', `task became ${task.status}`);
    } else if (task.status === 'completed') {
      if (count('completed') === job.tasks.length) this.setJob(job, 'completed', 'all tasks completed');
      else if (pausingDone) this.setJob(job, 'paused', 'no more active tasks after task completion');
    } else if (task.status === 'failed') {
      if ((count('failed') / job.tasks.length) * 100 >= 10) {
        this.setJob(job, 'failed', 'too many tasks failed');
        for (const t of job.tasks) if (['active', 'queued', 'soft-failed'].includes(t.status)) this.setTask(t, 'canceled', 'job failed');
      } else if (pausingDone) this.setJob(job, 'paused', 'no more active tasks after task failure');
    }
  }

  private setJob(job: FakeJob, status: string, reason: string): void {
    job.status = status;
    job.activity = `Changed to status "${status}": ${reason}`;
    job.updated = new Date().toISOString();
  }

  /** Like the Manager, a status change is written into the task's own log (WriteTimestamped). */
  private setTask(task: FakeTask, status: TaskStatus, activity: string): void {
    const line = `${new Date().toISOString()} task changed status ${task.status} -> ${status}\n`;
    task.log = Buffer.concat([task.log, Buffer.from(line, 'utf8')]);
    task.status = status;
    task.activity = activity;
    task.updated = new Date().toISOString();
  }

  private checkStorage(body: unknown): Answer {
    const problems = checkRequired(body, { path: (v) => typeof v === 'string' }, 'PathCheckInput');
    if (problems.length > 0) return bad(problems.join('; '));
    const path = (body as { path: string }).path;
    let cause = 'Directory checked successfully';
    try {
      if (!statSync(path).isDirectory()) throw new Error('is not a directory');
      accessSync(path, constants.W_OK);
      const probe = join(path, `.flamenco-check-${randomUUID()}`);
      writeFileSync(probe, '');
      rmSync(probe);
    } catch (error) {
      cause = `${path}: ${(error as Error).message}`;
      return ok({ path, is_usable: false, cause });
    }
    return ok({ path, is_usable: true, cause });
  }

  private withJob(id: string, then: (job: FakeJob) => Answer): Answer {
    const job = this.jobs.find((j) => j.id === id);
    return job ? then(job) : { status: 404, body: { code: 404, message: 'no such job' } };
  }

  private withTask(id: string, then: (task: FakeTask, job: FakeJob) => Answer): Answer {
    for (const job of this.jobs) {
      const task = job.tasks.find((t) => t.id === id);
      if (task) return then(task, job);
    }
    return { status: 404, body: { code: 404, message: 'no such task' } };
  }
}

interface Answer {
  status: number;
  body?: unknown;
  text?: Buffer;
  /** Set when the request broke the spec (not when it was merely refused). */
  violation?: string;
}

function ok(body: unknown): Answer {
  return { status: 200, body };
}

/** 400; `violation` false for a refusal the spec allows (the job compiler saying no). */
function bad(message: string, violation = true): Answer {
  return { status: 400, body: { code: 400, message }, violation: violation ? message : undefined };
}

function notFound(path: string, violation?: string): Answer {
  return { status: 404, body: { code: 404, message: `not found: ${path}` }, violation: violation ?? `unknown path ${path}` };
}

function send(res: ServerResponse, status: number, body?: unknown, text?: Buffer): void {
  if (text !== undefined) {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(text);
  } else if (body !== undefined) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  } else {
    res.writeHead(status);
    res.end();
  }
}

function apiJob(job: FakeJob): Record<string, unknown> {
  return { ...job.body, id: job.id, status: job.status, activity: job.activity, created: job.created, updated: job.updated };
}

function taskSummary(task: FakeTask): Record<string, unknown> {
  return { id: task.id, name: task.name, status: task.status, priority: 50, task_type: task.task_type, updated: task.updated, index_in_job: task.index_in_job };
}

function newTask(name: string, type: 'blender' | 'ffmpeg', index: number, now: string): FakeTask {
  return { id: randomUUID(), name, task_type: type, status: 'queued', activity: '', index_in_job: index, updated: now, log: Buffer.alloc(0) };
}

/** `required` and property types of a schema object; one message per problem. */
function checkRequired(body: unknown, fields: Record<string, (v: unknown) => boolean>, schema: string): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [`${schema} must be an object`];
  const record = body as Record<string, unknown>;
  return Object.entries(fields).flatMap(([key, valid]) => {
    if (!(key in record)) return [`${schema}.${key} is required`];
    return valid(record[key]) ? [] : [`${schema}.${key} has the wrong type`];
  });
}

/** SubmittedJob: required [name, type, priority, submitter_platform], plus the optional fields' types. */
function checkSubmittedJob(body: unknown): string[] {
  const problems = checkRequired(
    body,
    { name: (v) => typeof v === 'string', type: (v) => typeof v === 'string', priority: (v) => Number.isInteger(v), submitter_platform: (v) => typeof v === 'string' },
    'SubmittedJob',
  );
  if (problems.length > 0) return problems;
  const job = body as Record<string, unknown>;
  if ('type_etag' in job && typeof job.type_etag !== 'string') problems.push('SubmittedJob.type_etag has the wrong type');
  if ('settings' in job && (typeof job.settings !== 'object' || job.settings === null)) problems.push('SubmittedJob.settings must be an object');
  if ('metadata' in job) {
    const metadata = job.metadata;
    if (typeof metadata !== 'object' || metadata === null || Object.values(metadata).some((v) => typeof v !== 'string')) problems.push('SubmittedJob.metadata must map strings to strings');
  }
  return problems;
}

/** The job type's settings: `required` ones present ("reject immediately"), each of its declared type. */
function checkSettings(settings: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const setting of JOB_TYPE_SETTINGS) {
    if (!(setting.key in settings)) {
      if (setting.required) problems.push(`setting ${setting.key} is required`);
      continue;
    }
    if (!SETTING_TYPES[setting.type]!(settings[setting.key])) problems.push(`setting ${setting.key} must be ${setting.type}`);
  }
  return problems;
}

/** js_globals.go frameChunker + frameRangeMerge: sorted, deduplicated, cut, merged back; or an error. */
function chunker(text: string, size: number): string[] | string {
  if (!Number.isInteger(size) || size < 1) return `invalid chunk size ${size}`;
  const frames = new Set<number>();
  for (const part of text.trim().replaceAll('..', '-').split(',')) {
    const ends = part.trim().split('-');
    if (ends.length > 2 || ends.some((e) => !/^\d+$/.test(e.trim()))) return `invalid frame range "${part}"`;
    const [a, b] = ends.map((e) => Number(e.trim())) as [number, number | undefined];
    for (let f = a; f <= (b ?? a); f++) frames.add(f);
  }
  const sorted = [...frames].sort((x, y) => x - y);
  if (sorted.length === 0) return 'empty frame range';
  const chunks: string[] = [];
  for (let i = 0; i < sorted.length; i += size) {
    const slice = sorted.slice(i, i + size);
    const parts: string[] = [];
    for (let j = 0; j < slice.length; ) {
      let k = j + 1;
      while (k < slice.length && slice[k] === slice[k - 1]! + 1) k++;
      if (k - j >= 3) parts.push(`${slice[j]}-${slice[k - 1]}`);
      else parts.push(...slice.slice(j, k).map(String));
      j = k;
    }
    chunks.push(parts.join(','));
  }
  return chunks;
}

export async function startFakeManager(options: FakeManagerOptions = {}): Promise<FakeFlamencoManager> {
  return new FakeFlamencoManager(options).start();
}

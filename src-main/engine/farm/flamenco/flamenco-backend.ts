import { NotFoundError } from '../../errors';
import { FarmUnreachable, type FarmBackend, type FarmCheck, type FarmJobRef, type FarmJobSpec, type FarmTask } from '../backend';
import { checkManager } from './check';
import { FlamencoRefused, FlamencoUnsupported } from './errors';
import { framesOfTaskName } from './frames';
import { FlamencoHttpError, FlamencoTransport, type FlamencoTransportOptions } from './http';
import { JOB_TYPE, TAG_KEY, buildSubmittedJob } from './job-body';
import { AvailableJobType, FlamencoVersion, Job, JobList, JobTasksSummary, Task, type SubmittedJob } from './schemas';
import { readTaskLog } from './task-log';
import { ACTION_NOOP, ACTION_STATUS, REQUEUE_BY_TASK, taskState, type JobAction } from './statuses';
import { managerVersion, type ManagerVersion } from './version';

/**
 * The Flamenco 3.x back-end: Spool's farm seam spoken as REST to a Manager (reference §1).
 * Jobs are `simple-blender-render` jobs, so the Manager builds the Blender command itself:
 * chunk argv and per-job overrides are not sent (see job-body.ts for what is).
 */

export interface FlamencoOptions extends FlamencoTransportOptions {
  /** GOOS the (already mapped, farm-side) paths are written for; `manager` = the Manager's own OS. */
  readonly submitterPlatform?: string;
  /** Flamenco priority 0–100, higher first. */
  readonly priority?: number;
  /** The farm side of each of the profile's path maps, for check(). */
  readonly farmPaths?: readonly string[];
}

interface RenderTask {
  readonly id: string;
  readonly frames: number[];
}

export class FlamencoBackend implements FarmBackend {
  readonly kind = 'flamenco' as const;
  private readonly http: FlamencoTransport;
  private versionSeen: ManagerVersion | null = null;
  private jobType: AvailableJobType | null = null;
  /** A job's render tasks never change once compiled: chunk index → task id, per farm job. */
  private readonly taskIds = new Map<string, readonly RenderTask[]>();

  private readonly options: Omit<FlamencoOptions, 'token'>;

  constructor({ token, ...options }: FlamencoOptions) {
    this.options = options;
    this.http = new FlamencoTransport({ ...options, token });
  }

  seeInFarm(ref: FarmJobRef): string {
    return `${this.http.baseUrl}/app/jobs/${encodeURIComponent(ref.farmJobId)}`;
  }

  /** The Manager's version, checked once per back-end: every other call waits for it. */
  async version(): Promise<ManagerVersion> {
    if (!this.versionSeen) {
      let answer: FlamencoVersion;
      try {
        answer = await this.http.json('GET', '/api/v3/version', undefined, FlamencoVersion);
      } catch (error) {
        if (error instanceof FarmUnreachable) throw error;
        throw new FlamencoUnsupported(`${this.http.baseUrl} does not answer like a Flamenco Manager: ${(error as Error).message}`);
      }
      this.versionSeen = managerVersion(answer, this.http.baseUrl);
    }
    return this.versionSeen;
  }

  /** The job's own status and last activity in Flamenco's words, to show beside Spool's. */
  async jobState(ref: FarmJobRef): Promise<{ status: Job['status']; activity: string }> {
    const job = await this.fetchJob(ref);
    return { status: job.status, activity: job.activity };
  }

  check(): Promise<FarmCheck> {
    return checkManager(this.http, () => this.version(), this.options.farmPaths ?? []);
  }

  async findByTag(tag: string): Promise<FarmJobRef | null> {
    const version = await this.version();
    const list = version.listsJobsByGet
      ? await this.http.json('GET', '/api/v3/jobs', undefined, JobList)
      : await this.http.json('POST', '/api/v3/jobs/query', { metadata: { [TAG_KEY]: tag } }, JobList);
    // The query's metadata filter is a LIKE: the exact comparison is Spool's own.
    const job = list.jobs.find((j) => j.metadata?.[TAG_KEY] === tag);
    return job ? { farmJobId: job.id, tag } : null;
  }

  /** Idempotent by tag: a job the Manager already has for this tag is returned, not submitted again. */
  async submit(spec: FarmJobSpec): Promise<FarmJobRef> {
    const existing = await this.findByTag(spec.tag);
    if (existing) return existing;
    const body = (jobType: AvailableJobType): SubmittedJob =>
      buildSubmittedJob(spec, jobType, { submitterPlatform: this.options.submitterPlatform ?? 'manager', priority: this.options.priority ?? 50 });
    await this.withFreshJobType(async (jobType) => {
      await this.http.send('POST', '/api/v3/jobs/check', body(jobType), [204]);
    });
    const job = await this.withFreshJobType((jobType) => this.http.json('POST', '/api/v3/jobs', body(jobType), Job));
    return { farmJobId: job.id, tag: spec.tag };
  }

  async tasks(ref: FarmJobRef): Promise<readonly FarmTask[]> {
    const summary = await this.call(ref, () => this.http.json('GET', `/api/v3/jobs/${enc(ref.farmJobId)}/tasks`, undefined, JobTasksSummary));
    const render = summary.tasks
      .map((task) => ({ task, frames: framesOfTaskName(task.name) }))
      .filter((t): t is { task: (typeof summary.tasks)[number]; frames: number[] } => t.frames !== null && t.task.task_type === 'blender')
      .sort((a, b) => a.frames[0]! - b.frames[0]!);
    // An empty list is a job still under construction: not cached, asked again next time.
    if (render.length > 0) this.taskIds.set(ref.farmJobId, render.map(({ task, frames }) => ({ id: task.id, frames })));
    return Promise.all(
      render.map(async ({ task, frames }, chunkIndex): Promise<FarmTask> => {
        const state = taskState(task.status);
        // `<job>/<task>`: the Manager's own ids, and whose task it is (store: elementConsumed).
        const farmTask = { chunkIndex, farmId: `${ref.farmJobId}/${task.id}`, state, frames, exitCode: null };
        if (task.status !== 'failed' && task.status !== 'soft-failed') return farmTask;
        // Only a failed task's activity says why; one more request for those few.
        const full = await this.http.json('GET', `/api/v3/tasks/${enc(task.id)}`, undefined, Task);
        return { ...farmTask, reason: full.activity || task.status };
      }),
    );
  }

  async logSince(ref: FarmJobRef, chunkIndex: number, cursor: string | null): Promise<{ lines: readonly string[]; cursor: string | null }> {
    if (!this.taskIds.get(ref.farmJobId)?.[chunkIndex]) await this.tasks(ref);
    const task = this.taskIds.get(ref.farmJobId)?.[chunkIndex];
    if (!task) throw new NotFoundError(`Flamenco job ${ref.farmJobId} has no render task for chunk ${chunkIndex}`);
    return readTaskLog(this.http, task.id, cursor);
  }

  cancel(ref: FarmJobRef, reason: string): Promise<void> {
    return this.setStatus(ref, 'cancel', reason);
  }

  /** Flamenco's pause: queued tasks become paused, active ones finish, then the job is paused. */
  hold(ref: FarmJobRef, reason: string): Promise<void> {
    return this.setStatus(ref, 'pause', reason);
  }

  /**
   * Resumes a held job. Flamenco has no "resume": its web UI requeues a paused job, which queues
   * its paused tasks again (and failed or canceled ones with them; completed tasks stay done).
   * A job that is not paused is left alone.
   */
  release(ref: FarmJobRef, reason: string): Promise<void> {
    return this.setStatus(ref, 'resume', reason);
  }

  /**
   * Runs failed and canceled tasks again; completed ones stay done. A stopped job (failed,
   * canceled, paused) is requeued as a whole; in a running one those tasks are queued one by one.
   */
  async requeue(ref: FarmJobRef, reason: string): Promise<void> {
    const job = await this.fetchJob(ref);
    if (!REQUEUE_BY_TASK.includes(job.status)) return this.setStatus(ref, 'requeue', reason, job);
    const summary = await this.call(ref, () => this.http.json('GET', `/api/v3/jobs/${enc(ref.farmJobId)}/tasks`, undefined, JobTasksSummary));
    for (const task of summary.tasks) {
      if (task.status !== 'failed' && task.status !== 'canceled') continue;
      await this.refusable(`task ${task.name} cannot go from ${task.status} to queued`, () =>
        this.http.send('POST', `/api/v3/tasks/${enc(task.id)}/setstatus`, { status: 'queued', reason: `Spool: ${reason || 'requeue'}` }, [204]),
      );
    }
  }

  private async setStatus(ref: FarmJobRef, action: JobAction, reason: string, known?: Job): Promise<void> {
    const job = known ?? (await this.fetchJob(ref));
    if (ACTION_NOOP[action].includes(job.status)) return;
    const status = ACTION_STATUS[action];
    await this.refusable(`job ${ref.farmJobId} cannot go from ${job.status} to ${status}${hint(job.status, action)}`, () =>
      this.http.send('POST', `/api/v3/jobs/${enc(ref.farmJobId)}/setstatus`, { status, reason: `Spool: ${reason || action}` }, [204]),
    );
  }

  /** A 422 is the Manager refusing a status change: said in Spool's words plus the Manager's. */
  private async refusable(what: string, change: () => Promise<unknown>): Promise<void> {
    try {
      await change();
    } catch (error) {
      if (error instanceof FlamencoHttpError && error.status === 422) throw new FlamencoRefused(`${what} (${error.detail})`);
      throw error;
    }
  }

  /**
   * Runs `send` with the job type's current etag. A 412 means the Manager's job type changed
   * since Spool fetched it: fetch it again and retry once. A 400 is the Manager's compiler
   * saying no, with its reason.
   */
  private async withFreshJobType<T>(send: (jobType: AvailableJobType) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (!this.jobType) this.jobType = await this.fetchJobType();
      try {
        return await send(this.jobType);
      } catch (error) {
        if (!(error instanceof FlamencoHttpError)) throw error;
        if (error.status === 412 && attempt === 0) {
          this.jobType = null;
          continue;
        }
        if (error.status === 412) throw new FlamencoRefused(`the ${JOB_TYPE} job type changed again while Spool was submitting (${error.detail})`);
        if (error.status === 400 || error.status === 422) throw new FlamencoRefused(error.detail);
        throw error;
      }
    }
  }

  private async fetchJobType(): Promise<AvailableJobType> {
    await this.version();
    try {
      return await this.http.json('GET', `/api/v3/jobs/type/${JOB_TYPE}`, undefined, AvailableJobType);
    } catch (error) {
      if (error instanceof FlamencoHttpError && error.status === 404) {
        throw new FlamencoRefused(`this Manager has no ${JOB_TYPE} job type (${error.detail})`);
      }
      throw error;
    }
  }

  private fetchJob(ref: FarmJobRef): Promise<Job> {
    return this.call(ref, () => this.http.json('GET', `/api/v3/jobs/${enc(ref.farmJobId)}`, undefined, Job));
  }

  /** A job the Manager no longer has (deleted on the farm) is named as such. */
  private async call<T>(ref: FarmJobRef, request: () => Promise<T>): Promise<T> {
    await this.version();
    try {
      return await request();
    } catch (error) {
      if (error instanceof FlamencoHttpError && error.status === 404) {
        throw new NotFoundError(`Flamenco has no job ${ref.farmJobId} any more (deleted on the farm?): ${error.detail}`);
      }
      throw error;
    }
  }
}

function hint(status: Job['status'], action: JobAction): string {
  if (action === 'resume' && status === 'pause-requested') return ': its running tasks are still finishing; it can be resumed once it is paused';
  if (status === 'completed' && action !== 'requeue') return ': it has finished';
  return '';
}

function enc(id: string): string {
  return encodeURIComponent(id);
}

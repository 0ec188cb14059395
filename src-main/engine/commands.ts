import { recheckDoneFrames } from './runner/frame-files';
import { actOnFrames } from './frame-commands';
import type { FrameAction } from './lifecycle/frame-actions';
import type { Adapter, SceneInfo } from './adapters/adapter';
import { getAdapter } from './adapters/registry';
import { InputError, NotFoundError } from './errors';
import { chunkFrames } from './frames';
import { jobAsInput } from './job-as-input';
import { inRange, PRIORITY } from './limits';
import { logAttempts, readJobLog as readLogOfJob, type JobLog, type LogReadOptions } from './logs/job-log';
import { cachedDccs, detectDccs } from './detect/workstation';
import { pickInstall } from './detect/dcc-discovery';
import { prepareJob, type PrepareDeps, type PreparedJob } from './prepare-job';
import { farmInfoOf } from './farm/farm-info';
import { autoChunkSize } from './scheduler/auto-chunk';
import type { NewJob, Store } from './store';
import { checkAction, isFinal, planIntent, type IntentEvent } from './lifecycle';
import type { AttemptRecord, FrameActionReply, JobDetail, JobRecord, JobSpec, JobSummary } from './types';

/**
 * The queue operations every face needs, as plain functions over the store. The engine calls
 * them and then schedules; a CLI with no engine running calls them directly, and a running
 * engine notices the commit (PRAGMA data_version) and acts on it.
 */

export type { JobDetail };

export function sceneKey(job: Pick<JobSpec, 'dcc' | 'scene'>): string | null {
  return job.scene ? `${job.dcc}:${job.scene}` : null;
}

/** The chunks a job starts with; automatic chunking leaves frames unassigned until measured. */
export function initialChunks(store: Store, spec: JobSpec, frames: readonly number[], adapter: Adapter): number[][] {
  if (spec.chunkSize !== null) return chunkFrames(frames, spec.chunkSize, adapter.chunkShape);
  const slots = spec.slots ?? 1;
  const key = sceneKey(spec);
  const timing = key ? store.sceneStats.get(key) : null;
  const size = autoChunkSize(frames.length, slots, timing);
  const chunks = chunkFrames(frames, size, adapter.chunkShape);
  return timing ? chunks : chunks.slice(0, slots);
}

export async function submitJob(store: Store, input: unknown, deps: PrepareDeps = {}): Promise<JobSummary> {
  const { items } = await prepareJobs(store, [input], deps, (_i, field, message) => new InputError(field, message));
  const [job] = store.jobs.insertMany(items);
  return store.summaries.summarize(job!);
}

/** All jobs or none: a batch is one transaction. */
export async function submitJobs(
  store: Store,
  inputs: readonly unknown[],
  deps: PrepareDeps = {},
  inTx?: (jobs: JobRecord[]) => void,
): Promise<JobSummary[]> {
  const { items } = await prepareJobs(store, inputs, deps);
  const jobs = store.jobs.insertMany(items, inTx);
  return jobs.map((job) => store.summaries.summarize(job));
}

/** Turns a refusal of job `index`'s `field` into the error a face shows (batch files add file:line). */
export type JobErrorMapper = (index: number, field: string, message: string) => Error;

const batchIndexError: JobErrorMapper = (i, field, message) =>
  new InputError(`jobs[${i}]`, field === 'input' ? message : `${field}: ${message}`);

export interface PreparedJobs {
  prepared: PreparedJob[];
  /** What store.insertJobs takes: chunks compiled, `after` resolved to ids or batch positions. */
  items: NewJob[];
}

/**
 * Checks every job of a submission and resolves what they wait for (names in the same batch
 * first, then the queue by id or name), refusing cycles. Nothing is stored: the caller inserts
 * `items` in one transaction, or prints them (`--dry-run`).
 */
export async function prepareJobs(
  store: Store,
  inputs: readonly unknown[],
  deps: PrepareDeps = {},
  mapError: JobErrorMapper = batchIndexError,
): Promise<PreparedJobs> {
  const withInstalls: PrepareDeps = { findInstall: (dcc, version) => findInstall(store, dcc, version), ...deps };
  const prepared: PreparedJob[] = [];
  for (const [i, input] of inputs.entries()) {
    try {
      prepared.push(await prepareJob(input, withInstalls));
    } catch (error) {
      if (error instanceof InputError) throw mapError(i, error.field, stripField(error));
      throw error;
    }
  }
  const after = resolveAfter(store, prepared, mapError);
  const items = prepared.map(({ spec, frames, adapter }, i) => ({
    spec,
    frames,
    chunks: initialChunks(store, spec, frames, adapter),
    after: after[i]!,
  }));
  return { prepared, items };
}

function stripField(error: InputError): string {
  const prefix = `${error.field}: `;
  return error.field !== 'input' && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

type DepRef = { id: number } | { index: number };

function resolveAfter(store: Store, prepared: readonly PreparedJob[], mapError: JobErrorMapper): DepRef[][] {
  const byName = new Map<string, number[]>();
  prepared.forEach((p, i) => byName.set(p.spec.name, [...(byName.get(p.spec.name) ?? []), i]));
  const refs = prepared.map((p, i) =>
    p.after.map((ref): DepRef => {
      const text = String(ref).trim();
      const inBatch = typeof ref === 'string' ? byName.get(text) : undefined;
      if (inBatch && inBatch.length > 1) {
        throw mapError(i, 'after', `"${text}" names ${inBatch.length} jobs of this batch; names must be unique to be waited for`);
      }
      if (inBatch) {
        if (inBatch[0] === i) throw mapError(i, 'after', `"${text}" cannot wait for itself`);
        return { index: inBatch[0]! };
      }
      const existing = typeof ref === 'number' ? store.jobs.get(ref) : store.jobs.find(text);
      if (!existing) throw mapError(i, 'after', `no job ${JSON.stringify(text)} in this batch or the queue`);
      return { id: existing.id };
    }),
  );
  const cycle = findCycle(refs.map((list) => list.flatMap((r) => ('index' in r ? [r.index] : []))));
  if (cycle) {
    const names = cycle.map((i) => prepared[i]!.spec.name);
    throw mapError(cycle[0]!, 'after', `dependency cycle: ${names.join(' → ')}`);
  }
  return refs;
}

/** A loop in the "waits for" graph as the path that closes it (`[a, b, a]`), or null. */
export function findCycle(edges: readonly (readonly number[])[]): number[] | null {
  const state = new Array<0 | 1 | 2>(edges.length).fill(0);
  const stack: number[] = [];
  const visit = (node: number): number[] | null => {
    state[node] = 1;
    stack.push(node);
    for (const next of edges[node] ?? []) {
      if (state[next] === 1) return [...stack.slice(stack.indexOf(next)), next];
      if (state[next] === 0) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state[node] = 2;
    return null;
  };
  for (let node = 0; node < edges.length; node++) {
    if (state[node] !== 0) continue;
    const found = visit(node);
    if (found) return found;
  }
  return null;
}

/**
 * The executable of a DCC version: from the detection cache, else from a fresh look that is not
 * stored (a refused submit leaves the store as it was; the engine refreshes the cache itself).
 */
async function findInstall(store: Store, dcc: string, version: string): Promise<{ executable: string; version: string | null } | null> {
  const hit = pickInstall(cachedDccs(store), dcc, version) ?? pickInstall(await detectDccs(store), dcc, version);
  return hit ? { executable: hit.executable, version: hit.version } : null;
}

/** Chunks for frames of `job` that need a task: the job's chunk size, or the automatic one. */
function chunksFor(store: Store, job: JobRecord, frames: readonly number[]): number[][] {
  const key = sceneKey(job);
  const timing = key ? store.sceneStats.get(key) : null;
  const size = job.chunkSize ?? autoChunkSize(frames.length, job.slots ?? 1, timing);
  return chunkFrames(frames, size, getAdapter(job.dcc)?.chunkShape ?? 'any');
}

/** Compiles frames still unassigned into tasks, using the scene's timing when known. */
export function compileRemaining(store: Store, job: JobRecord): number {
  const remaining = store.work.unassignedFrames(job.id);
  if (remaining.length === 0) return 0;
  const chunks = chunksFor(store, job, remaining);
  store.work.compileTasks(job.id, chunks);
  return chunks.length;
}

export function requireJob(store: Store, ref: string | number): JobRecord {
  const job = typeof ref === 'number' ? store.jobs.get(ref) : store.jobs.find(ref);
  if (!job) throw new NotFoundError(`no job ${JSON.stringify(String(ref))}`);
  return job;
}

/**
 * `frames: false` leaves the frames out (`framesOmitted`): a view that follows frame events
 * refreshes tasks and attempts without reading and sending every frame of a 100,000-frame job.
 * `framesSince: R` sends only the frames changed after revision R (a view holding the frames of
 * `framesRev` R); `framesRev` is read first, so a change made meanwhile comes with the next read.
 */
export function jobDetail(store: Store, ref: string | number, options: { frames?: boolean; framesSince?: number } = {}): JobDetail {
  const job = requireJob(store, ref);
  const withFrames = options.frames ?? true;
  const since = options.framesSince;
  const framesRev = store.work.framesRev(job.id);
  const frames = !withFrames ? [] : since === undefined ? store.work.framesOf(job.id) : store.work.framesChangedSince(job.id, since);
  return {
    job: store.summaries.summarize(job),
    tasks: store.work.tasksOf(job.id),
    frames,
    framesRev,
    ...(withFrames ? {} : { framesOmitted: true as const }),
    ...(withFrames && since !== undefined ? { framesSince: since } : {}),
    attempts: store.work.attemptsOfJob(job.id),
    steps: store.work.stepsOf(job.id),
    deps: store.summaries.depsOf(job.id),
    farm: farmInfoOf(store, job.id),
  };
}

/**
 * Pause, resume, cancel or retry, as the lifecycle decides: refused, nothing to do, or applied.
 * `now`: a pause stops running work at once instead of after the frame in progress.
 */
export function actOnJob(store: Store, ref: string | number, event: IntentEvent, options: { now?: boolean } = {}): JobSummary {
  const job = requireJob(store, ref);
  // A frame whose file was deleted or changed since is not done: retry renders it again.
  if (event === 'retry') recheckDoneFrames(store, job.id);
  const summary = store.summaries.summarize(job);
  const check = checkAction(event, { ...summary, waitingDependents: waitingDependents(store, job.id) });
  if (check.kind === 'refused') throw new InputError('job', check.reason);
  if (check.kind === 'noop') return summary;
  store.jobs.applyIntent(job.id, planIntent(job.intent, event, options)!);
  return store.summaries.summarize(store.jobs.get(job.id)!);
}

/** Jobs that wait for this one and have not finished. */
function waitingDependents(store: Store, jobId: number): { id: number; name: string }[] {
  return store.jobs
    .dependentsOf(jobId)
    .map((id) => store.jobs.get(id)!)
    .filter((dependent) => !isFinal(store.summaries.summarize(dependent).status));
}

export function setJobPriority(store: Store, ref: string | number, priority: number): JobSummary {
  if (!inRange(priority, PRIORITY)) {
    throw new InputError('priority', `priority is a whole number from ${PRIORITY.min} to ${PRIORITY.max}`);
  }
  const job = requireJob(store, ref);
  store.jobs.setPriority(job.id, priority);
  return store.summaries.summarize(store.jobs.get(job.id)!);
}

export async function duplicateJob(store: Store, ref: string | number, deps: PrepareDeps = {}): Promise<JobSummary> {
  const job = requireJob(store, ref);
  return submitJob(store, { ...jobAsInput(job), name: `${job.name} copy` }, deps);
}

/**
 * "Clear finished": finished jobs (these, or all) move from the queue to History; jobs still live
 * are left where they are. Nothing is deleted, and a job retried later comes back to the queue.
 */
export function clearFinished(store: Store, refs?: readonly (string | number)[]): JobSummary[] {
  const ids = refs ? refs.map((ref) => requireJob(store, ref).id) : null;
  return store.jobs.archiveFinished(ids, Date.now()).map((id) => store.summaries.summarize(store.jobs.get(id)!));
}

export function deleteJob(store: Store, ref: string | number): void {
  const job = requireJob(store, ref);
  const summary = store.summaries.summarize(job);
  const check = checkAction('delete', { ...summary, waitingDependents: waitingDependents(store, job.id) });
  if (check.kind === 'refused') throw new InputError('job', check.reason);
  store.jobs.delete(job.id);
}

/** A bounded read of a job's logs (engine/logs/job-log.ts): the tail, or a range of one attempt. */
export function readJobLog(store: Store, ref: string | number, options: LogReadOptions = {}): JobLog {
  return readLogOfJob(store, requireJob(store, ref), options);
}

/** The attempts whose logs `readJobLog` would read, for readers that stream them. */
export function jobLogAttempts(store: Store, ref: string | number, options: Pick<LogReadOptions, 'frame' | 'attemptId'> = {}): AttemptRecord[] {
  return logAttempts(store, requireJob(store, ref), options);
}

/** Requeue, suspend, resume or mark complete frames of a job (frame-commands.ts). */
export function frameAction(store: Store, ref: string | number, action: FrameAction, frames: string, options: { preview?: boolean } = {}): FrameActionReply {
  const job = requireJob(store, ref);
  return actOnFrames(store, job, action, frames, (moved) => chunksFor(store, job, moved), options);
}

export type { SceneInfo };

import { readFileSync } from 'node:fs';
import type { Adapter, SceneInfo } from './adapters/adapter';
import { getAdapter } from './adapters/registry';
import { InputError, NotFoundError } from './errors';
import { chunkFrames } from './frames';
import { prepareJob, type PrepareDeps } from './prepare-job';
import { autoChunkSize } from './scheduler/auto-chunk';
import type { JobSummary, Store } from './store';
import type { AttemptRecord, JobDetail, JobIntent, JobRecord, JobSpec } from './types';

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
  const timing = key ? store.sceneStats(key) : null;
  const size = autoChunkSize(frames.length, slots, timing);
  const chunks = chunkFrames(frames, size, adapter.chunkShape);
  return timing ? chunks : chunks.slice(0, slots);
}

export async function submitJob(store: Store, input: unknown, deps: PrepareDeps = {}): Promise<JobSummary> {
  const { spec, frames, adapter } = await prepareJob(input, deps);
  const job = store.insertJob(spec, frames, initialChunks(store, spec, frames, adapter));
  return store.summarize(job);
}

/** All jobs or none: a batch is one transaction. */
export async function submitJobs(store: Store, inputs: readonly unknown[], deps: PrepareDeps = {}): Promise<JobSummary[]> {
  const prepared = [];
  for (const [i, input] of inputs.entries()) {
    try {
      prepared.push(await prepareJob(input, deps));
    } catch (error) {
      if (error instanceof InputError) throw new InputError(`jobs[${i}]`, error.message);
      throw error;
    }
  }
  const jobs = store.insertJobs(
    prepared.map(({ spec, frames, adapter }) => ({ spec, frames, chunks: initialChunks(store, spec, frames, adapter) })),
  );
  return jobs.map((job) => store.summarize(job));
}

/** Compiles frames still unassigned into tasks, using the scene's timing when known. */
export function compileRemaining(store: Store, job: JobRecord): number {
  const remaining = store.unassignedFrames(job.id);
  if (remaining.length === 0) return 0;
  const adapter = getAdapter(job.dcc);
  const key = sceneKey(job);
  const timing = key ? store.sceneStats(key) : null;
  const size = job.chunkSize ?? autoChunkSize(remaining.length, job.slots ?? 1, timing);
  const chunks = chunkFrames(remaining, size, adapter?.chunkShape ?? 'any');
  store.compileTasks(job.id, chunks);
  return chunks.length;
}

export function requireJob(store: Store, ref: string | number): JobRecord {
  const job = typeof ref === 'number' ? store.getJob(ref) : store.findJob(ref);
  if (!job) throw new NotFoundError(`no job ${JSON.stringify(String(ref))}`);
  return job;
}

export function jobDetail(store: Store, ref: string | number): JobDetail {
  const job = requireJob(store, ref);
  return {
    job: store.summarize(job),
    tasks: store.tasksOf(job.id),
    frames: store.framesOf(job.id),
    attempts: store.attemptsOfJob(job.id),
  };
}

export function setJobIntent(store: Store, ref: string | number, intent: JobIntent): JobSummary {
  const job = requireJob(store, ref);
  if (intent === 'active' && job.intent === 'canceled') {
    throw new InputError('job', `job ${job.id} was canceled; use retry to render its remaining frames`);
  }
  store.setIntent(job.id, intent);
  return store.summarize(store.getJob(job.id)!);
}

export function retryJob(store: Store, ref: string | number): JobSummary {
  const job = requireJob(store, ref);
  store.retryJob(job.id);
  return store.summarize(store.getJob(job.id)!);
}

export function setJobPriority(store: Store, ref: string | number, priority: number): JobSummary {
  if (!Number.isInteger(priority) || priority < -1000 || priority > 1000) {
    throw new InputError('priority', 'priority is a whole number from -1000 to 1000');
  }
  const job = requireJob(store, ref);
  store.setPriority(job.id, priority);
  return store.summarize(store.getJob(job.id)!);
}

export async function duplicateJob(store: Store, ref: string | number, deps: PrepareDeps = {}): Promise<JobSummary> {
  const job = requireJob(store, ref);
  return submitJob(
    store,
    {
      scene: job.scene,
      dcc: job.dcc,
      frames: job.framesText,
      chunk: job.chunkSize ?? 'auto',
      output: job.output,
      name: `${job.name} copy`,
      priority: job.priority,
      retries: job.retries,
      slots: job.slots,
      stallTimeoutSec: job.stallTimeoutSec,
      taskTimeoutSec: job.taskTimeoutSec,
      device: job.device.kind === 'gpu' ? { gpu: job.device.index } : job.device.kind,
      overrides: job.overrides,
    },
    deps,
  );
}

export function deleteJob(store: Store, ref: string | number): void {
  const job = requireJob(store, ref);
  const status = store.summarize(job).status;
  if (status === 'running') throw new InputError('job', `job ${job.id} is rendering; cancel it before deleting`);
  store.deleteJob(job.id);
}

/** The log of a job's attempts, or of the attempt that last rendered one frame. */
export function readJobLog(store: Store, ref: string | number, options: { frame?: number; attemptId?: number } = {}): {
  attempts: AttemptRecord[];
  text: string;
} {
  const job = requireJob(store, ref);
  let attempts = store.attemptsOfJob(job.id);
  if (options.attemptId !== undefined) attempts = attempts.filter((a) => a.id === options.attemptId);
  if (options.frame !== undefined) {
    const frame = store.framesOf(job.id).find((f) => f.frame === options.frame);
    if (!frame) throw new NotFoundError(`job ${job.id} has no frame ${options.frame}`);
    attempts = attempts.filter((a) => a.taskId === frame.taskId);
  }
  const text = attempts
    .map((a) => {
      let body = '';
      try {
        body = readFileSync(a.logPath, 'utf8');
      } catch {
        body = '(no log was written)\n';
      }
      return `--- attempt ${a.id} (task ${a.taskId})${a.reason ? `: ${a.reason}` : ''}\n${body}`;
    })
    .join('');
  return { attempts, text };
}

export type { SceneInfo };

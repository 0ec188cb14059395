import type { Executor, UnitExit } from '../executors/executor';
import type { Store } from '../store';
import type { JobRecord, SceneInfo } from '../types';
import type { FarmBackend } from './backend';
import { backendFor } from './backends';
import { flamencoFacts, type FlamencoFacts } from './flamenco/job-facts';
import type { WatchFolder } from './handoff-watches';
import { JobHandoffs } from './job-handoffs';
import type { FarmProfile } from './profile';
import { findFarm } from './profiles';

export interface FarmRunsOptions {
  store: Store;
  jobChanged(jobId: number): void;
  /** How often the farm is asked about running hand-offs and their logs are read. Default 500 ms. */
  pollMs?: number;
  /** How hand-off folders are watched between polls (tests inject a failing one). */
  watchFolder?: WatchFolder;
  backendFor?: (profile: FarmProfile, secretFile: string | null) => FarmBackend;
  /** What the job's scene says (the engine's cached probe); a Flamenco hand-off sends its format, fps and scene name. */
  sceneInfo?: (job: JobRecord) => Promise<SceneInfo | null>;
}

/** The executors of farm jobs: one set of hand-offs per job, each polling its farm while it has units. */
export class FarmRuns {
  private readonly jobs = new Map<number, JobHandoffs>();

  constructor(private readonly options: FarmRunsOptions) {}

  executorFor(job: JobRecord): Executor {
    return {
      start: (command, report) => {
        let handoffs: JobHandoffs | null;
        try {
          handoffs = this.handoffs(job);
        } catch (error) {
          return refused((error as Error).message);
        }
        return handoffs ? handoffs.start(command, report) : refused(`no farm named "${job.farm}" (it was removed)`);
      },
    };
  }

  close(): void {
    for (const handoffs of this.jobs.values()) handoffs.close();
    this.jobs.clear();
  }

  private handoffs(job: JobRecord): JobHandoffs | null {
    const known = this.jobs.get(job.id);
    if (known) return known;
    const { store } = this.options;
    const profile = job.farm ? findFarm(store, job.farm) : null;
    if (!profile) return null;
    const handoffs = new JobHandoffs({
      store,
      jobId: job.id,
      profile,
      backend: (this.options.backendFor ?? backendFor)(profile, store.farms.profile(profile.name)?.secretFile ?? null),
      pollMs: this.options.pollMs ?? 500,
      ...(this.options.watchFolder ? { watchFolder: this.options.watchFolder } : {}),
      jobChanged: this.options.jobChanged,
      ...(profile.kind === 'flamenco' ? { sceneFacts: () => this.flamencoFacts(job.id) } : {}),
    });
    this.jobs.set(job.id, handoffs);
    return handoffs;
  }

  /** Read when the hand-off is made, so a job modified since its submit sends what it says now. */
  private async flamencoFacts(jobId: number): Promise<FlamencoFacts> {
    const job = this.options.store.jobs.get(jobId);
    if (!job) return {};
    // A scene Blender cannot read here leaves the facts to --format and the documented defaults.
    const probed = (await this.options.sceneInfo?.(job).catch(() => null)) ?? null;
    return flamencoFacts(job.overrides, probed);
  }
}

function refused(message: string) {
  const exit = Promise.resolve<UnitExit>({ cause: 'spawn-error', exitCode: null, signal: null, message, durationMs: 0, forceKilled: false });
  return { exit, stop: () => undefined };
}

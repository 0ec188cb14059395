import type { Executor } from '../executors/executor';
import type { Store } from '../store';
import type { JobRecord } from '../types';
import type { FarmBackend } from './backend';
import { backendFor } from './backends';
import { JobHandoffs } from './job-handoffs';
import type { FarmProfile } from './profile';
import { findFarm } from './profiles';

export interface FarmRunsOptions {
  store: Store;
  jobChanged(jobId: number): void;
  /** How often the farm is asked about running hand-offs and their logs are read. Default 500 ms. */
  pollMs?: number;
  backendFor?: (profile: FarmProfile) => FarmBackend;
}

/** The executors of farm jobs: one set of hand-offs per job, each polling its farm while it has units. */
export class FarmRuns {
  private readonly jobs = new Map<number, JobHandoffs>();

  constructor(private readonly options: FarmRunsOptions) {}

  executorFor(job: JobRecord): Executor {
    return {
      start: (command, report) => {
        const handoffs = this.handoffs(job);
        if (!handoffs) {
          const exit = Promise.resolve({ cause: 'spawn-error' as const, exitCode: null, signal: null, message: `no farm named "${job.farm}" (it was removed)`, durationMs: 0, forceKilled: false });
          return { exit, stop: () => undefined };
        }
        return handoffs.start(command, report);
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
    const profile = job.farm ? findFarm(this.options.store, job.farm) : null;
    if (!profile) return null;
    const handoffs = new JobHandoffs({
      store: this.options.store,
      jobId: job.id,
      profile,
      backend: (this.options.backendFor ?? backendFor)(profile),
      pollMs: this.options.pollMs ?? 500,
      jobChanged: this.options.jobChanged,
    });
    this.jobs.set(job.id, handoffs);
    return handoffs;
  }
}

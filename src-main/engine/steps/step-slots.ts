import type { Store } from '../store';
import { runStep, type RunningStep, type StepEvents, type StepStopMode } from './run-step';

export interface StepSlotsOptions {
  store: Store;
  dataDir: string;
  /** Steps running at once across jobs (a job runs its steps one after another). */
  max: number;
  killGraceMs?: number;
  retryBaseMs?: number;
  events: StepEvents;
  /** A step ended: the engine looks for more work. */
  onDone(): void;
}

/**
 * The engine's after-render steps: started when a job's frames are all done, stopped with the
 * job (pause, cancel, delete, shutdown). Kept apart from render slots: a preview encode is short
 * and should not wait behind a queue of renders.
 */
export class StepSlots {
  private readonly running = new Map<number, { jobId: number; step: RunningStep }>();

  constructor(private readonly options: StepSlotsOptions) {}

  get size(): number {
    return this.running.size;
  }

  start(now = Date.now()): void {
    const { store } = this.options;
    if (this.running.size >= this.options.max) return;
    const busyJobs = new Set([...this.running.values()].map((r) => r.jobId));
    for (const { job, step } of store.runnableSteps(now, 32)) {
      if (this.running.size >= this.options.max) break;
      if (busyJobs.has(job.id) || this.running.has(step.id)) continue;
      busyJobs.add(job.id);
      const running = runStep({
        store,
        dataDir: this.options.dataDir,
        job,
        step,
        events: this.options.events,
        killGraceMs: this.options.killGraceMs,
        retryBaseMs: this.options.retryBaseMs,
      });
      this.running.set(step.id, { jobId: job.id, step: running });
      running.done
        .catch((error: unknown) => {
          process.stderr.write(`spool: step ${step.id} of job ${job.id} broke: ${String(error)}\n`);
          return null;
        })
        .finally(() => {
          this.running.delete(step.id);
          this.options.onDone();
        });
    }
  }

  /** Whether a step could start now or later (for the engine's idle check). */
  hasWork(): boolean {
    return this.running.size > 0 || this.options.store.runnableSteps(Number.MAX_SAFE_INTEGER, 1).length > 0;
  }

  /** Stops steps whose job the user paused, canceled or deleted. */
  reconcile(): void {
    for (const { jobId, step } of this.running.values()) {
      const job = this.options.store.getJob(jobId);
      const mode: StepStopMode | null = !job || job.intent === 'canceled' ? 'cancel' : job.intent === 'paused' ? 'pause' : null;
      if (mode) step.stop(mode);
    }
  }

  async stopAll(): Promise<void> {
    const all = [...this.running.values()];
    for (const { step } of all) step.stop('shutdown');
    await Promise.all(all.map(({ step }) => step.done.catch(() => null)));
  }
}

/**
 * Job actions whose UI lives in other parts of the app: the modify dialog, the new-job form
 * opened on a copy, and frame requeueing with its "files to overwrite" confirmation. Their owners
 * register them at start-up; until one is registered, the queue shows its item disabled with a
 * reason (lib/job-menu.ts), so a menu never offers what cannot happen.
 */
export interface JobHooks {
  /** Opens the modify dialog on a queued, blocked or paused job. */
  openModifyDialog?(jobId: number): void;
  /** Opens the new-job form pre-filled from a job (nothing is queued until it is submitted). */
  openDuplicateDialog?(jobId: number): void;
  /** Requeues every frame of these jobs, done ones included, after saying how many files will be overwritten. */
  requeueAllFrames?(jobIds: readonly number[]): void;
}

const hooks: JobHooks = {};

export function registerJobHooks(next: JobHooks): void {
  Object.assign(hooks, next);
}

export function jobHooks(): Readonly<JobHooks> {
  return hooks;
}

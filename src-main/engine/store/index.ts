export { Store, type JobSummary, type RunnableTask, type TaskOutcome, type OpenAttempt } from './store';
export { StoreError, type StoreErrorCode } from './open-database';
export { deriveJobStatus, TERMINAL_STATUSES, type TaskCounts } from './derive-status';
export { SCHEMA_VERSION } from './migrations';

export {
  Store,
  type JobSummary,
  type RunnableTask,
  type FrameDone,
  type TaskOutcome,
  type OpenAttempt,
  type NewJob,
  type StepOutcome,
  type RunnableStep,
  type OpenStep,
} from './store';
export { StoreError, type StoreErrorCode } from './open-database';
export { deriveJobStatus, TERMINAL_STATUSES, FINAL_STATUSES, type TaskCounts, type DepGate } from './derive-status';
export { SCHEMA_VERSION } from './migrations';

export { Store } from './store';
export type { NewJob } from './jobs';
export type { FrameDone, OpenAttempt, AttemptEnd, RecordedFile, DoneFrameFile } from './work';
export type { RunnableTask, RunnableStep } from './queue';
export type { SceneTiming } from './scene-stats';
export { StoreError, type StoreErrorCode } from './open-database';
export { SCHEMA_VERSION } from './migrations';
export type { FrameActionResult, Chunker } from './frame-actions';
export type { StoredFarmProfile, FarmSubmission } from './farms';

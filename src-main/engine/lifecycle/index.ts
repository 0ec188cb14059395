export * from './table';
export * from './task';
export * from './frame';
export * from './intent';
export * from './job-status';
export * from './actions';
export * from './outcome';
export * from './paused-clock';

import { FRAME_LIMIT, MAX_FRAMES } from './frames/parse';

/**
 * Every bound a job's settings must stay within, in one place: the zod schemas (job input, batch
 * files, the contract), the CLI and the renderer's form all read them from here, so a limit
 * cannot drift between faces. Pure constants: the renderer imports this module, so no Node here.
 */

/** An inclusive range of whole numbers. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

const DAY_SEC = 24 * 3600;

/** Higher renders first. */
export const PRIORITY: Range = { min: -1000, max: 1000 };
/** Retries of a failed chunk. */
export const RETRIES: Range = { min: 0, max: 100 };
/** Frames per render process. */
export const CHUNK_SIZE: Range = { min: 1, max: 100_000 };
/** Render processes of one job at once. */
export const SLOTS: Range = { min: 1, max: 256 };
export const THREADS: Range = { min: 1, max: 1024 };
export const SAMPLES: Range = { min: 1, max: 1_000_000 };
/** GPU index in `gpu:N`. */
export const GPU_INDEX: Range = { min: 0, max: 63 };
/** Kill a render that printed nothing for this long (seconds). */
export const STALL_TIMEOUT_SEC: Range = { min: 1, max: 7 * DAY_SEC };
/** Kill a render that ran this long (seconds). */
export const TASK_TIMEOUT_SEC: Range = { min: 1, max: 30 * DAY_SEC };

/**
 * Frames in one frame set, and the largest frame number: the frame parser owns them (it imports
 * nothing outside frames/, so a browser loads it alone); here they sit beside the other limits.
 */
export { MAX_FRAMES };
export const FRAME_NUMBER: Range = { min: -FRAME_LIMIT, max: FRAME_LIMIT };

export function inRange(value: number, range: Range): boolean {
  return Number.isInteger(value) && value >= range.min && value <= range.max;
}

/** Start-up may cost at most this share of a chunk's wall time: the floor of a chunk's size. */
const STARTUP_SHARE = 0.05;
/** A chunk should not run much longer than this, for fairness between jobs (the 15-minute cap). */
const MAX_CHUNK_MS = 15 * 60_000;
/** Before anything is measured, the first chunk stays this small at most. */
const FIRST_CHUNK_MAX = 50;

export interface SceneTiming {
  startupMs: number;
  frameMs: number;
}

/**
 * Fewest frames a chunk may have so that start-up S costs at most 5% of it: n frames cost S + nF,
 * so S/(S + nF) ≤ 5% needs n ≥ 19·S/F.
 */
export function startupFloor(timing: SceneTiming): number {
  if (timing.frameMs <= 0) return 1;
  return Math.max(1, Math.ceil(((1 - STARTUP_SHARE) / STARTUP_SHARE) * (timing.startupMs / timing.frameMs)));
}

/**
 * Frames per chunk for automatic chunking (elastic chunks): as big as keeps every usable slot
 * busy, so one slot renders one chunk; capped at about 15 minutes of rendering; and never below
 * the start-up floor. The floor wins over the cap: a smaller chunk only buys another start-up,
 * since per-frame checkpoints already make a big chunk lose nothing on failure, and a running
 * chunk gives way to a higher-priority job at a frame boundary (scheduler/shorten.ts).
 * Unmeasured scenes start with one chunk per slot, capped, and are re-chunked once measured.
 */
export function autoChunkSize(remaining: number, slots: number, timing: SceneTiming | null): number {
  const perSlot = Math.max(1, Math.ceil(remaining / Math.max(1, slots)));
  if (!timing || timing.frameMs <= 0) return Math.min(perSlot, FIRST_CHUNK_MAX);
  const forDuration = Math.max(1, Math.floor(MAX_CHUNK_MS / timing.frameMs));
  const size = Math.max(startupFloor(timing), Math.min(perSlot, forDuration));
  return Math.max(1, Math.min(remaining, size));
}

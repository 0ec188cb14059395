/** Start-up may cost at most this share of a chunk's wall time. */
const STARTUP_SHARE = 0.05;
/** A chunk should not run much longer than this, so progress and retries stay fine-grained. */
const MAX_CHUNK_MS = 15 * 60_000;
/** Before anything is measured, the first chunk stays this small at most. */
const FIRST_CHUNK_MAX = 50;

export interface SceneTiming {
  startupMs: number;
  frameMs: number;
}

/**
 * Frames per chunk for automatic chunking. With a measured start-up S and per-frame time F, n
 * frames cost S + nF, so S/(S + nF) ≤ 5% needs n ≥ 19·S/F. Every slot should still get work, and
 * a chunk is capped in duration. Unmeasured scenes start with one chunk per slot (checkpoints are
 * per frame, so a big first chunk loses nothing on failure) and are re-chunked once measured.
 */
export function autoChunkSize(remaining: number, slots: number, timing: SceneTiming | null): number {
  const perSlot = Math.max(1, Math.ceil(remaining / Math.max(1, slots)));
  if (!timing || timing.frameMs <= 0) return Math.min(perSlot, FIRST_CHUNK_MAX);
  const forStartup = Math.ceil(((1 - STARTUP_SHARE) / STARTUP_SHARE) * (timing.startupMs / timing.frameMs));
  const forDuration = Math.max(1, Math.floor(MAX_CHUNK_MS / timing.frameMs));
  return Math.max(1, Math.min(perSlot, forStartup, forDuration));
}

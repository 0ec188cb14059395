/**
 * Splits frames, in order, into consecutive chunks of at most `size`. With shape 'arithmetic'
 * (for DCCs that take start/end/step) a chunk also ends where the step changes. Chunks are
 * filled greedily, which for these rules also gives the fewest chunks.
 */
export function chunkFrames(frames: readonly number[], size: number, shape: 'any' | 'arithmetic' = 'any'): number[][] {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`chunk size must be a whole number of at least 1, got ${size}`);
  const chunks: number[][] = [];
  const n = frames.length;
  if (shape === 'any') {
    for (let i = 0; i < n; i += size) chunks.push(frames.slice(i, i + size));
    return chunks;
  }
  for (let i = 0; i < n; ) {
    let end = i + 1;
    const step = end < n ? frames[end]! - frames[i]! : 0;
    // A step of 0 (a repeated frame) is no range any DCC can take.
    if (step !== 0) while (end < n && end - i < size && frames[end]! - frames[end - 1]! === step) end++;
    chunks.push(frames.slice(i, end));
    i = end;
  }
  return chunks;
}

/**
 * `{start, end, step}` when the frames are one run of a constant, signed step (negative when
 * descending, so `start + k * step` walks the run); a single frame has step 1. Null otherwise.
 */
export function isArithmetic(frames: readonly number[]): { start: number; end: number; step: number } | null {
  const n = frames.length;
  if (n === 0) return null;
  const start = frames[0]!;
  if (n === 1) return { start, end: start, step: 1 };
  const step = frames[1]! - start;
  if (step === 0) return null;
  for (let i = 2; i < n; i++) if (frames[i]! - frames[i - 1]! !== step) return null;
  return { start, end: frames[n - 1]!, step };
}

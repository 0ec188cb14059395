/**
 * Output patterns: an absolute path whose file name holds a run of `#`, one `#` per padded digit
 * of the frame number (Blender's convention, which every adapter maps to its DCC's own naming).
 * Every adapter goes through these helpers so that "where does frame N land" has one answer.
 */

/**
 * Where the frame placeholder sits: the last run of `#` in the file name. A `#` in a folder name
 * is literal, as it is for Blender, which only looks at the file name when deciding whether to
 * append `####` (checked with Blender 3.4: `-o /out/shot_##/img` writes `/out/shot_##/img0003.png`).
 */
export interface PatternParts {
  /** Everything before the placeholder, folders included. */
  head: string;
  /** Number of `#`: the minimum digits of the frame number. */
  digits: number;
  /** Everything after the placeholder. */
  tail: string;
}

export function splitPattern(pattern: string): PatternParts | null {
  const nameStart = Math.max(pattern.lastIndexOf('/'), pattern.lastIndexOf('\\')) + 1;
  const end = pattern.lastIndexOf('#');
  if (end < nameStart) return null;
  let start = end;
  while (start > nameStart && pattern[start - 1] === '#') start--;
  return { head: pattern.slice(0, start), digits: end - start + 1, tail: pattern.slice(end + 1) };
}

export function hasFramePlaceholder(pattern: string): boolean {
  return splitPattern(pattern) !== null;
}

/** `frame` with at least `digits` digits; the sign goes in front of the padding (`-0001`). */
export function padFrame(frame: number, digits: number): string {
  const body = String(Math.abs(frame)).padStart(digits, '0');
  return frame < 0 ? `-${body}` : body;
}

/** The pattern with its placeholder replaced by the padded frame; a pattern without one is returned as is. */
export function expandPattern(pattern: string, frame: number): string {
  const parts = splitPattern(pattern);
  return parts ? parts.head + padFrame(frame, parts.digits) + parts.tail : pattern;
}

/**
 * One ascending arithmetic run that covers `frames`, for DCCs that can only render `start..end`
 * by `step`. Chunks are arithmetic already; a retry of a chunk whose middle frame is done is not,
 * and rendering that done frame again is cheaper than failing the retry for it.
 */
export function coveringRun(frames: readonly number[]): { start: number; end: number; step: number } {
  if (frames.length === 0) throw new Error('coveringRun: no frames');
  const sorted = [...new Set(frames)].sort((a, b) => a - b);
  const start = sorted[0]!;
  const end = sorted[sorted.length - 1]!;
  let step = 0;
  for (let i = 1; i < sorted.length; i++) step = gcd(step, sorted[i]! - sorted[i - 1]!);
  return { start, end, step: step || 1 };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return Math.abs(a);
}

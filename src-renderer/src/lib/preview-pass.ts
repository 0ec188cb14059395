/** One range, `a-b` or `a..b`, with an interleave step or none: what "preview pass first" works on. */
const SINGLE_RANGE = /^\s*(-?\d+)\s*(-|\u2013|\.\.)\s*(-?\d+)\s*(?::\s*-?\d+\s*)?$/;
const INTERLEAVED = /:\s*-?\d+\s*$/;

/** Below this many frames a preview pass shows nothing a full render would not show as soon. */
const MIN_FRAMES = 8;

/** True when the text is one range rendered coarse pass first (`1-100:8`). */
export function hasPreviewPass(text: string): boolean {
  return SINGLE_RANGE.test(text) && INTERLEAVED.test(text);
}

/**
 * `a-b` as `a-b:step` (interleave: every frame, every step-th first), or null when the text is not
 * one range long enough. The step is a power of two near a tenth of the range, so the first pass
 * is about ten frames spread over the shot and each later pass halves the gaps.
 */
export function withPreviewPass(text: string): string | null {
  const match = SINGLE_RANGE.exec(text);
  if (!match) return null;
  const [, start, mark, end] = match;
  const frames = Math.abs(Number(end) - Number(start)) + 1;
  if (frames < MIN_FRAMES) return null;
  const step = 2 ** Math.floor(Math.log2(Math.max(2, frames / 10)));
  return `${start}${mark}${end}:${step}`;
}

/** The range without its interleave: rendered in plain order again. */
export function withoutPreviewPass(text: string): string {
  return text.replace(INTERLEAVED, '').trimEnd();
}

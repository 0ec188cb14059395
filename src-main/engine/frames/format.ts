/**
 * The shortest text that parses back to `frames`, in their order: runs of a constant step become
 * `a-b` (step ±1) or `a-bxS`, other frames stand alone, joined by commas without spaces.
 * Expects unique whole frames (what parseFrameSet returns); throws RangeError on anything else
 * that is not a safe integer, since no text could stand for it.
 */
export function formatFrameSet(frames: readonly number[]): string {
  const n = frames.length;
  if (n === 0) return '';
  for (const frame of frames) {
    if (!Number.isSafeInteger(frame)) throw new RangeError(`frames are whole numbers, got ${frame}`);
  }
  const f = (i: number): number => frames[i]!;
  const lengths = new Uint8Array(n);
  for (let i = 0; i < n; i++) lengths[i] = textLength(f(i));
  // best[i]: length of the shortest text for frames[i..]; next[i]: where its first group ends.
  // Greedy (longest run first) is not shortest: 1-10,12-16x2 loses to 1-9,10-16x2.
  const best = new Float64Array(n + 1);
  const next = new Int32Array(n);
  // Cost of a run that ends just before j, plus everything after it.
  const closing = (j: number): number => lengths[j - 1]! + (j < n ? 1 + best[j]! : 0);
  // Every run starting at i shares i's step, so its possible ends form a window [i + 2, reach + 1]
  // that only grows leftwards while the step holds: keep its minimum as i moves back.
  let windowMin = Infinity;
  let windowEnd = -1;
  for (let i = n - 1; i >= 0; i--) {
    best[i] = lengths[i]! + (i + 1 < n ? 1 + best[i + 1]! : 0);
    next[i] = i + 1;
    if (i + 1 === n) continue;
    const step = f(i + 1) - f(i);
    const candidate = closing(i + 2);
    const sameStep = i + 2 < n && step !== 0 && f(i + 2) - f(i + 1) === step;
    if (!sameStep || candidate < windowMin) {
      windowMin = candidate;
      windowEnd = i + 2;
    }
    if (step === 0) continue; // a repeated frame cannot be written as a run
    const run = lengths[i]! + 1 + stepLength(step) + windowMin;
    // Strictly shorter only: on a tie "9,10" reads better than "9-10".
    if (run < best[i]!) {
      best[i] = run;
      next[i] = windowEnd;
    }
  }
  const parts: string[] = [];
  for (let i = 0; i < n; i = next[i]!) {
    const end = next[i]!;
    if (end === i + 1) {
      parts.push(String(f(i)));
      continue;
    }
    const step = Math.abs(f(i + 1) - f(i));
    parts.push(step === 1 ? `${f(i)}-${f(end - 1)}` : `${f(i)}-${f(end - 1)}x${step}`);
  }
  return parts.join(',');
}

/** `1000000` → `1,000,000`: counts in messages, never frames (those must stay parseable). */
export function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function stepLength(step: number): number {
  return step === 1 || step === -1 ? 0 : 1 + textLength(Math.abs(step));
}

function textLength(n: number): number {
  let length = n < 0 ? 2 : 1;
  const magnitude = Math.abs(n);
  for (let power = 10; magnitude >= power; power *= 10) length++;
  return length;
}

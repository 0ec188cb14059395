import { groupThousands } from './format';

/**
 * A one-line summary for lists and confirmations: `20 frames: 1, 6, 11, … 96`, `1 frame: 7`,
 * `no frames`. Shows at most `maxShown` frames (at least 2: the first ones and the last).
 */
export function describeFrameSet(frames: readonly number[], maxShown = 4): string {
  const n = frames.length;
  if (n === 0) return 'no frames';
  const head = `${groupThousands(n)} ${n === 1 ? 'frame' : 'frames'}`;
  const shown = Number.isFinite(maxShown) ? Math.max(2, Math.floor(maxShown)) : 4;
  if (n <= shown) return `${head}: ${frames.join(', ')}`;
  return `${head}: ${frames.slice(0, shown - 1).join(', ')}, … ${frames[n - 1]}`;
}

import { formatDuration } from '../lib/format';
import { useNow } from '../state/clock';

/** Re-renders once a second by itself, so only running jobs' cells tick, not the whole table. */
export function LiveDuration({ compute }: { compute(now: number): number | null }) {
  const now = useNow();
  return <>{formatDuration(compute(now))}</>;
}

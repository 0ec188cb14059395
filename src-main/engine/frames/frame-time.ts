/**
 * The one definition of "average frame time" (issue 13, finding 9): the median of the measured
 * render times of done frames. A job's wall time (start-up, idle, waiting for a slot) is a
 * different number and is shown apart as wall time. The median, not the mean, so one slow first
 * frame (shader compile, cache warm-up) does not stand for the whole job.
 */
export function medianMs(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  // A typed array sorts numbers natively: a 100,000-frame job's median is asked for a few times a second.
  const sorted = isSorted(values) ? values : Float64Array.from(values).sort();
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** The median render time of the frames that are done and were measured; null when none was. */
export function medianFrameMs(frames: Iterable<{ state: string; renderMs: number | null }>): number | null {
  const times: number[] = [];
  for (const f of frames) if (f.state === 'done' && f.renderMs !== null) times.push(f.renderMs);
  return medianMs(times);
}

function isSorted(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if (values[i - 1]! > values[i]!) return false;
  return true;
}

/**
 * Frames as Flamenco writes them (`internal/manager/job_compilers/js_globals.go`): the job's
 * `frames` setting is a comma list of `a` and `a-b`; the Manager sorts and deduplicates it and
 * cuts it into chunks of `chunk_size`, naming each task `render-<chunk>` where runs of three or
 * more read `a-b` and a run of two reads `a,b`. No steps and no negative frames: `-` is the
 * range separator.
 */

/** The frames in Flamenco's own order: ascending, each once. */
export function flamencoOrder(frames: readonly number[]): number[] {
  return [...new Set(frames)].sort((a, b) => a - b);
}

/** Flamenco's `frameRangeMerge`: ascending frames → `1-3,5,7,8`. */
export function flamencoFrameText(frames: readonly number[]): string {
  const sorted = flamencoOrder(frames);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let end = i + 1;
    while (end < sorted.length && sorted[end]! === sorted[end - 1]! + 1) end++;
    const run = end - i;
    if (run >= 3) parts.push(`${sorted[i]}-${sorted[end - 1]}`);
    else for (let k = i; k < end; k++) parts.push(String(sorted[k]));
    i = end;
  }
  return parts.join(',');
}

/** Flamenco's `frameChunker`: the chunks the Manager will make of these frames. */
export function flamencoChunks(frames: readonly number[], chunkSize: number): number[][] {
  const sorted = flamencoOrder(frames);
  const chunks: number[][] = [];
  for (let i = 0; i < sorted.length; i += chunkSize) chunks.push(sorted.slice(i, i + chunkSize));
  return chunks;
}

const RENDER_TASK = /^render-(\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*)$/;

/** The frames of a `render-<chunk>` task, read back from its name; null for any other task. */
export function framesOfTaskName(name: string): number[] | null {
  const match = RENDER_TASK.exec(name);
  if (!match) return null;
  const frames: number[] = [];
  for (const part of match[1]!.split(',')) {
    const [a, b] = part.split('-').map(Number) as [number, number | undefined];
    if (b === undefined) frames.push(a);
    else for (let f = a; f <= b; f++) frames.push(f);
  }
  return frames;
}

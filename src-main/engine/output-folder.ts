import path from 'node:path';

/**
 * Where a job's images are: the folder of its first done frame (the scene's own output when the
 * job sets none), else the folder of its output pattern; null when neither is known yet.
 */
export function outputFolder(pattern: string | null, frames: readonly { frame: number; state: string; output: string | null }[]): string | null {
  let first: { frame: number; output: string } | null = null;
  for (const f of frames) if (f.state === 'done' && f.output && (!first || f.frame < first.frame)) first = { frame: f.frame, output: f.output };
  if (first) return path.dirname(first.output);
  return pattern ? path.dirname(pattern) : null;
}

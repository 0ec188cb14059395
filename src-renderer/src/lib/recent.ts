import type { JobSummary } from '../../../src-preload/contract';

/** The folder part of a path or output pattern (`/r/shot_####.png` → `/r`). */
export function folderOf(p: string): string {
  const cut = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return cut <= 0 ? p.slice(0, cut + 1) || p : p.slice(0, cut);
}

/**
 * Recent scenes and output folders, newest first, from the queue and history itself: nothing
 * extra to store, and deleting a job forgets it.
 */
export function recentPaths(jobs: Iterable<JobSummary>, limit = 8): { scenes: string[]; outputs: string[] } {
  const sorted = [...jobs].sort((a, b) => b.createdAt - a.createdAt);
  const unique = (values: (string | null)[]): string[] => [...new Set(values.filter((v): v is string => Boolean(v)))].slice(0, limit);
  return { scenes: unique(sorted.map((j) => j.scene)), outputs: unique(sorted.map((j) => (j.output ? folderOf(j.output) : null))) };
}

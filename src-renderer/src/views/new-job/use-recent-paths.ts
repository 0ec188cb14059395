import { useMemo } from 'react';
import { recentPaths } from '../../lib/recent';
import { useJobs } from '../../state/jobs-store';

/** Recent scenes and output folders, from the jobs the UI already holds. */
export function useRecentPaths(): { scenes: string[]; outputs: string[] } {
  const byId = useJobs((s) => s.byId);
  return useMemo(() => recentPaths(byId.values()), [byId]);
}

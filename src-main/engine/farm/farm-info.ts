import type { Store } from '../store';
import type { JobFarmInfo } from '../types';
import { backendFor } from './backends';
import { findFarm } from './profiles';

/**
 * Where a farm job went, for `spool show`, `--json`, reports and the job view: the farm, each
 * hand-off's farm job id with its elements' ids (from the attempts that followed them), and the
 * command that shows it in the farm's own tool. Null for a job of this workstation.
 */
export function farmInfoOf(store: Store, jobId: number): JobFarmInfo | null {
  const farm = store.farms.jobFarm(jobId);
  if (!farm) return null;
  const profile = findFarm(store, farm);
  const backend = profile ? backendOrNull(profile) : null;
  const subs = store.farms.submissionsOf(jobId);
  // An attempt followed the newest hand-off of its task made before it ended: its own (made just
  // after it started), or the one it re-attached to; a retry's hand-off comes after it ended.
  const handoffOf = (taskId: number, endedAt: number | null) => subs.filter((s) => s.taskIds.includes(taskId) && s.createdAt <= (endedAt ?? Infinity)).at(-1)?.id;
  const attempts = store.work.attemptsOfJob(jobId).filter((a) => a.farmId);
  const handoffs = subs.map((sub) => {
    const elements = [...new Set(attempts.filter((a) => handoffOf(a.taskId, a.endedAt) === sub.id).map((a) => a.farmId!))];
    return {
      farmJobId: sub.farmJobId,
      tag: sub.tag,
      elements,
      // Not handed off yet (the farm has not answered): nothing to look at there.
      see: backend && sub.farmJobId ? backend.seeInFarm({ farmJobId: sub.farmJobId, tag: sub.tag }) : null,
    };
  });
  return { farm, kind: profile?.kind ?? null, handoffs };
}

function backendOrNull(profile: Parameters<typeof backendFor>[0]) {
  try {
    return backendFor(profile);
  } catch {
    // A kind this build cannot drive yet: the ids are still worth showing.
    return null;
  }
}

/** One line per hand-off, the same in `spool show` and reports: the farm's ids and how to look there. */
export function farmInfoLines(info: JobFarmInfo): string[] {
  const head = `farm ${info.farm}${info.kind ? ` (${info.kind})` : ' (profile removed)'}`;
  if (info.handoffs.length === 0) return [`${head}: not handed off yet`];
  return info.handoffs.map((h) => {
    if (!h.farmJobId) return `${head}: hand-off ${h.tag} not answered by the farm yet`;
    const elements = h.elements.length ? ` (${h.elements.join(', ')})` : '';
    return `${head}: job ${h.farmJobId}${elements}${h.see ? ` — see it there: ${h.see}` : ''}`;
  });
}

import type { ActionCheck } from './actions';

/** What decides whether a job may change where it renders (Modify's "Render on", `spool modify --farm/--local`). */
export interface FarmChangeFacts {
  id: number;
  /** Where it renders now: a farm profile's name, or null for this workstation. */
  farm: string | null;
  /** The farms it was handed to: a hand-off stored (answered by the farm or not) may have work there. */
  handedTo: readonly string[];
}

/**
 * Where a job renders may change while none of it went to a farm: once a hand-off is stored, the
 * farm may hold (or be about to take) its chunks, and moving the job would render them twice or
 * strand them. Modify itself must be allowed too (actions.ts: queued, blocked or paused).
 */
export function farmChangeRefusal(job: FarmChangeFacts): string | null {
  const farm = job.handedTo.at(-1);
  return farm === undefined ? null : `job ${job.id} was already handed to farm ${farm}: cancel it and submit it again to render elsewhere`;
}

/** `to`: a farm profile's name, or null for this workstation. */
export function checkFarmChange(job: FarmChangeFacts, to: string | null): ActionCheck {
  if (to === job.farm) return { kind: 'noop' };
  const reason = farmChangeRefusal(job);
  return reason ? { kind: 'refused', reason } : { kind: 'apply' };
}

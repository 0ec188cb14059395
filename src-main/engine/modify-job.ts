import { initialChunks, prepareJobs, requireJob } from './commands';
import { InputError } from './errors';
import { jobAsInput } from './job-as-input';
import { describeZodError, ModifyInputSchema } from './job-input';
import { checkAction } from './lifecycle/actions';
import { checkFarmChange } from './lifecycle/farm-change';
import type { PrepareDeps } from './prepare-job';
import type { Store } from './store';
import type { JobSummary } from './types';

/**
 * Changes a job as lifecycle/modify.ts describes. The job with the change applied goes through
 * the submit path's checks (prepareJobs: scene, frames, output, adapter, dependencies), then one
 * transaction applies it; fields left out keep their value, `overrides` replaces the whole set.
 * `farm` moves it between this workstation and farms while none of it was handed to one.
 */
export async function modifyJob(store: Store, ref: string | number, raw: unknown, deps: PrepareDeps = {}): Promise<JobSummary> {
  const parsed = ModifyInputSchema.safeParse(raw);
  if (!parsed.success) throw new InputError('input', describeZodError(parsed.error));
  const job = requireJob(store, ref);
  refuseUnlessModifiable(store, job.id);
  const farm = parsed.data.farm === undefined ? (job.farm ?? null) : parsed.data.farm;
  refuseFarmChange(store, job.id, farm);

  // Its farm comes along, so a changed output is checked against the farm's shared folders too.
  const input = { ...jobAsInput(job), farm, after: store.jobs.depsOf(job.id), ...parsed.data };
  const single = (_i: number, field: string, message: string) => new InputError(field, message);
  const { prepared, items } = await prepareJobs(store, [input], deps, single);
  const { spec, frames, adapter } = prepared[0]!;
  const after = items[0]!.after!.map((ref) => ('id' in ref ? ref.id : job.id));
  if (after.includes(job.id)) throw new InputError('after', `job ${job.id} cannot wait for itself`);
  const cycle = dependencyCycle(store, job.id, after);
  if (cycle) throw new InputError('after', `dependency cycle: ${cycle.map((id) => `"${store.jobs.get(id)?.name ?? id}"`).join(' → ')}`);

  store.jobs.modify(job.id, {
    spec,
    frames,
    chunk: (pending) => initialChunks(store, spec, pending, adapter),
    after,
    // The scheduler may have started it since the check above (another process): refuse then.
    check: () => {
      refuseUnlessModifiable(store, job.id);
      refuseFarmChange(store, job.id, farm);
    },
  });
  return store.summaries.summarize(requireJob(store, job.id));
}

function refuseUnlessModifiable(store: Store, jobId: number): void {
  const summary = store.summaries.summarize(requireJob(store, jobId));
  const check = checkAction('modify', { ...summary, waitingDependents: [] });
  if (check.kind === 'refused') throw new InputError('job', check.reason);
}

/** Where it renders may change while nothing of it was handed to a farm (lifecycle/farm-change.ts). */
function refuseFarmChange(store: Store, jobId: number, to: string | null): void {
  const handedTo = store.farms.submissionsOf(jobId).map((s) => s.farm);
  const check = checkFarmChange({ id: jobId, farm: store.farms.jobFarm(jobId), handedTo }, to);
  if (check.kind === 'refused') throw new InputError('farm', check.reason);
}

/** A path from one of `after` back to `jobId` through what jobs wait for, closed (`[job, a, b, job]`), or null. */
function dependencyCycle(store: Store, jobId: number, after: readonly number[]): number[] | null {
  const seen = new Set<number>();
  const walk = (id: number, path: number[]): number[] | null => {
    if (id === jobId) return [jobId, ...path];
    if (seen.has(id)) return null;
    seen.add(id);
    for (const dep of store.jobs.depsOf(id)) {
      const found = walk(dep, [...path, dep]);
      if (found) return found;
    }
    return null;
  };
  for (const dep of after) {
    const found = walk(dep, [dep]);
    if (found) return found;
  }
  return null;
}

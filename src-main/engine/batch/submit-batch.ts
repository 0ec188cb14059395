import { prepareJobs, type PreparedJobs } from '../commands';
import { riskyEnvMessage, riskyEnvNames } from '../env-policy';
import { formatFrameSet } from '../frames';
import type { PrepareDeps } from '../prepare-job';
import { readSetting } from '../settings';
import type { Store } from '../store';
import type { JobSummary, PlannedJob } from '../types';
import type { JobRecord } from '../types';
import type { ParsedBatch } from './load';

/** Checks every job of a batch file and resolves `after`; nothing is stored. */
export async function prepareBatch(store: Store, batch: ParsedBatch, deps: PrepareDeps = {}): Promise<PreparedJobs> {
  refuseRiskyEnv(store, batch);
  return prepareJobs(store, batch.inputs, { ...deps, cwd: batch.dir }, batch.mapError);
}

/** A batch file's `env:` may not change what runs or is loaded unless Settings allow it (env-policy.ts). */
function refuseRiskyEnv(store: Store, batch: ParsedBatch): void {
  if (readSetting(store, 'security.allowRiskyEnv')) return;
  for (const [index, input] of batch.inputs.entries()) {
    const [name] = riskyEnvNames(input.overrides?.env);
    if (name !== undefined) throw batch.mapError(index, `overrides.env.${name}`, riskyEnvMessage(name, 'a batch file'));
  }
}

/**
 * Queues a batch in ONE transaction: every job or none. `inTx` runs inside that transaction
 * (a watch folder records the file there, so a crash cannot queue it twice).
 */
export async function submitBatch(
  store: Store,
  batch: ParsedBatch,
  deps: PrepareDeps = {},
  inTx?: (jobs: JobRecord[]) => void,
): Promise<JobSummary[]> {
  const { items } = await prepareBatch(store, batch, deps);
  return store.jobs.insertMany(items, inTx).map((job) => store.summaries.summarize(job));
}

export type { PlannedJob };

export function planOf(prepared: PreparedJobs, store: Store): PlannedJob[] {
  return prepared.items.map((item) => {
    const assigned = (item.chunks ?? []).reduce((n, c) => n + c.length, 0);
    return {
      name: item.spec.name,
      dcc: item.spec.dcc,
      scene: item.spec.scene,
      frames: item.spec.framesText || formatFrameSet([...item.frames]),
      frameCount: item.frames.length,
      tasks: item.chunks?.length ?? 0,
      autoFrames: item.frames.length - assigned,
      chunkSize: item.spec.chunkSize,
      output: item.spec.output,
      priority: item.spec.priority,
      after: (item.after ?? []).map((ref) =>
        'index' in ref ? prepared.items[ref.index]!.spec.name : `${store.jobs.get(ref.id)?.name ?? '?'} (job ${ref.id})`,
      ),
      steps: (item.spec.steps ?? []).map((s) => s.kind),
      tags: item.spec.tags ?? [],
    };
  });
}

/** The dry run as a table a person reads. */
export function formatPlan(plan: readonly PlannedJob[], source: string): string {
  const frames = plan.reduce((n, p) => n + p.frameCount, 0);
  const rows = plan.map((p) => [
    p.name,
    p.dcc,
    `${p.frames} (${p.frameCount})`,
    `${p.tasks}${p.chunkSize ? ` × ${p.chunkSize}` : ''}${p.autoFrames > 0 ? ` + ${p.autoFrames} frames auto` : ''}`,
    String(p.priority),
    p.after.join(', ') || '-',
    p.steps.join(', ') || '-',
  ]);
  const head = ['NAME', 'DCC', 'FRAMES', 'TASKS', 'PRI', 'AFTER', 'STEPS'];
  const widths = head.map((h, c) => Math.min(48, Math.max(h.length, ...rows.map((r) => r[c]!.length))));
  const line = (cells: string[]) => cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [
    `${source}: ${plan.length} job${plan.length === 1 ? '' : 's'}, ${frames} frames, ${plan.reduce((n, p) => n + p.tasks, 0)} tasks — dry run, nothing queued`,
    line(head),
    ...rows.map(line),
    '',
  ].join('\n');
}

import { activeElapsedMs } from '../engine/lifecycle';
import type { JobDetail } from '../engine/commands';
import type { JobSummary } from '../engine/types';

/** The stable JSON shape of `spool jobs --json`, `show --json` and `submit --wait --json`. */
export function jobJson(job: JobSummary) {
  return {
    id: job.id,
    name: job.name,
    status: job.status,
    reason: job.reason,
    dcc: job.dcc,
    scene: job.scene,
    framesText: job.framesText,
    frameCount: job.frameCount,
    framesDone: job.framesDone,
    framesFailed: job.framesFailed,
    output: job.output,
    priority: job.priority,
    createdAt: new Date(job.createdAt).toISOString(),
    startedAt: job.startedAt ? new Date(job.startedAt).toISOString() : null,
    finishedAt: job.finishedAt ? new Date(job.finishedAt).toISOString() : null,
    /** The average frame time: the median of measured frame render times (ms). */
    medianFrameMs: job.medianFrameMs,
    /** Wall time from start to finish (or now), idle and start-up included, paused time left out. */
    wallMs: activeElapsedMs(job, Date.now()),
    archivedAt: job.archivedAt ? new Date(job.archivedAt).toISOString() : null,
  };
}

export function jobDetailJson(detail: JobDetail) {
  const tasksById = new Map(detail.tasks.map((t) => [t.id, t]));
  return {
    ...jobJson(detail.job),
    frames: detail.frames.map((f) => ({
      frame: f.frame,
      status: f.state,
      output: f.output,
      reason: f.reason,
      renderMs: f.renderMs,
      task: f.taskId !== null ? (tasksById.get(f.taskId)?.index ?? null) : null,
    })),
    attempts: detail.attempts.map((a) => ({
      id: a.id,
      task: tasksById.get(a.taskId)?.index ?? null,
      argv: a.argv,
      pid: a.pid,
      farmId: a.farmId ?? null,
      startedAt: new Date(a.startedAt).toISOString(),
      endedAt: a.endedAt ? new Date(a.endedAt).toISOString() : null,
      exitCode: a.exitCode,
      signal: a.signal,
      reason: a.reason,
      log: a.logPath,
    })),
    /** Where a farm job went: farm, kind, each hand-off's farm job id, elements and how to see it there. */
    farm: detail.farm ?? null,
    after: (detail.deps ?? []).map((d) => ({ id: d.id, name: d.name, status: d.status })),
    steps: (detail.steps ?? []).map((s) => ({
      index: s.index,
      kind: s.kind,
      status: s.state,
      attempts: s.attempts,
      reason: s.reason,
      outputs: s.outputs,
      log: s.logPath,
      spec: s.spec,
      startedAt: s.startedAt ? new Date(s.startedAt).toISOString() : null,
      finishedAt: s.finishedAt ? new Date(s.finishedAt).toISOString() : null,
    })),
  };
}

import { lostFrames } from '../runner/frame-files';
import { outputFolder } from '../output-folder';
import { formatFrameSet, medianMs } from '../frames';
import type { Store } from '../store';
import { farmInfoOf } from '../farm/farm-info';
import type { FrameState, JobFarmInfo, JobStatus, StepKind, TaskState } from '../types';

/**
 * A render report as plain data: what each job rendered, how long frames took, what failed and
 * why, and what to do next. Built in the engine so every face (CLI, browser, desktop) shows the
 * same thing; markdown.ts and html.ts only lay it out.
 */

export interface ReportOptions {
  /** These jobs (ids), in this order; absent: every job (since `since`). */
  ids?: readonly number[];
  /** Jobs created or finished at or after this time (ms epoch). */
  since?: number | null;
  now?: number;
}

export interface TimeStats {
  count: number;
  totalMs: number;
  minMs: number;
  medianMs: number;
  maxMs: number;
}

export type FailureKind = 'licence' | 'missing' | 'stall' | 'timeout' | 'memory' | 'crash' | 'other';

export interface FailureGroup {
  reason: string;
  kind: FailureKind;
  frames: number[];
  /** `1-3,7` */
  frameSet: string;
  /** Spool gave up at once: retrying cannot help until something is fixed. */
  notRetried: boolean;
}

export interface JobReport {
  id: number;
  name: string;
  status: JobStatus;
  reason: string | null;
  dcc: string;
  scene: string | null;
  framesText: string;
  tags: string[];
  frameCount: number;
  framesDone: number;
  framesFailed: number;
  framesCanceled: number;
  /** Set aside by the user: neither failed nor left to render. */
  framesSuspended: number;
  framesLeft: number;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Start to finish (or to now while it runs). */
  wallMs: number | null;
  /** Per-frame render times of done frames. */
  renderTime: TimeStats | null;
  frames: { frame: number; state: FrameState; renderMs: number | null; output: string | null }[];
  attempts: { total: number; failed: number };
  failures: FailureGroup[];
  /** `CPU (8 threads)`, `GPU 0`, `farm lab`. */
  devices: string[];
  /** Where a farm job went (farm, its ids, how to see it there); null on this workstation. */
  farm?: JobFarmInfo | null;
  output: { pattern: string | null; folder: string | null; first: string | null; last: string | null };
  steps: { index: number; kind: StepKind; state: TaskState; attempts: number; reason: string | null; outputs: string[] }[];
  after: { id: number; name: string; status: JobStatus }[];
  /** What the user should do about this job, most useful first. */
  nextSteps: string[];
}

export interface Report {
  generatedAt: number;
  since: number | null;
  totals: {
    jobs: number;
    byStatus: Partial<Record<JobStatus, number>>;
    frames: number;
    framesDone: number;
    framesFailed: number;
    renderMs: number;
  };
  /** Every job's next steps, each naming its job. */
  nextSteps: string[];
  jobs: JobReport[];
}

export function buildReport(store: Store, options: ReportOptions = {}): Report {
  const now = options.now ?? Date.now();
  const since = options.since ?? null;
  const all = store.summaries.listJobs();
  const jobs = options.ids
    ? options.ids.map((id) => all.find((j) => j.id === id)).filter((j) => j !== undefined)
    : all.filter((j) => since === null || j.createdAt >= since || (j.finishedAt ?? 0) >= since);
  const reports = jobs.map((job) => jobReport(store, job.id, now));
  const byStatus: Partial<Record<JobStatus, number>> = {};
  for (const r of reports) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return {
    generatedAt: now,
    since,
    totals: {
      jobs: reports.length,
      byStatus,
      frames: reports.reduce((n, r) => n + r.frameCount, 0),
      framesDone: reports.reduce((n, r) => n + r.framesDone, 0),
      framesFailed: reports.reduce((n, r) => n + r.framesFailed, 0),
      renderMs: reports.reduce((n, r) => n + (r.renderTime?.totalMs ?? 0), 0),
    },
    nextSteps: reports.flatMap((r) => r.nextSteps.map((s) => `job ${r.id} "${r.name}": ${s}`)),
    jobs: reports,
  };
}

function jobReport(store: Store, jobId: number, now: number): JobReport {
  const summary = store.summaries.summarize(store.jobs.get(jobId)!);
  // A done frame whose file was deleted or changed since is not done, whatever the store says.
  const lost = new Map(lostFrames(store, jobId).map((l) => [l.frame, l.reason]));
  const frames = store.work.framesOf(jobId).map((f) => (lost.has(f.frame) ? { ...f, state: 'failed' as const, reason: lost.get(f.frame)! } : f));
  const job =
    lost.size === 0
      ? summary
      : {
          ...summary,
          status: summary.status === 'succeeded' ? ('failed' as const) : summary.status,
          reason: summary.status === 'succeeded' ? lost.values().next().value! : summary.reason,
          framesDone: summary.framesDone - lost.size,
          framesFailed: summary.framesFailed + lost.size,
        };
  // Render attempts: a step's runs show under its step.
  const attempts = store.work.attemptsOfJob(jobId).filter((a) => a.role === 'render');
  const steps = store.work.stepsOf(jobId);
  const after = store.summaries.depsOf(jobId);

  const times = frames.filter((f) => f.state === 'done' && f.renderMs !== null).map((f) => f.renderMs!);
  const failures = groupFailures(frames.filter((f) => f.state === 'failed'));
  const devices = new Map<string, number>();
  for (const a of attempts) {
    const label = a.farmId ? `farm ${job.farm}` : a.device.kind === 'gpu' ? `GPU ${a.device.index}` : `CPU (${a.device.threads} thread${a.device.threads === 1 ? '' : 's'})`;
    devices.set(label, (devices.get(label) ?? 0) + 1);
  }
  const done = frames.filter((f) => f.state === 'done' && f.output);
  const byFrame = [...done].sort((a, b) => a.frame - b.frame);
  const count = (state: FrameState) => frames.filter((f) => f.state === state).length;
  const report: JobReport = {
    id: job.id,
    name: job.name,
    status: job.status,
    reason: job.reason,
    dcc: job.dcc,
    scene: job.scene,
    framesText: job.framesText,
    tags: job.tags ?? [],
    frameCount: job.frameCount,
    framesDone: job.framesDone,
    framesFailed: job.framesFailed,
    framesCanceled: count('canceled'),
    framesSuspended: count('suspended'),
    framesLeft: count('queued') + count('running'),
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    wallMs: job.startedAt === null ? null : (job.finishedAt ?? now) - job.startedAt,
    renderTime: stats(times),
    frames: frames.map((f) => ({ frame: f.frame, state: f.state, renderMs: f.renderMs, output: f.output })),
    attempts: { total: attempts.length, failed: attempts.filter((a) => a.endedAt !== null && a.reason !== null).length },
    failures,
    devices: [...devices.keys()],
    farm: farmInfoOf(store, jobId),
    output: {
      pattern: job.output,
      folder: outputFolder(job.output, frames),
      first: byFrame[0]?.output ?? null,
      last: byFrame.at(-1)?.output ?? null,
    },
    steps: steps.map((s) => ({ index: s.index, kind: s.kind, state: s.state, attempts: s.attempts, reason: s.reason, outputs: s.outputs })),
    after,
    nextSteps: [],
  };
  report.nextSteps = adviseJob(report);
  return report;
}

export function stats(values: readonly number[]): TimeStats | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    totalMs: sorted.reduce((n, v) => n + v, 0),
    minMs: sorted[0]!,
    medianMs: medianMs(sorted)!,
    maxMs: sorted.at(-1)!,
  };
}

export function classifyReason(reason: string): FailureKind {
  if (/licen[cs]/i.test(reason)) return 'licence';
  if (/out of memory|\bOOM\b|bad_alloc|CUDA_ERROR_OUT_OF_MEMORY/i.test(reason)) return 'memory';
  if (/no output for/i.test(reason)) return 'stall';
  if (/ran longer than|timed? ?out/i.test(reason)) return 'timeout';
  if (/not found|no such file|cannot create|not allowed to run/i.test(reason)) return 'missing';
  if (/killed by SIG|crashed|segmentation/i.test(reason)) return 'crash';
  return 'other';
}

function groupFailures(failed: readonly { frame: number; reason: string | null }[]): FailureGroup[] {
  const groups = new Map<string, number[]>();
  for (const f of failed) {
    const reason = f.reason ?? 'failed (no reason recorded)';
    groups.set(reason, [...(groups.get(reason) ?? []), f.frame]);
  }
  return [...groups.entries()]
    .map(([reason, frames]) => ({
      reason,
      kind: classifyReason(reason),
      frames,
      frameSet: formatFrameSet([...frames].sort((a, b) => a - b)),
      notRetried: /\(not retried\)\s*$/.test(reason),
    }))
    .sort((a, b) => b.frames.length - a.frames.length);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What to do next, in the user's words: the failure, whether Spool retried, the command. */
export function adviseJob(job: JobReport): string[] {
  const retry = `\`spool retry ${job.id}\``;
  const advice: string[] = [];
  for (const group of job.failures) {
    const frames = plural(group.frames.length, 'frame');
    const retried = group.notRetried ? ' — not retried' : '';
    const short = group.reason.replace(/\s*\((not retried|after \d+ attempts)\)\s*$/, '');
    switch (group.kind) {
      case 'licence':
        advice.push(`${frames} failed with a licence error${retried}: fix the licence and run ${retry}`);
        break;
      case 'missing':
        advice.push(`${frames} failed: ${short}${retried}: fix the path or install, then run ${retry}`);
        break;
      case 'stall':
        advice.push(`${frames} stalled (${short}): check the scene, or raise stall_timeout, then run ${retry}`);
        break;
      case 'timeout':
        advice.push(`${frames} ran past the time limit (${short}): raise timeout, then run ${retry}`);
        break;
      case 'memory':
        advice.push(`${frames} ran out of memory: lower samples or resolution, or render on the CPU, then run ${retry}`);
        break;
      case 'crash':
        advice.push(`${frames} crashed the renderer (${short}): \`spool logs ${job.id} --frame ${group.frames[0]}\` shows the last lines; ${retry} renders them again`);
        break;
      default:
        advice.push(`${frames} failed: ${short}${retried} — \`spool logs ${job.id} --frame ${group.frames[0]}\` shows why; ${retry} renders them again`);
    }
  }
  for (const step of job.steps) {
    if (step.state !== 'failed') continue;
    advice.push(`the ${step.kind} step failed: ${step.reason ?? 'no reason recorded'} — fix it and run ${retry} (done frames are kept; only the step runs again)`);
  }
  if (job.status === 'blocked') {
    const dep = job.after.find((d) => d.status === 'failed' || d.status === 'canceled' || d.status === 'blocked');
    if (dep) {
      const what = dep.status === 'blocked' ? 'is blocked itself' : dep.status === 'canceled' ? 'was canceled' : 'failed';
      advice.push(`waits for job ${dep.id} "${dep.name}", which ${what}: fix that one first (\`spool retry ${dep.id}\`); this job starts by itself once it succeeds`);
    }
  }
  if (job.status === 'canceled' && job.framesDone < job.frameCount) {
    advice.push(`canceled with ${plural(job.frameCount - job.framesDone, 'frame')} not rendered: ${retry} renders them`);
  }
  return advice;
}

import type { FarmTaskState } from '../backend';

/** One array element as squeue --json (openapi/v0.0.38, Slurm 22.05) reports it. */
export interface ElementStatus {
  index: number;
  /** The element's own job id once started; the array's id while it waits. */
  jobId: string;
  state: FarmTaskState;
  slurmState: string;
  reason: string;
  exitCode: number | null;
  signal: number | null;
}

interface SqueueJob {
  job_id?: number;
  array_job_id?: number;
  array_task_id?: number | null;
  array_task_string?: string;
  job_state?: string;
  state_reason?: string;
  exit_code?: number;
  name?: string;
  comment?: string;
}

/**
 * All jobs squeue knows: 22.05 ignores -j and every filter with --json, so filtering is ours. A
 * controller that does not answer still exits 0 here, with the failure in `errors`: that is thrown.
 */
export function parseSqueue(json: string): SqueueJob[] {
  const doc = JSON.parse(json) as { jobs?: SqueueJob[]; errors?: { description?: string; error?: string }[] };
  const error = doc.errors?.[0];
  if (error) throw new SqueueError(error.description || error.error || 'squeue reported an error');
  return Array.isArray(doc.jobs) ? doc.jobs : [];
}

export class SqueueError extends Error {}

/** The array job carrying this tag (name or comment), if slurmctld still knows it. */
export function arrayIdForTag(jobs: readonly SqueueJob[], tag: string): string | null {
  const hit = jobs.find((j) => j.name === tag || j.comment === tag);
  if (!hit) return null;
  return String(hit.array_job_id || hit.job_id);
}

/** The elements of one array job: started ones have records of their own, waiting ones share one. */
export function elementsOf(jobs: readonly SqueueJob[], arrayJobId: string): ElementStatus[] {
  const id = Number(arrayJobId);
  const out: ElementStatus[] = [];
  for (const job of jobs) {
    if (job.array_job_id !== id && job.job_id !== id) continue;
    const slurmState = job.job_state ?? 'UNKNOWN';
    const reason = job.state_reason ?? 'None';
    const decoded = decodeWaitStatus(job.exit_code);
    const base = { slurmState, reason, exitCode: decoded.code, signal: decoded.signal, state: mapState(slurmState, reason) };
    if (typeof job.array_task_id === 'number') out.push({ ...base, index: job.array_task_id, jobId: String(job.job_id) });
    else for (const index of expandIndexes(job.array_task_string ?? '')) out.push({ ...base, index, jobId: arrayJobId, exitCode: null, signal: null });
  }
  return out;
}

/** `exit_code` is a raw wait status (reference §3.2): 7 → 1792, SIGTERM → 15. */
export function decodeWaitStatus(raw: number | undefined | null): { code: number | null; signal: number | null } {
  if (typeof raw !== 'number') return { code: null, signal: null };
  const signal = raw & 0x7f;
  return signal ? { code: null, signal } : { code: raw >> 8, signal: null };
}

/** `0-3,5,7-11:2%4` → [0,1,2,3,5,7,9,11] (the throttle suffix dropped). */
export function expandIndexes(text: string): number[] {
  const out: number[] = [];
  for (const part of text.replace(/%\d+$/, '').split(',')) {
    const m = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(part.trim());
    if (!m) continue;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    const step = m[3] === undefined ? 1 : Math.max(1, Number(m[3]));
    for (let i = from; i <= to; i += step) out.push(i);
  }
  return out;
}

function mapState(state: string, reason: string): FarmTaskState {
  switch (state) {
    case 'PENDING':
    case 'REQUEUED':
    case 'REQUEUE_HOLD':
    case 'REQUEUE_FED':
    case 'CONFIGURING':
      return reason === 'JobHeldUser' || reason === 'JobHeldAdmin' || state === 'REQUEUE_HOLD' ? 'held' : 'queued';
    case 'RUNNING':
    case 'COMPLETING':
    case 'SUSPENDED':
    case 'SIGNALING':
    case 'STAGE_OUT':
    case 'STOPPED':
    case 'RESIZING':
      return 'running';
    case 'COMPLETED':
      return 'done';
    case 'CANCELLED':
      return 'canceled';
    case 'FAILED':
    case 'TIMEOUT':
    case 'NODE_FAIL':
    case 'OUT_OF_MEMORY':
    case 'BOOT_FAIL':
    case 'DEADLINE':
    case 'PREEMPTED':
    case 'SPECIAL_EXIT':
    case 'REVOKED':
      return 'failed';
    default:
      return 'unknown';
  }
}

import type { DeviceAssignment, JobRecord } from '../types';

/** Chunks of one farm job handed off at once (Slurm's MaxArraySize defaults to 1001). */
const FARM_HANDOFF_MAX = 1000;

/** What the scheduler knows of the machine and of what runs now. */
export interface DeviceState {
  logicalCores: number;
  gpuCount: number;
  /** Render tasks running now: their job and device. */
  running: readonly { jobId: number; device: DeviceAssignment }[];
}

/** The most tasks of this job that can run at once: assignDevice never gives it more. */
export function mostAtOnce(job: JobRecord, gpuCount: number): number {
  // A farm job's chunks are all handed off at once; the farm runs its slots' worth at a time.
  if (job.farm) return FARM_HANDOFF_MAX;
  if (job.device.kind === 'cpu') return job.slots ?? 1;
  return job.device.kind === 'gpu' ? 1 : Math.max(1, gpuCount);
}

/**
 * Concurrency follows devices: a GPU runs one render at a time; the CPU runs as many as the job
 * allows (its slots, default one), each given its share of the cores so they don't oversubscribe.
 * `busy`: try again when something ends; null: this machine cannot run the job at all.
 */
export function assignDevice(job: JobRecord, state: DeviceState): DeviceAssignment | 'busy' | null {
  // The farm's machines, not this one's: threads 0 lets the renderer use what the farm gave it.
  if (job.farm) return { kind: 'cpu', threads: job.overrides.threads ?? 0 };
  const { running, gpuCount } = state;
  if (job.device.kind === 'cpu') {
    const slots = job.slots ?? 1;
    const ofJob = running.filter((s) => s.jobId === job.id).length;
    const onCpu = running.filter((s) => s.device.kind === 'cpu').length;
    if (ofJob >= slots || onCpu >= slots) return 'busy';
    const threads = job.overrides.threads ?? Math.max(1, Math.floor(state.logicalCores / slots));
    return { kind: 'cpu', threads };
  }
  if (gpuCount === 0) return null;
  const busy = new Set(running.flatMap((s) => (s.device.kind === 'gpu' ? [s.device.index] : [])));
  const wanted = job.device.kind === 'gpu' ? [job.device.index] : [...Array(gpuCount).keys()];
  const free = wanted.find((i) => i < gpuCount && !busy.has(i));
  return free === undefined ? (wanted.some((i) => i < gpuCount) ? 'busy' : null) : { kind: 'gpu', index: free };
}

import type { SubmitInput } from './job-input';
import type { JobRecord } from './types';

/**
 * A stored job as the input that would submit it again: what Duplicate queues and what Modify
 * starts from, so both are checked exactly as a new job is. Its steps and tags are not inputs a
 * change or a copy takes.
 */
export function jobAsInput(job: JobRecord): SubmitInput {
  return {
    scene: job.scene,
    dcc: job.dcc,
    frames: job.framesText,
    chunk: job.chunkSize ?? 'auto',
    output: job.output,
    name: job.name,
    priority: job.priority,
    retries: job.retries,
    slots: job.slots,
    stallTimeoutSec: job.stallTimeoutSec,
    taskTimeoutSec: job.taskTimeoutSec,
    device: job.device.kind === 'gpu' ? { gpu: job.device.index } : job.device.kind,
    // Stored as the submit schema accepted them.
    overrides: job.overrides as SubmitInput['overrides'],
  };
}

/**
 * When a running chunk should be shortened at a frame boundary (elastic chunks, issue 16): it
 * stops right after its frame in progress is saved and its other frames go back to the queue as a
 * new chunk. Farm managers pick a chunk size once, at submit; a chunk here can give way later.
 * Pure decisions over what runs; the dispatch loop asks and WorkSlots.shorten carries them out.
 */
import type { DeviceAssignment } from '../types';

export interface RunningChunk {
  taskId: number;
  jobId: number;
  priority: number;
  device: DeviceAssignment;
  /** Frames of the chunk not saved yet, the one in progress included. */
  pending: number;
}

/**
 * The chunk that gives way to a waiting job of higher priority, on the kind of device it needs:
 * the lowest priority first, then the one with most frames left (it would hold the slot longest).
 * A chunk on its last frame has nothing to give back.
 */
export function chunkToYield(waiting: { priority: number; deviceKind: DeviceAssignment['kind'] }, running: readonly RunningChunk[]): number | null {
  const lower = running.filter((c) => c.priority < waiting.priority && c.device.kind === waiting.deviceKind && c.pending > 1);
  lower.sort((a, b) => a.priority - b.priority || b.pending - a.pending);
  return lower[0]?.taskId ?? null;
}

/**
 * A job with a slot free and nothing queued: its chunk holding more than its fair share of the
 * job's remaining frames is split, when what it gives back (all but its frame in progress) makes
 * chunks of at least the start-up floor each, so the split never costs more start-up than the
 * elastic policy allows. Fair share: the job's frames left over its usable slots.
 */
export function chunkToSplit(chunks: readonly RunningChunk[], usableSlots: number, floor: number): number | null {
  if (chunks.length === 0 || chunks.length >= usableSlots) return null;
  const total = chunks.reduce((sum, c) => sum + c.pending, 0);
  const fairShare = Math.ceil(total / usableSlots);
  const biggest = chunks.reduce((a, b) => (b.pending > a.pending ? b : a));
  const givesBack = biggest.pending - 1;
  return biggest.pending > fairShare && givesBack >= 2 * Math.max(1, floor) ? biggest.taskId : null;
}

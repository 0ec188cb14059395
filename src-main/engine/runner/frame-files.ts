import { statSync } from 'node:fs';
import type { DoneFrameFile, Store } from '../store';

/**
 * A done frame is done only while its file is the one that was verified. One deleted, cut short by
 * a later full disk, or replaced since (size or mtime differ) is not this render's any more.
 * Frames recorded without a size (before sizes were kept, or by a caller that verified nothing) are
 * left as they are; a move step's copy to another disk gets a new mtime, so it keeps only the size.
 */
export function lostFileReason(done: DoneFrameFile): string | null {
  if (done.size === null) return null;
  let size: number;
  let mtimeMs: number;
  try {
    const stat = statSync(done.output);
    if (!stat.isFile()) return `its file is gone: ${done.output}`;
    ({ size, mtimeMs } = stat);
  } catch {
    return `its file is gone: ${done.output}`;
  }
  if (size !== done.size || (done.mtimeMs !== null && mtimeMs !== done.mtimeMs)) return `its file changed since it was rendered: ${done.output}`;
  return null;
}

/** The job's done frames whose file is missing or changed, with why. */
export function lostFrames(store: Store, jobId: number): { frame: number; reason: string }[] {
  const lost: { frame: number; reason: string }[] = [];
  for (const done of store.work.doneFrameFiles(jobId)) {
    const reason = lostFileReason(done);
    if (reason) lost.push({ frame: done.frame, reason });
  }
  return lost;
}

/** Before a retry: frames whose file was lost are not done any more, so the retry renders them. */
export function recheckDoneFrames(store: Store, jobId: number): void {
  store.work.markFramesLost(jobId, lostFrames(store, jobId));
}

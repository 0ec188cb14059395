import { getAdapter } from './adapters/registry';
import { adoptFinishedFrames } from './runner/render-work';
import type { Store } from './store';
import { isOwnProcess, isProcessGroupAlive, killProcessGroup } from './supervisor/process-identity';

/**
 * Settles what a dead engine left running (Flamenco's CheckStuck at start-up). Its children may
 * still run (they lead their own process groups): only those proven ours by pid and start time
 * are killed. Frames they finished completely are adopted; their tasks go back to the queue.
 */
export async function recoverInterrupted(store: Store, killGraceMs: number): Promise<void> {
  const open = store.work.openAttempts();
  if (open.length === 0) return;
  const ours = open.filter((a) => a.pid !== null && isOwnProcess(a.pid, a.pidStart));
  for (const attempt of ours) killProcessGroup(attempt.pid!, 'SIGTERM');
  const deadline = Date.now() + killGraceMs;
  while (ours.some((a) => isProcessGroupAlive(a.pid!)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  for (const attempt of ours) if (isProcessGroupAlive(attempt.pid!)) killProcessGroup(attempt.pid!, 'SIGKILL');
  // A step's task has no frames: nothing to adopt there.
  for (const attempt of open) {
    const job = store.jobs.get(attempt.jobId);
    const adapter = job ? getAdapter(job.dcc) : null;
    if (job && adapter) adoptFinishedFrames(store, adapter, job, attempt.taskId, attempt.attemptId);
  }
  store.work.recoverInterrupted('interrupted: the engine stopped while this ran; requeued');
}

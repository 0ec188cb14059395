import { liveLockOwner } from '../engine/lock';
import { StoreQueue, type QueueClient } from '../engine/queue-client';
import type { CliContext } from './context';

/**
 * Without an engine of its own, the CLI acts on the queue through the store; a running engine
 * notices each commit and acts on it, so the CLI never needs a socket to the engine.
 */
export async function withQueue<T>(ctx: CliContext, fn: (queue: QueueClient, engineRunning: boolean) => Promise<T> | T): Promise<T> {
  const queue = StoreQueue.open(ctx.dataDir, { cwd: ctx.cwd });
  try {
    return await fn(queue, liveLockOwner(ctx.dataDir) !== null);
  } finally {
    queue.close();
  }
}

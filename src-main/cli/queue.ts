import { mkdirSync } from 'node:fs';
import { liveLockOwner } from '../engine/lock';
import { storeFile } from '../engine/paths';
import { Store } from '../engine/store';
import type { CliContext } from './context';

/**
 * The CLI acts on the store directly; a running engine notices each commit and acts on it, so
 * the CLI never needs a socket to the engine.
 */
export function openQueue(ctx: CliContext): { store: Store; engineRunning: boolean } {
  mkdirSync(ctx.dataDir, { recursive: true });
  const store = Store.open(storeFile(ctx.dataDir));
  return { store, engineRunning: liveLockOwner(ctx.dataDir) !== null };
}

export async function withQueue<T>(ctx: CliContext, fn: (store: Store, engineRunning: boolean) => Promise<T> | T): Promise<T> {
  const { store, engineRunning } = openQueue(ctx);
  try {
    return await fn(store, engineRunning);
  } finally {
    store.close();
  }
}

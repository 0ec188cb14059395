import { Engine } from '../engine/engine';
import { DataDirLockedError, LockContendedError, liveLockOwner } from '../engine/lock';
import type { CliContext } from './context';

/**
 * The engine a `submit --wait` relies on: another process's (`spool run`, `serve`, the app, another
 * waiter) or, whenever none runs on the data dir, one started here. Checked on every poll, so a
 * waiter survives the engine it relied on stopping or being killed: the lock is free (or its owner
 * is dead) and the first waiter to see it takes over, recovering what the old engine left running.
 */
export class WaitingEngine {
  private own: Engine | null = null;

  constructor(private readonly ctx: CliContext) {}

  /** This process's engine, when it runs one. */
  get engine(): Engine | null {
    return this.own;
  }

  /** Starts an engine here unless one runs; true when this process started it now. */
  async takeOverIfNone(): Promise<boolean> {
    if (this.own || liveLockOwner(this.ctx.dataDir) !== null) return false;
    try {
      // A one-off render uses the cached detection; it need not wait for a fresh one to exit.
      this.own = await Engine.start({ dataDir: this.ctx.dataDir, detect: false });
      return true;
    } catch (error) {
      // Another waiter won the race for the lock: it renders, this one watches.
      if (error instanceof DataDirLockedError || error instanceof LockContendedError) return false;
      throw error;
    }
  }

  /** No engine is left to finish what was asked (ours stopped or none runs anywhere). */
  noneRunning(): boolean {
    return !this.own && liveLockOwner(this.ctx.dataDir) === null;
  }

  async stop(): Promise<void> {
    const engine = this.own;
    this.own = null;
    await engine?.stop();
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { WarmProbeSpec } from '../adapters/adapter';

export interface WarmOptions {
  /** Stopped after this long without a request: an idle engine keeps no DCC in memory. */
  idleMs: number;
  /** A request (or the start) that takes longer kills the process; the next request starts a fresh one. */
  timeoutMs: number;
  /** Restarted after this many scenes, so nothing a file left behind builds up in one process. */
  maxRequests: number;
}

type Reply = { id: number; info?: unknown; error?: string };

/** The warm process could not answer (did not start, died, hung): the caller probes cold instead. */
export class WarmProbeUnavailable extends Error {
  override name = 'WarmProbeUnavailable';
}

/**
 * One DCC process kept warm for probing, supervised: started on the first request, one request at
 * a time, killed on a timeout, restarted after it dies, stopped when idle. Its stdin is the only
 * lifeline (EOF ends the script), so it also ends when Spool dies without stopping it.
 */
export class WarmProber {
  private child: ChildProcess | null = null;
  private ready: Promise<void> | null = null;
  private pending: { id: number; resolve(reply: Reply): void; reject(error: Error): void } | null = null;
  private nextId = 1;
  private served = 0;
  private idle: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly executable: string,
    readonly spec: WarmProbeSpec,
    private readonly options: WarmOptions,
  ) {}

  /** The raw answer for one scene; requests wait their turn. */
  request(scene: string): Promise<Reply> {
    const run = this.queue.then(() => this.ask(scene));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Starts the process ahead of the first request (the new-job form opening); idles out as usual. */
  warm(): Promise<void> {
    const run = this.queue.then(async () => {
      await this.start();
      this.armIdle();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The live process's pid, if one runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  stop(): void {
    clearTimeout(this.idle);
    const child = this.child;
    this.child = null;
    this.ready = null;
    this.pending?.reject(new WarmProbeUnavailable('the prober was stopped'));
    this.pending = null;
    if (!child) return;
    // EOF lets it leave cleanly; a process that ignores it is killed.
    child.stdin?.end();
    const kill = setTimeout(() => child.kill('SIGKILL'), 2000);
    kill.unref();
    child.once('exit', () => clearTimeout(kill));
  }

  private async ask(scene: string): Promise<Reply> {
    clearTimeout(this.idle);
    if (this.served >= this.options.maxRequests) this.stop();
    try {
      await this.start();
      this.hold(true);
      const id = this.nextId++;
      const reply = await this.withTimeout(
        new Promise<Reply>((resolve, reject) => {
          this.pending = { id, resolve, reject };
          this.child!.stdin!.write(`${JSON.stringify({ id, scene })}\n`);
        }),
        `did not read ${scene}`,
      );
      this.served++;
      return reply;
    } finally {
      this.pending = null;
      this.armIdle();
    }
  }

  /**
   * An idle prober must not keep Spool's process alive (a CLI run that probed once exits at its
   * end); one answering a request must, or Node could exit with the answer still due.
   */
  private hold(on: boolean): void {
    const child = this.child;
    if (!child) return;
    const streams = [child.stdin, child.stdout] as unknown as ({ ref?(): void; unref?(): void } | null)[];
    if (on) {
      child.ref();
      for (const s of streams) s?.ref?.();
    } else {
      child.unref();
      for (const s of streams) s?.unref?.();
    }
  }

  private armIdle(): void {
    clearTimeout(this.idle);
    if (!this.child) return;
    this.hold(false);
    this.idle = setTimeout(() => this.stop(), this.options.idleMs);
    this.idle.unref();
  }

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    this.served = 0;
    const child = spawn(this.executable, this.spec.args, { stdio: ['pipe', 'pipe', 'ignore'] });
    this.child = child;
    let markReady!: () => void;
    let failStart!: (error: Error) => void;
    const started = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    // A write after the process died must fail the request, not the engine.
    child.stdin!.on('error', () => undefined);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith(this.spec.prefix)) return;
      let message: Reply & { ready?: boolean };
      try {
        message = JSON.parse(line.slice(this.spec.prefix.length)) as Reply & { ready?: boolean };
      } catch {
        return;
      }
      if (message.ready) markReady();
      else if (this.pending && message.id === this.pending.id) this.pending.resolve(message);
    });
    const gone = (why: string): void => {
      if (this.child !== child) return;
      this.child = null;
      this.ready = null;
      const error = new WarmProbeUnavailable(`${this.executable} ${why}`);
      failStart(error);
      this.pending?.reject(error);
    };
    child.once('error', (error) => gone(`could not start (${error.message})`));
    child.once('exit', (code, signal) => gone(`exited (${signal ?? `code ${String(code)}`})`));
    this.ready = this.withTimeout(started, 'did not start');
    return this.ready;
  }

  private withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new WarmProbeUnavailable(`${this.executable} ${what} within ${this.options.timeoutMs / 1000} s`));
        this.kill();
      }, this.options.timeoutMs);
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error as Error);
        },
      );
    });
  }

  private kill(): void {
    const child = this.child;
    this.child = null;
    this.ready = null;
    child?.kill('SIGKILL');
  }
}

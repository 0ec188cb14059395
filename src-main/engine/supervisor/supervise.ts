import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatDuration } from './format-duration';
import { LineSplitter } from './line-splitter';
import { LogBytes } from './log-bytes';
import { LogSink } from './log-sink';
import { isProcessGroupAlive, killProcessGroup, processStartTime } from './process-identity';
import type { EndCause, StreamName, SuperviseOptions, SuperviseResult, Supervised } from './types';

const DEFAULT_KILL_GRACE_MS = 5000;
const GROUP_POLL_MS = 50;
/** A process stuck in uninterruptible I/O survives SIGKILL for a while; we stop waiting for it. */
const AFTER_SIGKILL_WAIT_MS = 2000;
/**
 * Something that left our process group (setsid, a daemon) can hold our pipes open
 * forever. Once the group is gone and the pipes have been quiet this long, we stop reading.
 */
const PIPE_LINGER_MS = 1000;
/** setTimeout fires at once for delays above 2^31-1 ms; long limits are waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Runs one child in its own process group, reading its output into lines and a log file. */
export function supervise(opts: SuperviseOptions): Supervised {
  const run = new SupervisedRun(opts);
  return { result: run.result, cancel: (reason) => run.stop('canceled', reason ?? 'canceled') };
}

// execa's `cleanup` does nothing for detached children, so groups still running when
// this process exits normally are killed here. SIGKILL: there is no time left for a grace.
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function trackGroup(pid: number): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const group of liveGroups) killProcessGroup(group, 'SIGKILL');
    });
  }
  liveGroups.add(pid);
}

interface Pipe {
  stream: Readable;
  closed: Promise<void>;
}

class SupervisedRun {
  readonly result: Promise<SuperviseResult>;
  private readonly startedAt = performance.now();
  private readonly graceMs: number;
  private pid: number | undefined;
  private exited = false;
  private stopReason: { cause: EndCause; message: string } | null = null;
  private forceKilled = false;
  private termSentAt: number | null = null;
  private killSentAt: number | null = null;
  private graceTimer: NodeJS.Timeout | undefined;
  private stallTimer: NodeJS.Timeout | undefined;
  private totalTimer: NodeJS.Timeout | undefined;
  private lastOutputAt = performance.now();
  private paused = false;
  private log: LogSink | null = null;
  private pipes: Readable[] = [];

  constructor(private readonly opts: SuperviseOptions) {
    this.graceMs = opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    this.result = this.run().catch((err: unknown) => {
      // A bug of ours (or a throwing callback) must still settle the attempt and not leave the child behind.
      const message = `supervisor failed: ${err instanceof Error ? err.message : String(err)}`;
      this.stop('spawn-error', message);
      return this.end('spawn-error', null, null, message);
    });
  }

  /** The first reason wins; once the child exited on its own there is nothing to stop. */
  stop(cause: EndCause, message: string): void {
    if (this.stopReason || this.exited) return;
    this.stopReason = { cause, message };
    this.clearWatchTimers();
    this.terminate();
  }

  private async run(): Promise<SuperviseResult> {
    const { opts } = this;
    try {
      this.log = LogSink.open(opts.logPath);
    } catch (err) {
      return this.end('log-error', null, null, (err as Error).message);
    }
    const log = this.log;
    log.onFailure((message) => this.stop('log-error', message));

    if (opts.cwd !== undefined && !isDirectory(opts.cwd)) {
      await log.close();
      return this.end('spawn-error', null, null, `working folder not found: ${opts.cwd}`);
    }

    let sub: ChildProcess;
    // execa reports a failed spawn by settling its promise, plain spawn by an 'error' event.
    let settled: Promise<unknown> | null = null;
    try {
      if (process.platform === 'win32') {
        // cross-spawn (inside execa) resolves PATHEXT and runs .cmd/.bat wrappers safely.
        const { execa } = await import('execa');
        const subprocess = execa(opts.file, opts.args, {
          shell: false,
          detached: true, // own process group (POSIX), so the whole tree can be killed at once
          stdin: 'ignore', // a licence or overwrite prompt must see EOF, not wait for us
          stdout: 'pipe',
          stderr: 'pipe',
          buffer: false, // renders print for hours: stream, never collect
          cleanup: true, // execa skips it for detached children: see liveGroups above
          extendEnv: true,
          env: opts.env,
          cwd: opts.cwd,
          reject: false,
          windowsHide: true, // with `detached`, Windows would otherwise open a console window
        });
        settled = subprocess;
        sub = subprocess as unknown as ChildProcess;
      } else {
        // Plain spawn elsewhere: execa's per-call option handling and promise plumbing cost as much
        // CPU as the fork itself (1,000 no-op tasks: ~1 ms each on two cores), for nothing used here.
        sub = spawn(opts.file, opts.args, {
          detached: true, // own process group, so the whole tree can be killed at once
          stdio: ['ignore', 'pipe', 'pipe'], // stdin: a licence or overwrite prompt must see EOF
          env: { ...process.env, ...opts.env },
          cwd: opts.cwd,
        });
      }
    } catch (err) {
      await log.close();
      return this.end('spawn-error', null, null, spawnFailureMessage(opts.file, err));
    }
    // Kills go to the process group, never through `sub`; an error event must not crash the engine.
    sub.on('error', () => {});

    this.pid = sub.pid;
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
      sub.once('exit', (code, signal) => {
        this.exited = true;
        resolve([code, signal]);
      });
    });
    const pipes = [this.read(sub.stdout!, 'stdout'), this.read(sub.stderr!, 'stderr')];
    this.pipes = pipes.map((pipe) => pipe.stream);

    // 'spawn' fires once the program runs; a failed spawn emits 'error' (or settles execa's promise).
    const started = await new Promise<{ ok: true } | { ok: false; failure: unknown }>((resolve) => {
      sub.once('spawn', () => resolve({ ok: true }));
      sub.once('error', (failure) => resolve({ ok: false, failure }));
      settled?.then(
        (failure) => resolve({ ok: false, failure }),
        (failure: unknown) => resolve({ ok: false, failure }),
      );
    });
    if (!started.ok || this.pid === undefined) {
      await log.close();
      return this.end('spawn-error', null, null, spawnFailureMessage(opts.file, started.ok ? null : started.failure));
    }

    const pid = this.pid;
    trackGroup(pid);
    try {
      opts.onSpawn?.(pid, processStartTime(pid));
    } catch (err) {
      // Typically the pid could not be recorded: a child we could not find again after a crash must not run.
      this.stop('spawn-error', `could not record the started process: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (this.stopReason) this.terminate(); // canceled before the spawn was confirmed
    else this.startWatchTimers();

    const [exitCode, signal] = await exited;
    this.clearWatchTimers();
    await this.waitForGroupToGo(pid);
    liveGroups.delete(pid);
    await this.drainPipes(pipes);
    const logFailure = await log.close();

    if (this.stopReason) return this.end(this.stopReason.cause, exitCode, signal, this.stopReason.message);
    if (logFailure) return this.end('log-error', exitCode, signal, logFailure);
    const message = signal ? `killed by ${signal}` : exitCode === 0 ? null : `exited with code ${exitCode}`;
    return this.end('exit', exitCode, signal, message);
  }

  private end(cause: EndCause, exitCode: number | null, signal: string | null, message: string | null): SuperviseResult {
    return {
      cause,
      exitCode,
      signal,
      message,
      durationMs: Math.round(performance.now() - this.startedAt),
      forceKilled: this.forceKilled,
    };
  }

  private read(stream: Readable, name: StreamName): Pipe {
    const splitter = new LineSplitter();
    const bytes = new LogBytes();
    stream.on('data', (chunk: Buffer) => {
      this.lastOutputAt = performance.now();
      this.deliver(splitter.push(chunk), name);
      this.writeLog(bytes.take(chunk));
    });
    // A read error ends the stream like EOF does; 'close' follows either way.
    stream.on('error', () => {});
    const closed = new Promise<void>((resolve) => {
      stream.once('close', () => {
        this.deliver(splitter.end(), name);
        this.writeLog(bytes.end());
        resolve();
      });
    });
    return { stream, closed };
  }

  private deliver(lines: string[], name: StreamName): void {
    const onLine = this.opts.onLine;
    if (onLine) for (const line of lines) onLine(line, name);
  }

  private writeLog(bytes: Buffer | null): void {
    if (bytes === null) return;
    if (this.log && !this.log.write(bytes) && !this.paused) {
      // The child blocks on its full pipe meanwhile, which is the point: our memory stays flat.
      this.paused = true;
      for (const pipe of this.pipes) pipe.pause();
      this.log.onceDrained(() => {
        this.paused = false;
        for (const pipe of this.pipes) pipe.resume();
      });
    }
  }

  private startWatchTimers(): void {
    const spawnedAt = performance.now();
    this.lastOutputAt = spawnedAt;
    const stallMs = this.opts.stallTimeoutMs;
    if (stallMs && stallMs > 0) {
      // One timer re-armed from the last output, not one per line: a flood has 500k lines.
      const check = (): void => {
        // Output we hold back ourselves (slow log disk) is not the child stalling.
        if (this.paused) this.lastOutputAt = performance.now();
        const left = stallMs - (performance.now() - this.lastOutputAt);
        if (left <= 0) this.stop('stall', `no output for ${formatDuration(stallMs)}`);
        else this.stallTimer = setTimeout(check, Math.min(Math.ceil(left), MAX_TIMER_MS));
      };
      this.stallTimer = setTimeout(check, Math.min(stallMs, MAX_TIMER_MS));
    }
    const totalMs = this.opts.totalTimeoutMs;
    if (totalMs && totalMs > 0) {
      const check = (): void => {
        const left = totalMs - (performance.now() - spawnedAt);
        if (left <= 0) this.stop('timeout', `ran longer than the ${formatDuration(totalMs)} limit`);
        else this.totalTimer = setTimeout(check, Math.min(Math.ceil(left), MAX_TIMER_MS));
      };
      this.totalTimer = setTimeout(check, Math.min(totalMs, MAX_TIMER_MS));
    }
  }

  private clearWatchTimers(): void {
    clearTimeout(this.stallTimer);
    clearTimeout(this.totalTimer);
  }

  /** SIGTERM to the group now, SIGKILL after the grace if any of it is still there. */
  private terminate(): void {
    const pid = this.pid;
    if (this.termSentAt !== null || pid === undefined) return;
    this.termSentAt = performance.now();
    killProcessGroup(pid, 'SIGTERM');
    this.graceTimer = setTimeout(() => {
      if (!isProcessGroupAlive(pid)) return;
      if (killProcessGroup(pid, 'SIGKILL')) this.forceKilled = true;
      this.killSentAt = performance.now();
    }, this.graceMs);
  }

  /**
   * The leader's exit does not end the tree: grandchildren in its group may live on,
   * holding the GPU, the output files and our pipes. They go too, with the same grace.
   */
  private async waitForGroupToGo(pid: number): Promise<void> {
    if (isProcessGroupAlive(pid)) {
      this.terminate();
      while (isProcessGroupAlive(pid)) {
        if (this.killSentAt !== null && performance.now() - this.killSentAt > AFTER_SIGKILL_WAIT_MS) break;
        await sleep(GROUP_POLL_MS);
      }
    }
    clearTimeout(this.graceTimer);
  }

  private async drainPipes(pipes: Pipe[]): Promise<void> {
    const allClosed = Promise.all(pipes.map((pipe) => pipe.closed)).then(() => true);
    const since = performance.now();
    for (;;) {
      // Unref'd: once the pipes closed, a pending check must not hold the process up (a CLI's
      // exit waited ~250 ms for it); while they are open, their handles keep the loop alive.
      if (await Promise.race([allClosed, sleep(PIPE_LINGER_MS / 4, false, { ref: false })])) return;
      const quietFor = performance.now() - Math.max(this.lastOutputAt, since);
      if (!this.paused && quietFor >= PIPE_LINGER_MS) {
        for (const pipe of pipes) pipe.stream.destroy();
        await allClosed;
        return;
      }
    }
  }
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function spawnFailureMessage(file: string, failure: unknown): string {
  const err = failure as { code?: string; cause?: { code?: string; message?: string }; message?: string } | null;
  const code = err?.code ?? err?.cause?.code;
  switch (code) {
    case 'ENOENT':
      return `executable not found: ${file}`;
    case 'EACCES':
    case 'EPERM':
      return `not allowed to run ${file} (permission denied)`;
    case 'ENOEXEC':
      return `not a program this system can run: ${file}`;
    case 'E2BIG':
      return `command line too long for ${file}`;
    default:
      return `could not start ${file}: ${err?.cause?.message ?? err?.message ?? 'unknown error'}`;
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { COOKIE_VAR, newCookie, processesWithCookie, signalProcessesWithCookie } from './escaped';
import { formatDuration } from './format-duration';
import { LineSplitter } from './line-splitter';
import { LogBytes } from './log-bytes';
import { trackLive, untrackCookie, untrackGroup } from './exit-hook';
import { LogSink } from './log-sink';
import { isDirectory, isOutOfDescriptors, spawnFailureMessage } from './spawn-failure';
import { isProcessGroupAlive, killProcessGroup, processStartTime } from './process-identity';
import type { EndCause, StreamName, SuperviseOptions, SuperviseResult, Supervised } from './types';

const DEFAULT_KILL_GRACE_MS = 5000;
const GROUP_POLL_MS = 50;
/** A process stuck in uninterruptible I/O survives SIGKILL for a while; we stop waiting for it. */
const AFTER_SIGKILL_WAIT_MS = 2000;
/**
 * Something that left our process group (setsid, a double fork) can hold our pipes open, and
 * print, forever. Once the group is gone the pipes get this long to close; then what still holds
 * them is stopped and we stop reading, whatever it prints.
 */
const PIPE_LINGER_MS = 1000;
/** How often the processes that escaped the group are looked for while they are asked to go. */
const ESCAPED_POLL_MS = 100;
/**
 * A watch timer that fires this much later than asked means this process itself did not run (the
 * engine was suspended, the machine slept, the loop was blocked): the silence was ours to see.
 */
const LATE_TIMER_MS = 1000;
/** setTimeout fires at once for delays above 2^31-1 ms; long limits are waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Runs one child in its own process group, reading its output into lines and a log file. */
export function supervise(opts: SuperviseOptions): Supervised {
  const run = new SupervisedRun(opts);
  return { result: run.result, cancel: (reason) => run.stop('canceled', reason ?? 'canceled') };
}

interface Pipe {
  stream: Readable;
  closed: Promise<void>;
}

class SupervisedRun {
  readonly result: Promise<SuperviseResult>;
  private readonly startedAt = performance.now();
  private readonly graceMs: number;
  /** In the child's environment: finds what it started, however far that strayed. */
  private readonly cookie = newCookie();
  private pid: number | undefined;
  private exited = false;
  private finished = false;
  private stopReason: { cause: EndCause; message: string } | null = null;
  /** A stop asked for after the child exited: its exit stands, what it left behind goes now. */
  private stopAfterExit = false;
  private wakeDrain: () => void = () => {};
  private forceKilled = false;
  private termSentAt: number | null = null;
  private killSentAt: number | null = null;
  private graceTimer: NodeJS.Timeout | undefined;
  private stallTimer: NodeJS.Timeout | undefined;
  private stallImmediate: NodeJS.Immediate | undefined;
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

  /**
   * The first reason wins. Once the child exited on its own its exit is the result, but a stop
   * still ends the wait for what it left behind, and stops that.
   */
  stop(cause: EndCause, message: string): void {
    if (this.finished || this.stopReason || this.stopAfterExit) return;
    this.clearWatchTimers();
    if (this.exited) {
      this.stopAfterExit = true;
      this.wakeDrain();
      return;
    }
    this.stopReason = { cause, message };
    this.terminate();
  }

  private async run(): Promise<SuperviseResult> {
    const { opts } = this;
    try {
      this.log = LogSink.open(opts.logPath);
    } catch (err) {
      return { ...this.end('log-error', null, null, (err as Error).message), engineSide: isOutOfDescriptors(err) };
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
          cleanup: true, // execa skips it for detached children: see exit-hook.ts
          extendEnv: true,
          env: { ...opts.env, [COOKIE_VAR]: this.cookie },
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
          env: { ...process.env, ...opts.env, [COOKIE_VAR]: this.cookie },
          cwd: opts.cwd,
        });
      }
    } catch (err) {
      await log.close();
      return { ...this.end('spawn-error', null, null, spawnFailureMessage(opts.file, err)), engineSide: isOutOfDescriptors(err) };
    }
    // Kills go to the process group, never through `sub`; an error event must not crash the engine.
    sub.on('error', () => {});
    if (!sub.stdout || !sub.stderr) {
      // Node could not even make the pipes (out of descriptors): the spawn's error follows on the next tick.
      const failure = await new Promise<unknown>((resolve) => {
        sub.once('error', resolve);
        settled?.then(resolve, resolve);
      });
      await log.close();
      return { ...this.end('spawn-error', null, null, spawnFailureMessage(opts.file, failure)), engineSide: isOutOfDescriptors(failure) };
    }

    this.pid = sub.pid;
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
      sub.once('exit', (code, signal) => {
        this.exited = true;
        resolve([code, signal]);
      });
    });
    const pipes = [this.read(sub.stdout, 'stdout'), this.read(sub.stderr, 'stderr')];
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
      const failure = started.ok ? null : started.failure;
      return { ...this.end('spawn-error', null, null, spawnFailureMessage(opts.file, failure)), engineSide: isOutOfDescriptors(failure) };
    }

    const pid = this.pid;
    trackLive(pid, this.cookie);
    try {
      opts.onSpawn?.(pid, processStartTime(pid));
    } catch (err) {
      // Typically the pid could not be recorded: a child we could not find again after a crash must not run.
      this.stop('spawn-error', `could not record the started process: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (this.stopReason) this.terminate(); // canceled before the spawn was confirmed
    else this.startWatchTimers();

    const [exitCode, signal] = await exited;
    // The watch timers keep running until the end: a stall, a timeout or a stop still cuts the
    // wait for the group and the pipes short.
    await this.waitForGroupToGo(pid);
    untrackGroup(pid);
    const drained = await this.drainPipes(pipes);
    // Escaped processes are stopped when they hold our output past the linger, and on every stop.
    // A daemon that closed its output (a licence server started on demand) may serve other renders.
    if (!drained || this.stopReason || this.stopAfterExit) await this.stopEscaped();
    untrackCookie(this.cookie);
    for (const pipe of pipes) pipe.stream.destroy();
    await Promise.all(pipes.map((pipe) => pipe.closed));
    this.clearWatchTimers();
    this.finished = true;
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
    if (!onLine || lines.length === 0) return;
    const each = (): void => {
      for (const line of lines) onLine(line, name);
    };
    if (this.opts.onRead) this.opts.onRead(each);
    else each();
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
      let due = 0;
      const arm = (ms: number): void => {
        const delay = Math.min(Math.ceil(ms), MAX_TIMER_MS);
        due = performance.now() + delay;
        this.stallTimer = setTimeout(check, delay);
      };
      const left = (): number => stallMs - (performance.now() - this.lastOutputAt);
      const check = (): void => {
        const now = performance.now();
        // Output we hold back ourselves (slow log disk) is not the child stalling; nor is the time
        // this process did not run: the child's lines of that time still wait in the pipe.
        if (this.paused || now - due > LATE_TIMER_MS) this.lastOutputAt = now;
        if (left() > 0) return arm(left());
        // I/O callbacks run before immediates: what already waits in the pipes is read first.
        this.stallImmediate = setImmediate(() => {
          if (left() > 0) arm(left());
          else this.stop('stall', `no output for ${formatDuration(stallMs)}`);
        });
      };
      arm(stallMs);
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
    clearImmediate(this.stallImmediate);
    clearTimeout(this.totalTimer);
  }

  /** SIGTERM to the group now, SIGKILL after the grace if any of it is still there. */
  private terminate(): void {
    const pid = this.pid;
    if (this.termSentAt !== null || pid === undefined) return;
    this.termSentAt = performance.now();
    killProcessGroup(pid, 'SIGTERM');
    // A stop is for the whole tree, escaped or not; the group's own leftovers after a clean exit are not a stop.
    const escapedToo = this.stopReason !== null;
    if (escapedToo) signalProcessesWithCookie(this.cookie, 'SIGTERM');
    this.graceTimer = setTimeout(() => {
      if (escapedToo && signalProcessesWithCookie(this.cookie, 'SIGKILL') > 0) this.forceKilled = true;
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

  /**
   * True when the pipes closed by themselves within the linger (the time we hold their output
   * back ourselves, for a slow log disk, does not count). False when something still holds them
   * or a stop came: the caller stops reading, whatever is still printed.
   */
  private async drainPipes(pipes: Pipe[]): Promise<boolean> {
    const allClosed = Promise.all(pipes.map((pipe) => pipe.closed)).then(() => true);
    const woken = new Promise<boolean>((resolve) => (this.wakeDrain = () => resolve(false)));
    if (this.stopAfterExit) return false;
    let since = performance.now();
    for (;;) {
      // Unref'd: once the pipes closed, a pending check must not hold the process up (a CLI's
      // exit waited ~250 ms for it); while they are open, their handles keep the loop alive.
      const closed = await Promise.race([allClosed, woken, sleep(PIPE_LINGER_MS / 4, null, { ref: false })]);
      if (closed !== null) return closed;
      if (this.paused) since = performance.now();
      else if (performance.now() - since >= PIPE_LINGER_MS) return false;
    }
  }

  /** What escaped the group goes too: SIGTERM, SIGKILL after the grace. */
  private async stopEscaped(): Promise<void> {
    if (signalProcessesWithCookie(this.cookie, 'SIGTERM') === 0) return;
    const until = performance.now() + this.graceMs;
    while (processesWithCookie(this.cookie).length > 0 && performance.now() < until) await sleep(ESCAPED_POLL_MS);
    if (signalProcessesWithCookie(this.cookie, 'SIGKILL') === 0) return;
    this.forceKilled = true;
    // SIGKILL lands when the process is next scheduled: on a busy machine, a moment later.
    const killedBy = performance.now() + AFTER_SIGKILL_WAIT_MS;
    while (processesWithCookie(this.cookie).length > 0 && performance.now() < killedBy) await sleep(GROUP_POLL_MS);
  }
}

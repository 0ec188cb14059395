import fs from 'node:fs';
import path from 'node:path';

/** `ENOSPC: no space left on device` from Node's `ENOSPC: no space left on device, write`. */
export function describeFsError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.message.replace(/, (write|open|close|mkdir|fsync)( '.*')?$/, '');
}

/**
 * The attempt's log file: one append stream, written in batches (one write per output
 * chunk, not per line). `write` returning false means "stop reading the child until
 * `drain`", so a fast child cannot pile its output up in our memory.
 */
export class LogSink {
  /** Made on the first write: a quiet child (a `true`, a failed start) never pays for a stream. */
  private stream: fs.WriteStream | null = null;
  /** Ours to close, synchronously: see close(). */
  private fd: number | null;
  private failure: Error | null = null;
  private readonly failureListeners: ((message: string) => void)[] = [];
  private drainListeners: (() => void)[] = [];

  /**
   * Opened synchronously, before anything is spawned, so a log that cannot exist fails the attempt
   * first. Not on the thread pool: with 1,000 short tasks, the pool's wake-ups cost more than the
   * ~0.1 ms a file creation takes (3.3 s vs 3.0 s for the whole batch).
   */
  static open(logPath: string): LogSink {
    try {
      fs.mkdirSync(path.dirname(logPath), { recursive: true });
      return new LogSink(logPath, fs.openSync(logPath, 'a'));
    } catch (err) {
      throw new Error(logFailureMessage(logPath, err), { cause: err });
    }
  }

  private constructor(
    readonly logPath: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Called once, on the first write error. */
  onFailure(listener: (message: string) => void): void {
    this.failureListeners.push(listener);
  }

  /** False: the buffer is full, wait for `onceDrained`. Writes after a failure are dropped. */
  write(bytes: Buffer | string): boolean {
    if (this.failure || this.fd === null) return true;
    return this.openStream(this.fd).write(bytes);
  }

  onceDrained(listener: () => void): void {
    if (this.failure) listener();
    else this.drainListeners.push(listener);
  }

  /** Flushes and closes; resolves with the failure message if anything was lost. */
  close(): Promise<string | null> {
    return new Promise((resolve) => {
      // end()'s callback may see the error before our 'error' listener has recorded it.
      const done = (err?: Error | null): void => {
        this.release();
        const failure = this.failure ?? err ?? null;
        resolve(failure ? this.message(failure) : null);
      };
      const stream = this.stream;
      if (this.failure || !stream || stream.destroyed) return done();
      stream.end(done);
      stream.once('error', done);
    });
  }

  private openStream(fd: number): fs.WriteStream {
    if (this.stream) return this.stream;
    const stream = fs.createWriteStream(this.logPath, { fd, highWaterMark: 1 << 20, autoClose: false });
    stream.on('error', (err) => this.fail(err));
    stream.on('drain', () => this.drained());
    this.stream = stream;
    return stream;
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.stream?.destroy();
    // The stream writes one chunk at a time and this one just failed: nothing is in flight on the fd.
    this.release();
    for (const listener of this.failureListeners) listener(this.message(err));
    // A reader paused on back-pressure must go on: no drain will come now.
    this.drained();
  }

  /**
   * Closed here, not by the stream: its asynchronous close wakes a thread-pool thread, which on two
   * busy cores cost the event loop ~0.5–1.4 ms per attempt (1,000 short tasks: a second or more);
   * closing a file whose writes have all completed is a quick syscall.
   */
  private release(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      fs.closeSync(fd);
    } catch {
      // Already unusable; there is nothing left to flush through it.
    }
  }

  private drained(): void {
    const listeners = this.drainListeners;
    this.drainListeners = [];
    for (const listener of listeners) listener();
  }

  private message(err: unknown): string {
    return logFailureMessage(this.logPath, err);
  }
}

function logFailureMessage(logPath: string, err: unknown): string {
  return `could not write the log ${logPath}: ${describeFsError(err)}`;
}

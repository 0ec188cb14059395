import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Adapter, RenderChunk } from './adapters/adapter';
import { attemptLogPath } from './paths';
import { backoffMs } from './scheduler/backoff';
import { classifyAttempt, type MissingFrame, type Verdict } from './scheduler/classify';
import type { FrameDone, Store, TaskOutcome } from './store';
import { supervise } from './supervisor/supervise';
import type { StreamName, SuperviseResult, Supervised } from './supervisor/types';
import type { DeviceAssignment, FrameState, JobRecord, JobStatus, TaskRecord } from './types';

/** What a running task tells the engine, which turns it into events for the faces. */
export interface TaskEvents {
  jobChanged(jobId: number): void;
  frame(jobId: number, frame: number, state: FrameState, output: string | null, renderMs: number | null): void;
  progress(jobId: number, taskId: number, frame: number | null, fraction: number): void;
  log(jobId: number, taskId: number, attemptId: number, stream: StreamName, line: string): void;
  /** First timing of a scene: start-up to first frame, and that frame's render time. */
  measured(jobId: number, startupMs: number, frameMs: number): void;
}

export type StopMode = 'cancel' | 'pause' | 'shutdown';

export interface RunTaskInput {
  store: Store;
  dataDir: string;
  job: JobRecord;
  task: TaskRecord;
  adapter: Adapter;
  executable: string | null;
  device: DeviceAssignment;
  /** Known before starting: the task fails at once with this reason, not retried. */
  problem?: string | null;
  events: TaskEvents;
  killGraceMs?: number;
  /** Backoff before the first retry; default backoffMs's own. */
  retryBaseMs?: number;
}

export interface RunningTask {
  done: Promise<JobStatus | null>;
  stop(mode: StopMode): void;
}

/** Runs one task as one attempt: command, child, live parsing, frame checkpoints, verdict. */
export function runTask(input: RunTaskInput): RunningTask {
  let stopMode: StopMode | null = null;
  let child: Supervised | null = null;
  const done = execute(input, (c) => (child = c), () => stopMode);
  return {
    done,
    stop(mode) {
      stopMode ??= mode;
      (child as Supervised | null)?.cancel(mode === 'cancel' ? 'canceled by user' : mode === 'pause' ? 'paused by user' : 'Spool is shutting down');
    },
  };
}

async function execute(
  input: RunTaskInput,
  setChild: (child: Supervised) => void,
  stopMode: () => StopMode | null,
): Promise<JobStatus | null> {
  const { store, job, task, adapter, device, events } = input;
  const frames = store.pendingFramesOf(task.id);
  if (frames.length === 0) {
    // Every frame was checkpointed before a crash interrupted the task: nothing to render again.
    const status = store.finishTaskWithoutAttempt(task.id, { kind: 'succeeded' });
    events.jobChanged(job.id);
    return status;
  }
  const chunk: RenderChunk = {
    scene: job.scene,
    frames,
    output: job.output,
    device,
    overrides: job.overrides,
    sequence: store.frameBounds(job.id),
  };
  const executable = input.executable ?? adapter.executables[0] ?? adapter.id;
  const command = adapter.buildCommand(chunk, executable);
  const argv = [command.file, ...command.args];
  const attempt = store.startAttempt(task.id, argv, device, (id) => attemptLogPath(input.dataDir, job.id, task.index, id));
  const logPath = attempt.logPath;
  for (const frame of frames) events.frame(job.id, frame, 'running', null, null);
  events.jobChanged(job.id);

  const precheck = input.problem ?? checkBeforeRun(job, input.executable, adapter);
  if (precheck) return finish(input, attempt.id, frames, null, { ok: false, reason: precheck, retryable: false });

  const startedAt = Date.now();
  const parser = adapter.createParser(chunk);
  const inChunk = new Set(frames);
  const doneFrames = new Set<number>();
  const emptyFrames = new Map<number, string>();
  const frameStartedAt = new Map<number, number>();
  let current: number | null = null;
  let firstFrameAt: number | null = null;
  let measuredOnce = false;
  let fatalError: { message: string; retryable: boolean } | null = null;
  let lastErrorLine: string | null = null;
  /** Frames found done after the child exited: written with the attempt's end, in its transaction. */
  const doneAtExit: FrameDone[] = [];
  let exited = false;

  const recordDone = (frame: number, output: string | null, renderMs: number): void => {
    doneFrames.add(frame);
    if (exited) {
      doneAtExit.push({ frame, output, renderMs });
      return;
    }
    store.markFrameDone(job.id, frame, output, renderMs, attempt.id);
    events.frame(job.id, frame, 'done', output, renderMs);
  };

  const acceptSaved = (frame: number, file: string): void => {
    if (!inChunk.has(frame) || doneFrames.has(frame)) return;
    const size = fileSize(file);
    if (size === null) return;
    if (size === 0) {
      emptyFrames.set(frame, file);
      return;
    }
    const now = Date.now();
    const began = frameStartedAt.get(frame) ?? firstFrameAt ?? startedAt;
    const renderMs = now - began;
    recordDone(frame, file, renderMs);
    if (!measuredOnce && firstFrameAt !== null) {
      measuredOnce = true;
      events.measured(job.id, firstFrameAt - startedAt, renderMs);
    }
  };

  const onLine = (line: string, stream: StreamName): void => {
    try {
      handleLine(line, stream);
    } catch (error) {
      // A parser or store hiccup on one line must not take the engine down; the log keeps the line.
      lastErrorLine = `spool could not process a line: ${(error as Error).message}`;
    }
  };

  const handleLine = (line: string, stream: StreamName): void => {
    events.log(job.id, task.id, attempt.id, stream, line);
    for (const event of parser.parse(line)) {
      switch (event.type) {
        case 'frame-start':
          current = event.frame;
          if (!frameStartedAt.has(event.frame)) frameStartedAt.set(event.frame, Date.now());
          firstFrameAt ??= Date.now();
          events.progress(job.id, task.id, event.frame, 0);
          break;
        case 'progress':
          events.progress(job.id, task.id, event.frame ?? current, event.fraction);
          break;
        case 'frame-saved': {
          const frame = event.frame ?? current;
          if (frame !== null) acceptSaved(frame, path.resolve(path.dirname(job.scene ?? '.'), event.path));
          // The next frame's clock starts when this one is saved.
          if (frame !== null) frameStartedAt.set(nextFrame(frames, frame) ?? frame, Date.now());
          break;
        }
        case 'error':
          lastErrorLine = event.message;
          if (event.fatal && !fatalError) fatalError = { message: event.message, retryable: event.retryable };
          break;
      }
    }
  };

  const child = supervise({
    file: command.file,
    args: command.args,
    env: { ...command.env, ...job.overrides.env },
    cwd: command.cwd ?? (job.scene ? path.dirname(job.scene) : undefined),
    logPath,
    stallTimeoutMs: job.stallTimeoutSec ? job.stallTimeoutSec * 1000 : null,
    totalTimeoutMs: job.taskTimeoutSec ? job.taskTimeoutSec * 1000 : null,
    killGraceMs: input.killGraceMs,
    onSpawn: (pid, pidStart) => store.recordSpawn(attempt.id, pid, pidStart),
    onLine,
  });
  setChild(child);
  if (stopMode()) child.cancel('stopped');
  const result = await child.result;

  exited = true;
  const cleanExit = result.cause === 'exit' && result.exitCode === 0 && !result.signal;
  if (cleanExit) {
    for (const frame of frames) {
      if (doneFrames.has(frame)) continue;
      const expected = adapter.expectedOutput(chunk, frame);
      if (expected && isFresh(expected, startedAt)) acceptSaved(frame, expected);
      else if (!expected && adapter.reportsSavedFrames === false) recordDone(frame, null, Date.now() - startedAt);
    }
  }
  const missing: MissingFrame[] = frames
    .filter((frame) => !doneFrames.has(frame))
    .map((frame) => ({
      frame,
      path: emptyFrames.get(frame) ?? adapter.expectedOutput(chunk, frame),
      empty: emptyFrames.has(frame),
    }));
  const verdict = classifyAttempt({ result, fatalError, lastErrorLine, missing });
  return finish(input, attempt.id, frames, result, verdict, stopMode(), doneAtExit);
}

function finish(
  input: RunTaskInput,
  attemptId: number,
  frames: number[],
  result: SuperviseResult | null,
  verdict: Verdict,
  stopMode: StopMode | null = null,
  doneAtExit: readonly FrameDone[] = [],
): JobStatus | null {
  const { store, job, task, events } = input;
  const outcome = decideOutcome(job, task, verdict, stopMode, input.retryBaseMs);
  const status = store.finishAttempt(
    attemptId,
    { exitCode: result?.exitCode ?? null, signal: result?.signal ?? null, reason: verdict.ok ? null : verdict.reason },
    outcome,
    doneAtExit,
  );
  for (const done of doneAtExit) events.frame(job.id, done.frame, 'done', done.output, done.renderMs);
  const frameState: FrameState | null =
    outcome.kind === 'failed' ? 'failed' : outcome.kind === 'canceled' ? 'canceled' : outcome.kind === 'succeeded' ? null : 'queued';
  if (frameState) {
    for (const frame of store.pendingFramesOf(task.id)) {
      if (frames.includes(frame)) events.frame(job.id, frame, frameState, null, null);
    }
  }
  events.jobChanged(job.id);
  return status;
}

function decideOutcome(
  job: JobRecord,
  task: TaskRecord,
  verdict: Verdict,
  stopMode: StopMode | null,
  retryBaseMs: number | undefined,
): TaskOutcome {
  if (stopMode === 'pause' || stopMode === 'shutdown') return verdict.ok ? { kind: 'succeeded' } : { kind: 'requeue' };
  if (stopMode === 'cancel') return verdict.ok ? { kind: 'succeeded' } : { kind: 'canceled', reason: 'canceled by user' };
  if (verdict.ok) return { kind: 'succeeded' };
  if (verdict.canceled) return { kind: 'canceled', reason: verdict.reason };
  if (verdict.retryable && task.failures < job.retries) {
    return { kind: 'retry', reason: verdict.reason, notBefore: Date.now() + backoffMs(task.failures + 1, retryBaseMs) };
  }
  const tries = task.failures + 1;
  const suffix = verdict.retryable && tries > 1 ? ` (after ${tries} attempts)` : verdict.retryable ? '' : ' (not retried)';
  return { kind: 'failed', reason: `${verdict.reason}${suffix}` };
}

/** What can be known to fail before starting a child at all: retrying would not help. */
function checkBeforeRun(job: JobRecord, executable: string | null, adapter: Adapter): string | null {
  if (job.scene && !existsSync(job.scene)) return `scene file not found: ${job.scene}`;
  if (executable === null) {
    // A program the job names itself (a template's first word, --executable) is the one to name:
    // "Command template not found … spool dccs add" would send the user to the wrong fix.
    const named = job.overrides.executable ?? adapter.executableFromJob?.(job.overrides) ?? null;
    if (named) {
      if (!/[\\/]/.test(named)) return `executable not found: ${named} (looked on PATH)`;
      return existsSync(named) ? `not allowed to run ${named} (not an executable file)` : `executable not found: ${named}`;
    }
    const names = adapter.executables.join(' or ') || adapter.id;
    return `${adapter.label} not found (looked for ${names} on PATH): install it or add its path with \`spool dccs add PATH\``;
  }
  if (job.output) {
    const dir = path.dirname(job.output);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      return `cannot create the output folder ${dir} (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
    }
  }
  return null;
}

function fileSize(file: string): number | null {
  try {
    return statSync(file).size;
  } catch {
    return null;
  }
}

/** An expected file counts only if this attempt wrote it, not a render from last week. */
function isFresh(file: string, since: number): boolean {
  try {
    return statSync(file).mtimeMs >= since - 2000;
  } catch {
    return false;
  }
}

function nextFrame(frames: readonly number[], frame: number): number | null {
  const i = frames.indexOf(frame);
  return i >= 0 && i + 1 < frames.length ? frames[i + 1]! : null;
}

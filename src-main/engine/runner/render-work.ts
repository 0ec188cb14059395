import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Adapter, RenderChunk } from '../adapters/adapter';
import { imageCompleteness, isCompleteImage } from '../image-check';
import type { NotReached, TaskOutcome } from '../lifecycle/outcome';
import { classifyAttempt, type MissingFrame } from '../scheduler/classify';
import type { FrameDone, RecordedFile, Store } from '../store';
import type { StreamName } from '../supervisor/types';
import type { DeviceAssignment, FrameState, JobRecord, TaskRecord } from '../types';
import type { AttemptContext, UnitWork, WorkResult } from './run-attempt';

/** What a render tells the engine, which turns it into events for the faces. */

/** The first frame's start-up and its time by Spool's clock, until the renderer's own time is known. */
interface Measure {
  startupMs: number;
  clockMs: number;
}
export interface RenderEvents {
  frame(jobId: number, frame: number, state: FrameState, output: string | null, renderMs: number | null): void;
  progress(jobId: number, taskId: number, frame: number | null, fraction: number): void;
  log(jobId: number, taskId: number, attemptId: number, stream: StreamName, line: string): void;
  /** First timing of a scene: start-up to first frame, and that frame's render time. */
  measured(jobId: number, startupMs: number, frameMs: number): void;
}

export interface RenderWorkInput {
  store: Store;
  job: JobRecord;
  task: TaskRecord;
  /** The frames still to render, in order (non-empty). */
  frames: number[];
  adapter: Adapter;
  executable: string | null;
  device: DeviceAssignment;
  /** Known before starting: the attempt fails at once with this reason, not retried. */
  problem?: string | null;
  events: RenderEvents;
}

/**
 * A render chunk as a unit of work: builds the DCC's command inside the attempt, runs it, parses
 * its lines with the adapter (progress, per-frame saves, errors), checkpoints every frame whose
 * file is verified on disk, and classifies the end.
 */
export function renderWork(input: RenderWorkInput): UnitWork {
  const { store, job, task, frames, events } = input;
  // A generic command says nothing of its frames until it prints them (the fake renderer and
  // templates around real renderers print Blender-like lines): from then on a pause can wait for
  // the frame in progress (its `Saved:` line, or the end of a one-frame run). Before, it stops at once.
  const lines = { framewise: input.adapter.reportsSavedFrames !== false };
  return {
    device: input.device,
    retries: job.retries,
    perform: (ctx) => performRender(input, ctx, lines),
    stopsAfterFrame: () => lines.framewise,
    announce(outcome: TaskOutcome, result: WorkResult) {
      for (const done of result.framesDone ?? []) events.frame(job.id, done.frame, 'done', done.output, done.renderMs);
      const state: FrameState | null =
        outcome.kind === 'failed' ? 'failed' : outcome.kind === 'canceled' ? 'canceled' : outcome.kind === 'succeeded' ? null : 'queued';
      if (!state) return;
      const apart = outcome.kind === 'failed' || outcome.kind === 'retry' ? new Set(result.notReached?.frames ?? []) : new Set<number>();
      // A shortened chunk's frames have already left it, queued without a task.
      const pending = outcome.kind === 'split' ? store.work.unassignedFrames(job.id) : store.work.pendingFramesOf(task.id);
      for (const frame of pending) {
        if (frames.includes(frame)) events.frame(job.id, frame, apart.has(frame) ? 'queued' : state, null, null);
      }
    },
  };
}

async function performRender(input: RenderWorkInput, ctx: AttemptContext, lines: { framewise: boolean }): Promise<WorkResult> {
  const { store, job, task, adapter, device, events, frames } = input;
  const chunk: RenderChunk = { scene: job.scene, frames, output: job.output, device, overrides: job.overrides, sequence: store.work.frameBounds(job.id) };
  const executable = input.executable ?? adapter.executables[0] ?? adapter.id;
  const command = adapter.buildCommand(chunk, executable);
  ctx.recordArgv([command.file, ...command.args]);
  for (const frame of frames) events.frame(job.id, frame, 'running', null, null);
  if (input.problem) return { verdict: { ok: false, reason: input.problem, retryable: false } };
  const precheck = checkBeforeRun(job, input.executable, adapter);
  if (precheck) return { verdict: { ok: false, ...precheck } };

  const attemptId = ctx.attempt.id;
  const startedAt = Date.now();
  const parser = adapter.createParser(chunk);
  const inChunk = new Set(frames);
  const doneFrames = new Set<number>();
  const emptyFrames = new Map<number, string>();
  const incompleteFrames = new Map<number, string>();
  const frameStartedAt = new Map<number, number>();
  /** The renderer's own time per frame, where it prints one: it stands for the frame, Spool's clock does not. */
  const printedMs = new Map<number, number>();
  /** Frames checkpointed while the child ran: a time printed after the checkpoint corrects it. */
  const savedLive = new Set<number>();
  /**
   * The latest checkpoint, announced once its time is known: the renderer prints it on the line
   * after `Saved:` (or prints none). One announcement per frame, so the faces count it once.
   */
  let unannounced: { frame: number; output: string | null; renderMs: number } | null = null;
  /** Start-up as Spool's clock saw it, waiting for the first frame's time to be remembered with it. */
  let toMeasure: Measure | null = null;
  const announce = (): void => {
    if (!unannounced) return;
    const { frame, output, renderMs } = unannounced;
    unannounced = null;
    events.frame(job.id, frame, 'done', output, renderMs);
    // The scene's frame time is the renderer's own where it prints one: a busy machine can hand
    // Spool a frame's start and its Saved: line in one read, and the clock then says 0 ms.
    if (toMeasure) measure(renderMs);
  };
  const measure = (frameMs: number): void => {
    events.measured(job.id, toMeasure!.startupMs, frameMs);
    toMeasure = null;
  };
  /** Frames the render said it began and has not saved (not the clock a saved frame starts for the next one). */
  const begun = new Set<number>();
  const next = nextFrameOf(frames);
  let sawFrameLines = false;
  let current: number | null = null;
  let firstFrameAt: number | null = null;
  let measuredOnce = false;
  let fatalError: { message: string; retryable: boolean } | null = null;
  let lastErrorLine: string | null = null;
  const doneAtExit: FrameDone[] = [];
  let exited = false;

  const recordDone = (frame: number, output: string | null, renderMs: number, file: RecordedFile | null = null): void => {
    doneFrames.add(frame);
    if (exited) {
      doneAtExit.push({ frame, output, renderMs, file });
      return;
    }
    store.work.markFrameDone(job.id, frame, output, renderMs, attemptId, file);
    savedLive.add(frame);
    announce();
    unannounced = { frame, output, renderMs };
  };

  // Blender prints a frame's time just after its `Saved:`: the checkpoint does not wait for it.
  const acceptTime = (frame: number, ms: number): void => {
    // Kept only until the frame is saved (or its time corrects the saved frame): no per-frame growth.
    if (!savedLive.delete(frame)) {
      printedMs.set(frame, ms);
      return;
    }
    if (!store.work.retimeFrame(job.id, frame, ms, attemptId)) return;
    if (unannounced?.frame === frame) {
      unannounced.renderMs = ms;
      announce();
    }
  };

  const acceptSaved = (frame: number, file: string): void => {
    if (!inChunk.has(frame) || doneFrames.has(frame)) return;
    const recorded = fileStat(file);
    if (recorded === null) return;
    if (recorded.size === 0) {
      emptyFrames.set(frame, file);
      return;
    }
    // "Saved" is the renderer's word; a full disk leaves a file cut short behind it.
    if (imageCompleteness(file) === 'incomplete') {
      incompleteFrames.set(frame, file);
      return;
    }
    incompleteFrames.delete(frame);
    const clockMs = Date.now() - (frameStartedAt.get(frame) ?? firstFrameAt ?? startedAt);
    // Per-frame facts of a saved frame are dropped: a 100,000-frame chunk must not keep 100,000 of them.
    frameStartedAt.delete(frame);
    begun.delete(frame);
    const printed = printedMs.get(frame);
    printedMs.delete(frame);
    recordDone(frame, file, printed ?? clockMs, recorded);
    if (!measuredOnce && firstFrameAt !== null) {
      measuredOnce = true;
      toMeasure = { startupMs: firstFrameAt - startedAt, clockMs };
    }
  };

  const handleLine = (line: string, stream: StreamName): void => {
    const before = unannounced;
    events.log(job.id, task.id, attemptId, stream, line);
    for (const event of parser.parse(line)) {
      switch (event.type) {
        case 'frame-start':
          lines.framewise = true;
          sawFrameLines = true;
          begun.add(event.frame);
          current = event.frame;
          if (!frameStartedAt.has(event.frame)) frameStartedAt.set(event.frame, Date.now());
          firstFrameAt ??= Date.now();
          events.progress(job.id, task.id, event.frame, 0);
          break;
        case 'progress':
          events.progress(job.id, task.id, event.frame ?? current, event.fraction);
          break;
        case 'frame-saved': {
          lines.framewise = true;
          sawFrameLines = true;
          const frame = event.frame ?? current;
          if (frame !== null) acceptSaved(frame, path.resolve(path.dirname(job.scene ?? '.'), event.path));
          // The next frame's clock starts when this one is saved.
          if (frame !== null) frameStartedAt.set(next(frame) ?? frame, Date.now());
          // After the checkpoint: a pause waiting for this frame stops the child now.
          ctx.frameSaved();
          break;
        }
        case 'frame-time': {
          const frame = event.frame ?? current;
          if (frame !== null && inChunk.has(frame)) acceptTime(frame, event.ms);
          break;
        }
        case 'error':
          lastErrorLine = event.message;
          if (event.fatal && !fatalError) fatalError = { message: event.message, retryable: event.retryable };
          break;
      }
    }
    // The line after a checkpoint was not its time: it is announced with Spool's clock.
    if (before && unannounced === before) announce();
  };

  const result = await ctx.run(
    {
      file: command.file,
      args: command.args,
      env: { ...command.env, ...job.overrides.env },
      cwd: command.cwd ?? (job.scene ? path.dirname(job.scene) : undefined),
      logPath: ctx.attempt.logPath,
      stallTimeoutMs: job.stallTimeoutSec ? job.stallTimeoutSec * 1000 : null,
      totalTimeoutMs: job.taskTimeoutSec ? job.taskTimeoutSec * 1000 : null,
    },
    (line, stream) => {
      try {
        handleLine(line, stream);
      } catch (error) {
        // A parser or store hiccup on one line must not take the engine down; the log keeps the line.
        lastErrorLine = `spool could not process a line: ${(error as Error).message}`;
      }
    },
  );

  announce();
  exited = true;
  if (result.cause === 'exit' && result.exitCode === 0 && !result.signal) {
    for (const frame of frames) {
      if (doneFrames.has(frame)) continue;
      const expected = adapter.expectedOutput(chunk, frame);
      if (expected && isFresh(expected, startedAt)) acceptSaved(frame, expected);
      else if (!expected && adapter.reportsSavedFrames === false) recordDone(frame, null, Date.now() - startedAt);
    }
  }
  // Found on disk after the exit: no printed time followed, Spool's clock stands for the frame.
  // (Set in callbacks: TypeScript's narrowing cannot see that.)
  const unmeasured = toMeasure as Measure | null;
  if (unmeasured) measure(unmeasured.clockMs);
  const missing: MissingFrame[] = frames
    .filter((frame) => !doneFrames.has(frame))
    .map((frame) => ({
      frame,
      path: emptyFrames.get(frame) ?? incompleteFrames.get(frame) ?? adapter.expectedOutput(chunk, frame),
      empty: emptyFrames.has(frame),
      incomplete: incompleteFrames.has(frame),
    }));
  const verdict = classifyAttempt({ result, fatalError, lastErrorLine, missing });
  const notReached = verdict.ok || !sawFrameLines ? undefined : framesNotReached(frames, doneFrames, begun, current);
  return { verdict, exit: result, framesDone: doneAtExit, ...(notReached ? { notReached } : {}) };
}

/**
 * A render that failed on a frame never got to the frames after it: those are not failed. The
 * failed ones are the pending frames it began (or was on); if it began none, the first pending one.
 */
export function framesNotReached(frames: readonly number[], done: ReadonlySet<number>, begun: ReadonlySet<number>, current: number | null): NotReached | undefined {
  const pending = frames.filter((frame) => !done.has(frame));
  const failed = pending.filter((frame) => begun.has(frame) || frame === current);
  const lastFailed = failed.length ? pending.indexOf(failed[failed.length - 1]!) : 0;
  const rest = pending.slice(lastFailed + 1);
  return pending.length && rest.length ? { frames: rest, failedFrame: failed[0] ?? pending[0]! } : undefined;
}

/** What can be known to fail before starting a child at all, and whether a retry can help. */
function checkBeforeRun(job: JobRecord, executable: string | null, adapter: Adapter): { reason: string; retryable: boolean } | null {
  // Submit refused a scene that was not there, so this one went away since: a network share that
  // dropped for a moment, a file being replaced. Worth a few tries with backoff.
  if (job.scene && !existsSync(job.scene)) return { reason: `scene file not found: ${job.scene}`, retryable: true };
  const problem = problemBeforeRun(job, executable, adapter);
  return problem ? { reason: problem, retryable: false } : null;
}

/** What cannot improve by retrying: no program, no output folder. */
function problemBeforeRun(job: JobRecord, executable: string | null, adapter: Adapter): string | null {
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

/**
 * A render keeps going for a moment after its engine dies and may finish frames nobody recorded.
 * Those whose expected file the attempt wrote completely are checkpointed rather than rendered
 * again; anything unprovable (unknown format, no expected path, older file) is rendered again.
 */
export function adoptFinishedFrames(store: Store, adapter: Adapter, job: JobRecord, taskId: number, attemptId: number): void {
  const attempt = store.work.getAttempt(attemptId);
  if (!attempt) return;
  const frames = store.work.pendingFramesOf(taskId);
  const chunk = { scene: job.scene, frames, output: job.output, device: attempt.device, overrides: job.overrides, sequence: store.work.frameBounds(job.id) };
  for (const frame of frames) {
    const file = adapter.expectedOutput(chunk, frame);
    if (!file || !isCompleteImage(file)) continue;
    const recorded = fileStat(file);
    if (!recorded || recorded.mtimeMs < attempt.startedAt - 1000) continue;
    store.work.markFrameDone(job.id, frame, file, null, attemptId, recorded);
  }
}

function fileStat(file: string): RecordedFile | null {
  try {
    const stat = statSync(file);
    return { size: stat.size, mtimeMs: stat.mtimeMs };
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

/**
 * The frame after a given one in the chunk's order. Renderers save frames in order, so the search
 * starts where the last one ended: indexOf from the start made a 100,000-frame chunk quadratic
 * (18 s of the engine's time in the longjob bench).
 */
export function nextFrameOf(frames: readonly number[]): (frame: number) => number | null {
  let at = 0;
  return (frame) => {
    if (frames[at] !== frame) at = frames.indexOf(frame, at + 1);
    if (at < 0) at = frames.indexOf(frame);
    if (at < 0) {
      at = 0;
      return null;
    }
    at += 1;
    return at < frames.length ? frames[at]! : null;
  };
}

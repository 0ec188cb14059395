import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ExecutorReport, RunningUnit, UnitCommand, UnitExit } from '../executors/executor';
import type { StopMode } from '../lifecycle/outcome';
import type { FarmSubmission, Store } from '../store';
import { FarmUnreachable, type FarmBackend, type FarmChunk, type FarmJobRef, type FarmJobSpec, type FarmTask } from './backend';
import { exitOf } from './element-exit';
import { HandoffWatches, type WatchFolder } from './handoff-watches';
import { mapArgv, mapLineToLocal, toFarm } from './path-map';
import type { FarmProfile } from './profile';

/**
 * Polls between two questions to the farm while every hand-off's folder watch is live: lines and
 * ends come through the watch then, and each squeue costs CPU the renders on the same nodes need.
 */
const WATCHED_ASK_EVERY = 4;

/** One chunk's attempt whose work runs on the farm: its element, log cursor and how it ends. */
interface FarmUnit {
  taskId: number;
  command: UnitCommand;
  report: ExecutorReport;
  sub: FarmSubmission | null;
  /** The element's position in its hand-off (Slurm array index). */
  position: number;
  cursor: string | null;
  /** Its log reads, one after another: a poll and a folder change must not read the same bytes twice. */
  reading: Promise<void>;
  farmIdReported: boolean;
  lastState: FarmTask['state'] | null;
  /**
   * Paused while its element ran, or before Spool saw its state (the reason): it finishes there, the
   * hold keeps the rest from starting; an element the next poll finds held or queued ends the unit.
   */
  pausing: string | null;
  startedAt: number;
  finish(exit: Partial<UnitExit> & Pick<UnitExit, 'cause'>): void;
}

export interface JobHandoffsOptions {
  store: Store;
  jobId: number;
  profile: FarmProfile;
  backend: FarmBackend;
  pollMs: number;
  /** How a hand-off's folder is watched (tests inject a failing one). */
  watchFolder?: WatchFolder;
  jobChanged(jobId: number): void;
  /** What the scene says that the farm needs beside the argv (Flamenco: format, fps, scene name). */
  sceneFacts?: () => Promise<Pick<FarmJobSpec, 'format' | 'imageExtension' | 'fps' | 'sceneName'>>;
}

/**
 * A farm job's units: the chunks started together are handed off together as one farm job (one
 * Slurm array), its intent stored before the farm is called; a unit started again after a restart
 * or a pause finds its element by the stored hand-off and re-attaches. A poller feeds the elements'
 * log lines through the unit's report (so the adapter's parser, `Saved:` checkpoints and on-disk
 * checks run exactly as locally) and ends each unit when its element ends. Where the farm writes
 * to a folder here, a watch on it reads new lines and ends at once; the poll stays the fallback
 * (and the only source of queued, running and vanished elements), asking the farm less often once
 * every watch has seen the farm's writes.
 */
export class JobHandoffs {
  private readonly units = new Map<number, FarmUnit>();
  private unsubmitted: FarmUnit[] = [];
  private flushQueued = false;
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private ticks = 0;
  /** The engine stopped: a farm call still in flight must not write to the store it closed. */
  private closed = false;
  private submitting = new Set<number>();
  /** Hold or cancel calls under way, by action and farm job: a job's units stop together, the farm is asked once. */
  private asking = new Set<string>();
  private readonly watches: HandoffWatches;

  constructor(private readonly options: JobHandoffsOptions) {
    this.watches = new HandoffWatches({
      ...(options.watchFolder ? { watchFolder: options.watchFolder } : {}),
      read: (subId) => this.readChanges(subId),
      fellBack: (_subId, dir, error) => {
        const why = (error as NodeJS.ErrnoException).code ?? error.message;
        process.stderr.write(`spool: farm ${options.profile.name}: cannot watch ${dir} (${why}); reading it every ${options.pollMs} ms instead\n`);
      },
    });
  }

  get idle(): boolean {
    return this.units.size === 0;
  }

  start(command: UnitCommand, report: ExecutorReport): RunningUnit {
    const taskId = command.unit?.taskId;
    if (taskId === undefined) throw new Error('a farm unit needs its task');
    let resolveExit!: (exit: UnitExit) => void;
    const exit = new Promise<UnitExit>((resolve) => (resolveExit = resolve));
    const unit: FarmUnit = {
      taskId,
      command,
      report,
      sub: null,
      position: -1,
      cursor: null,
      reading: Promise.resolve(),
      farmIdReported: false,
      lastState: null,
      pausing: null,
      startedAt: Date.now(),
      finish: (end) => {
        if (this.units.get(taskId) !== unit) return;
        this.units.delete(taskId);
        // The hand-off's last unit here ended: nothing reads its folder any more.
        if (unit.sub && !this.unitsOf(unit.sub.id).length) this.watches.unwatch(unit.sub.id);
        resolveExit({ exitCode: null, signal: null, message: null, forceKilled: false, durationMs: Date.now() - unit.startedAt, ...end });
      },
    };
    mkdirSync(path.dirname(command.logPath), { recursive: true });
    this.units.set(taskId, unit);
    const found = this.attachable(taskId);
    if (found) {
      unit.sub = found.sub;
      unit.position = found.position;
    } else {
      this.unsubmitted.push(unit);
      if (!this.flushQueued) {
        this.flushQueued = true;
        // The scheduler starts a farm job's chunks in one pump: they go to the farm as one job.
        setImmediate(() => void this.flush());
      }
    }
    this.ensurePolling();
    return { exit, stop: (reason, mode) => this.stop(unit, reason, mode) };
  }

  /**
   * Stops polling (the engine stops; what runs on the farm goes on and is found again). A unit
   * still open here is a pause waiting for its running element, which a shutdown does not reach
   * (the pause took effect already): it ends now, or quitting would wait for the farm.
   */
  close(): void {
    this.closed = true;
    this.stopPolling();
    this.watches.close();
    for (const unit of [...this.units.values()]) unit.finish({ cause: 'canceled', message: 'Spool is shutting down' });
  }

  private unitsOf(subId: number): FarmUnit[] {
    return [...this.units.values()].filter((u) => u.sub?.id === subId);
  }

  private stopPolling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The newest hand-off of this task whose element no attempt has taken the result of yet. */
  private attachable(taskId: number): { sub: FarmSubmission; position: number } | null {
    const subs = this.options.store.farms.submissionsOf(this.options.jobId).reverse();
    for (const sub of subs) {
      const position = sub.taskIds.indexOf(taskId);
      if (position < 0) continue;
      if (sub.farmJobId && this.options.store.farms.elementConsumed(taskId, sub.farmJobId)) return null;
      return { sub, position };
    }
    return null;
  }

  private async flush(): Promise<void> {
    this.flushQueued = false;
    const units = this.unsubmitted.splice(0).filter((u) => this.units.get(u.taskId) === u);
    if (units.length === 0) return;
    // In frame order: a farm that cuts the frames itself (Flamenco) numbers its tasks that way.
    const first = new Map(units.map((u) => [u.taskId, this.options.store.work.pendingFramesOf(u.taskId)[0] ?? Infinity]));
    units.sort((a, b) => first.get(a.taskId)! - first.get(b.taskId)!);
    const { store, jobId, profile } = this.options;
    const tag = `spool-${jobId}-${randomUUID().slice(0, 8)}`;
    // The intent first: a crash from here on leaves a tag to look for, never a second hand-off.
    const sub = store.farms.recordIntent(jobId, profile.name, tag, units.map((u) => u.taskId));
    units.forEach((u, position) => {
      u.sub = sub;
      u.position = position;
    });
    // Its tag is new (a random part): the farm cannot have it yet, so it is not looked up first.
    await this.submit(sub, { fresh: true });
  }

  /**
   * Hands a stored intent to the farm, unless the farm already has it (a crash after sbatch, or
   * an sbatch whose answer was lost): only an intent made just now skips that look-up.
   */
  /** True when the farm took it (or already had it). */
  private async submit(sub: FarmSubmission, { fresh = false } = {}): Promise<boolean> {
    const units = sub.taskIds.map((taskId) => this.units.get(taskId));
    if (units.some((u) => !u || u.sub?.id !== sub.id) || this.submitting.has(sub.id)) return false;
    this.submitting.add(sub.id);
    const { store, backend, profile, jobId } = this.options;
    try {
      const known = fresh ? null : await backend.findByTag(sub.tag);
      const ref = known ?? (await backend.submit(await this.specOf(sub, units as FarmUnit[])));
      store.farms.recordFarmJobId(sub.id, ref.farmJobId);
      sub.farmJobId = ref.farmJobId;
      this.watch(sub);
      // Canceled while sbatch was answering: the units are gone, the array must go too.
      if (store.jobs.get(jobId)?.intent === 'canceled') await backend.cancel(ref, 'canceled in Spool');
      this.farmAnswered();
      return true;
    } catch (error) {
      if (error instanceof FarmUnreachable) this.waiting(error.message);
      else {
        // The farm refused the job (a bad sbatch argument, an unknown partition): nothing was submitted.
        store.farms.dropSubmission(sub.id);
        for (const unit of units) unit?.finish({ cause: 'spawn-error', message: `farm ${profile.name} refused the job: ${(error as Error).message}` });
        this.options.jobChanged(jobId);
      }
      return false;
    } finally {
      this.submitting.delete(sub.id);
    }
  }

  private async specOf(sub: FarmSubmission, units: readonly FarmUnit[]): Promise<FarmJobSpec> {
    const { store, jobId, profile } = this.options;
    const job = store.jobs.get(jobId)!;
    const map = profile.pathMap;
    const mapPath = (p: string): string => (path.isAbsolute(p) ? (toFarm(map, p) ?? p) : p);
    const chunks: FarmChunk[] = units.map((u, index) => ({
      index,
      frames: store.work.pendingFramesOf(u.taskId),
      argv: mapArgv(map, [u.command.file, ...u.command.args]),
      env: Object.fromEntries(Object.entries(u.command.env ?? {}).map(([k, v]) => [k, mapPath(v)])),
      ...(u.command.cwd ? { cwd: mapPath(u.command.cwd) } : {}),
    }));
    return {
      tag: sub.tag,
      name: job.name,
      dcc: job.dcc,
      scene: job.scene ? mapPath(job.scene) : '',
      output: job.output ? mapPath(job.output) : null,
      frames: chunks.flatMap((c) => c.frames),
      chunks,
      slots: job.slots ?? chunks.length,
      ...(await this.options.sceneFacts?.()),
    };
  }

  private ensurePolling(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.options.pollMs);
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    if (this.units.size === 0) {
      this.stopPolling();
      return;
    }
    this.polling = true;
    try {
      const subs = new Map<number, FarmSubmission>();
      for (const unit of this.units.values()) if (unit.sub) subs.set(unit.sub.id, unit.sub);
      this.ticks++;
      if (this.watchedEnough(subs) && this.ticks % WATCHED_ASK_EVERY !== 0) return;
      // A hand-off the farm did not take keeps the job waiting: only answers end the wait.
      let answered = true;
      for (const sub of subs.values()) {
        if (!sub.farmJobId) answered = (await this.submit(sub)) && answered;
        else await this.follow(sub, { farmJobId: sub.farmJobId, tag: sub.tag });
      }
      if (subs.size && answered) this.farmAnswered();
    } catch (error) {
      this.waiting((error as Error).message);
    } finally {
      this.polling = false;
    }
  }

  /** Every hand-off's watch has seen the farm write, and the farm has named every element (its id on the attempt). */
  private watchedEnough(subs: ReadonlyMap<number, FarmSubmission>): boolean {
    return subs.size > 0 && [...subs.values()].every((sub) => this.watches.live(sub.id)) && [...this.units.values()].every((u) => u.farmIdReported);
  }

  /** Watches the folder the farm writes this hand-off's logs and exit statuses to, if it has one. */
  private watch(sub: FarmSubmission): void {
    const { backend } = this.options;
    if (this.closed || !sub.farmJobId || !backend.localFolder || !this.unitsOf(sub.id).length) return;
    this.watches.watch(sub.id, backend.localFolder({ farmJobId: sub.farmJobId, tag: sub.tag }));
  }

  /** Its folder changed: new log lines, and the units whose element's end is written there end now. */
  private async readChanges(subId: number): Promise<void> {
    const units = this.unitsOf(subId);
    const sub = units[0]?.sub;
    if (this.closed || !sub?.farmJobId) return;
    const ref = { farmJobId: sub.farmJobId, tag: sub.tag };
    for (const unit of units) await this.readLog(ref, unit);
    const ended = (await this.options.backend.endedTasks?.(ref)) ?? [];
    for (const unit of units) {
      const task = ended[unit.position];
      if (task) await this.end(ref, unit, task);
    }
  }

  /** New log lines first, then states: a unit ends only after its element's last lines were read. */
  private async follow(sub: FarmSubmission, ref: FarmJobRef): Promise<void> {
    // Re-attached after a restart (or a watch never made): the poll is where it starts.
    this.watch(sub);
    const units = this.unitsOf(sub.id);
    // An attempt names its element before it checkpoints a frame from its lines: a stop between the
    // two would leave done frames whose attempt has no farm id.
    if (units.some((u) => !u.farmIdReported)) this.reportFarmIds(units, await this.options.backend.tasks(ref));
    for (const unit of units) await this.readLog(ref, unit);
    const tasks = await this.options.backend.tasks(ref);
    for (const unit of units) {
      const task = tasks[unit.position];
      // Ended meanwhile, by a change in its folder.
      if (!task || this.units.get(unit.taskId) !== unit) continue;
      this.reportFarmId(unit, task);
      unit.lastState = task.state;
      if (unit.pausing !== null && (task.state === 'held' || task.state === 'queued')) {
        unit.finish({ cause: 'canceled', message: unit.pausing });
        continue;
      }
      if (task.state === 'held' && unit.pausing === null && this.options.store.jobs.get(this.options.jobId)?.intent === 'active') {
        // Held by a pause the user took back (or by hand on the farm): Spool wants it to run.
        await this.options.backend.release(ref, 'resumed in Spool');
      }
      if (task.state === 'done' || task.state === 'failed' || task.state === 'canceled' || task.state === 'unknown') await this.end(ref, unit, task);
    }
  }

  private reportFarmIds(units: readonly FarmUnit[], tasks: readonly FarmTask[]): void {
    for (const unit of units) {
      const task = tasks[unit.position];
      if (task) this.reportFarmId(unit, task);
    }
  }

  private reportFarmId(unit: FarmUnit, task: FarmTask): void {
    if (unit.farmIdReported) return;
    unit.farmIdReported = true;
    unit.report.started({ kind: 'farm', farmId: task.farmId });
  }

  /** The element ended: its last lines are read before the unit ends. */
  private async end(ref: FarmJobRef, unit: FarmUnit, task: FarmTask): Promise<void> {
    await this.readLog(ref, unit);
    if (this.units.get(unit.taskId) !== unit) return;
    this.reportFarmId(unit, task);
    unit.finish(exitOf(task));
  }

  private readLog(ref: FarmJobRef, unit: FarmUnit): Promise<void> {
    const read = unit.reading.then(() => this.readLogNow(ref, unit));
    unit.reading = read.catch(() => undefined);
    return read;
  }

  private async readLogNow(ref: FarmJobRef, unit: FarmUnit): Promise<void> {
    // An ended unit's runner has moved on: lines now would land in an attempt already recorded.
    if (this.units.get(unit.taskId) !== unit) return;
    const { lines, cursor } = await this.options.backend.logSince(ref, unit.position, unit.cursor);
    if (this.units.get(unit.taskId) !== unit) return;
    unit.cursor = cursor;
    if (lines.length === 0) return;
    // Its element writes, so it runs (a pause lets it finish), whatever the last, slower poll said.
    if (unit.lastState === null || unit.lastState === 'queued' || unit.lastState === 'held') unit.lastState = 'running';
    // The attempt's log keeps the farm's own lines; the parser reads them with this machine's paths.
    appendFileSync(unit.command.logPath, `${lines.join('\n')}\n`);
    unit.report.together(() => {
      for (const line of lines) unit.report.line(mapLineToLocal(this.options.profile.pathMap, line), 'stdout');
    });
  }

  private stop(unit: FarmUnit, reason: string, mode: StopMode | undefined): void {
    const { backend } = this.options;
    const ref = unit.sub?.farmJobId ? { farmJobId: unit.sub.farmJobId, tag: unit.sub.tag } : null;
    const quietly = (action: 'hold' | 'cancel', farmRef: FarmJobRef): void => {
      const key = `${action} ${farmRef.farmJobId}`;
      if (this.asking.has(key)) return;
      this.asking.add(key);
      backend[action](farmRef, reason)
        .catch((error: unknown) => {
          if (error instanceof FarmUnreachable) this.waiting(error.message);
          // The farm said no (a Flamenco 422): the unit ends here anyway; the reason is kept where a person looks.
          else process.stderr.write(`spool: farm ${this.options.profile.name} refused to ${action} job ${farmRef.farmJobId}: ${(error as Error).message}\n`);
        })
        .finally(() => this.asking.delete(key));
    };
    if (mode === 'shutdown') {
      // The engine goes away; the farm job does not. The next engine re-attaches by its tag.
      unit.finish({ cause: 'canceled', message: reason });
      return;
    }
    if (mode === 'pause') {
      if (ref) quietly('hold', ref);
      // Not yet seen on the farm (a pause right after its hand-off): it may run there already.
      if (ref && (unit.lastState === 'running' || unit.lastState === null)) unit.pausing = reason;
      else unit.finish({ cause: 'canceled', message: reason });
      return;
    }
    if (ref) quietly('cancel', ref);
    unit.finish({ cause: 'canceled', message: reason });
  }

  /** The job waits for its farm (nothing fails meanwhile); the summary says `waiting for farm NAME (why)`. */
  private waiting(reason: string): void {
    if (this.closed || this.units.size === 0) return;
    const { store, jobId, profile } = this.options;
    const prefix = `farm ${profile.name} is `;
    const text = reason.startsWith(prefix) ? reason.slice(prefix.length) : reason;
    if (store.farms.waitingReason(jobId) === text) return;
    store.farms.setWaiting(jobId, text);
    this.options.jobChanged(jobId);
  }

  private farmAnswered(): void {
    if (this.closed) return;
    const { store, jobId } = this.options;
    if (store.farms.waitingReason(jobId) === null) return;
    store.farms.setWaiting(jobId, null);
    this.options.jobChanged(jobId);
  }
}

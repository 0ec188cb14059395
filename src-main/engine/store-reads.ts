import { EventEmitter } from 'node:events';
import path from 'node:path';
import * as commands from './commands';
import type { DccInstall } from './detect/dcc-discovery';
import type { HardwareInfo } from './detect/hardware';
import { markUsed } from './detect/used-install';
import { cachedDccs, cachedHardware, refreshDccs, refreshHardware } from './detect/workstation';
import type { FarmProfile } from './farm/profile';
import { listFarms, listFarmsWithTokens, removeFarm, requireFarm, saveFarm, testFarm, type FarmListing, type FarmTestResult } from './farm/profiles';
import { isExecutable } from './find-executable';
import type { LogReadOptions } from './logs/job-log';
import { outputFolder } from './output-folder';
import { previewsDir } from './paths';
import { renderReport, type ReportFormat } from './report';
import { readSetting, writeSetting, type SettingInput, type SettingKey, type SettingValue, type WatchAllow, type WatchFolder } from './settings';
import type { Store } from './store';
import type { FrameRecord, JobSummary } from './types';
import { readWatchFolders, removeWatchFolder, saveWatchFolder } from './watch/watch-folders';

// Node's own constraint on an event map (EventEmitter<T extends EventMap<T>>), which it does not export.
type EventMap<T> = Record<keyof T, unknown[]> | [never];

/**
 * What every queue client answers straight from the store, whether it runs the engine (Engine)
 * or not (StoreQueue): the queue as it is, logs, reports, detection, settings and watch folders.
 * One class for both, so the two faces of the queue cannot drift apart. An event emitter because
 * the Engine announces changes; StoreQueue announces none.
 */
export class StoreReads<Events extends EventMap<Events> = Record<string, never>> extends EventEmitter<Events> {
  constructor(readonly store: Store) {
    super();
  }

  listJobs(): JobSummary[] {
    return this.store.summaries.listJobs();
  }

  job(ref: string | number): JobSummary {
    return this.store.summaries.summarize(commands.requireJob(this.store, ref));
  }

  jobDetail(ref: string | number, options?: { frames?: boolean; framesSince?: number }): commands.JobDetail {
    return commands.jobDetail(this.store, ref, options);
  }

  /** A job's frames alone: a waiter printing done frames needs neither its attempts nor its tasks. */
  framesOf(ref: string | number): FrameRecord[] {
    return this.store.work.framesOf(commands.requireJob(this.store, ref).id);
  }

  /** The folder of a job's images (output-folder.ts), for "open output folder" and "copy output path". */
  outputFolder(ref: string | number): string | null {
    const job = commands.requireJob(this.store, ref);
    return outputFolder(job.output, this.store.work.framesOf(job.id));
  }

  readLog(ref: string | number, options: LogReadOptions = {}) {
    return commands.readJobLog(this.store, ref, options);
  }

  logAttempts(ref: string | number, options: Pick<LogReadOptions, 'frame' | 'attemptId'> = {}) {
    return commands.jobLogAttempts(this.store, ref, options);
  }

  /** These jobs, or every job created or finished since `since`, or all. */
  report(format: ReportFormat, options: { ids?: number[]; since?: number | null } = {}): { text: string; mime: string } {
    for (const id of options.ids ?? []) commands.requireJob(this.store, id);
    // The HTML report embeds EXR… frames as the previews cached beside the store.
    const { text, mime } = renderReport(this.store, format, { ...options, previewsDir: previewsDir(path.dirname(this.store.file)) });
    return { text, mime };
  }

  /** The last detection's result, or a fresh probe when there is none or `refresh` asks for one. */
  async hardware(refresh: boolean): Promise<HardwareInfo> {
    return (!refresh && cachedHardware(this.store)) || (await refreshHardware(this.store));
  }

  async dccs(refresh: boolean): Promise<DccInstall[]> {
    const known = refresh ? [] : cachedDccs(this.store);
    // Marked as they are read: a choice made in Settings since the last detection shows at once.
    return markUsed(known.length > 0 ? known : await refreshDccs(this.store), readSetting(this.store, 'dccs.user'), isExecutable);
  }

  watchFolders(): WatchFolder[] {
    return readWatchFolders(this.store);
  }

  watchFolder(dir: string, defaults: unknown, allow?: WatchAllow): WatchFolder {
    return saveWatchFolder(this.store, dir, defaults, allow);
  }

  unwatchFolder(dir: string): boolean {
    return removeWatchFolder(this.store, dir);
  }

  readSetting<K extends SettingKey>(key: K): SettingValue<K> {
    return readSetting(this.store, key);
  }

  writeSetting<K extends SettingKey>(key: K, value: SettingInput<K>): SettingValue<K> {
    return writeSetting(this.store, key, value);
  }

  farms(): FarmProfile[] {
    return listFarms(this.store);
  }

  farm(name: string): FarmProfile {
    return requireFarm(this.store, name);
  }

  /** The profiles with whether a token is kept for each (Settings); never the token. */
  farmListing(): FarmListing[] {
    return listFarmsWithTokens(this.store);
  }

  /** Adds a farm profile (or replaces the one of that name), validated; a Flamenco `token` goes to a private file. */
  saveFarm(input: unknown): FarmProfile {
    return saveFarm(this.store, input);
  }

  /** Does the farm answer, and can it write each mapped folder? One result per check. */
  testFarm(name: string): Promise<FarmTestResult> {
    return testFarm(this.store, name);
  }

  removeFarm(name: string): void {
    removeFarm(this.store, name);
  }

  /** The file a done frame was saved to, as the store recorded it (thumbnails), or null. */
  frameOutput(jobId: number, frame: number): string | null {
    const record = this.store.work.frameOf(jobId, frame);
    return record?.state === 'done' ? record.output : null;
  }
}

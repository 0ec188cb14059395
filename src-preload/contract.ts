/**
 * The one contract between main and any UI (Electron IPC or browser mode's HTTP + WebSocket):
 * every command's name with its input and output, every event's payload. Types only, plus the
 * plain lists of names the preload needs for its allow-list — no zod here, so the sandboxed
 * preload stays tiny; main validates every input (src-main/engine/job-input.ts, contract-schemas.ts).
 */
import type { ModifyInput, SubmitInput } from '../src-main/engine/job-input';
import type { DirEntry, DirListing, FrameActionReply, FrameState, JobDetail, JobSummary, PlannedJob, SceneInfo } from '../src-main/engine/types';

export type { SubmitInput, ModifyInput, JobDetail, JobSummary, FrameState, FrameActionReply, PlannedJob };

/** A batch file by its path on the engine's machine, or the text of a file dropped into the page (relative paths start in the home folder). */
export type BatchSourceDto = { file: string } | { name: string; text: string };

/** A watch folder (spool watch DIR): its job defaults in batch-file spelling, and what dropped files may bring. */
export interface WatchFolderDto {
  dir: string;
  defaults: Record<string, unknown>;
  allow?: { dccs?: string[]; batch?: boolean; command?: boolean };
}

export type SceneInfoDto = SceneInfo;
export type DirListingDto = DirListing;
export type DirEntryDto = DirEntry;

export interface DccInstallDto {
  dcc: string;
  executable: string;
  version: string | null;
  source: 'path' | 'standard' | 'user';
  label: string;
  /** Present only for a program no adapter runs: found, not supported yet, never offered as a DCC. */
  supported?: false;
  /** The install renders of this DCC use when a job names no program (the user's choice first). */
  used?: true;
}

/** One adapter's descriptor (src-main/engine/adapters/descriptor.ts): all the UI knows of a DCC. */
export interface DccDescriptorDto {
  id: string;
  label: string;
  /** One character for the badge. */
  letter: string;
  /** Scene extensions it claims, lower case with the dot. */
  extensions: string[];
  sceneOptional: boolean;
  /** DCC-specific job overrides it reads (`camera`, `layer`, `samples`, `renderer`, `template`…). */
  overrides: string[];
  /** Command-template placeholders, without braces (the generic command adapter). */
  tokens: string[];
  /** Renderers inside this DCC (`vray`, `redshift`…). */
  renderers: string[];
  /** Whether Spool looks for its installs (false: each job names its program, as a command template does). */
  detected: boolean;
}

export interface HardwareDto {
  cpu: { model: string; vendor: string; physicalCores: number; logicalCores: number; speedGHz: number | null };
  memory: { totalBytes: number };
  gpus: { index: number; vendor: string; model: string; vramBytes: number | null; driver: string | null }[];
  detectedAt: number;
}

export interface SettingsDto {
  defaults: { retries: number; stallTimeoutSec: number | null; taskTimeoutSec: number | null };
  userExecutables: { dcc: string; executable: string }[];
}

export interface AppInfoDto {
  version: string;
  mode: 'electron' | 'browser';
  dataDir: string;
  platform: string;
}

/** A render report (src-main/engine/report): `text` is Markdown, JSON or one self-contained HTML page. */
export interface ReportDto {
  format: 'md' | 'json' | 'html';
  mime: string;
  text: string;
}

/**
 * A bounded slice of a job's logs: by default their last 4 MB together; with `from` and
 * `attemptId`, a forward range of one attempt's file (read on from its range's `to`).
 */
export interface LogDto {
  text: string;
  /** `number`: counted within the job, as the text's `--- attempt N of job J` headers say. */
  attempts: { id: number; number: number; taskId: number; reason: string | null; logPath: string }[];
  /** Byte offsets of each shown attempt's text in its file, and the file's size when read. */
  ranges: { attemptId: number; from: number; to: number; size: number }[];
  /** Bytes of the chosen logs before the text that it leaves out (0: the text starts at the start). */
  skippedBytes: number;
  /** A range read stopped before the end of the file. */
  more: boolean;
}

export interface LogQuery {
  id: number;
  frame?: number;
  attemptId?: number;
  /** The last this many bytes (default 4 MB, at most 64 MB). */
  tail?: number;
  /** Read one attempt's file forward from this byte offset (needs attemptId). */
  from?: number;
  /** With `from`: at most this many bytes (default 4 MB, at most 64 MB). */
  limit?: number;
}

/** A done frame's image for the viewer: where it is, and the layers a multilayer EXR has. */
/**
 * A farm profile as the UI sees it (Settings' Farms card, "Render on"): never its token (only
 * whether one is kept) nor its sbatch arguments (they may name accounts).
 */
export type FarmDto = { name: string; pathMap: { local: string; farm: string }[]; hasToken: boolean } & (
  | { kind: 'slurm'; partition: string | null }
  | { kind: 'flamenco'; url: string }
);

/** Adding a farm in Settings: the fields of `spool farm add`; a Flamenco token goes to a private file. */
export type FarmAddDto =
  | { kind: 'slurm'; name: string; partition?: string | null; sbatchArgs?: string[]; pathMap?: { local: string; farm: string }[] }
  | { kind: 'flamenco'; name: string; url: string; pathMap?: { local: string; farm: string }[]; token?: string };

/** `spool farm test NAME`: each check's line, and whether it works (`ok`), does not (`problem`) or is a note. */
export interface FarmTestDto {
  name: string;
  ok: boolean;
  version: string | null;
  checks: { state: 'ok' | 'problem' | 'info'; text: string }[];
}

export interface FrameImageDto {
  path: string;
  /** Lowercase extension without the dot: `exr`, `png`… */
  format: string;
  /** True when `/files/frame` answers with a PNG preview the engine made (EXR, TIFF, DPX, TGA, HDR). */
  preview: boolean;
  /** Layer names (`ViewLayer.Combined`, `ViewLayer.Depth`…; '' is plain RGBA); empty for single-layer formats. */
  layers: string[];
  defaultLayer: string | null;
}

/** Request/response commands: name → [input, output]. Every command takes exactly one argument. */
export interface Commands {
  'app.info': [Record<string, never>, AppInfoDto];
  'jobs.list': [Record<string, never>, JobSummary[]];
  /** `frames: false`: the detail without its frames (`framesOmitted`), for a view that follows frame events; `framesSince`: only those changed after that revision. */
  'jobs.get': [{ id: number; frames?: boolean; framesSince?: number }, JobDetail];
  'jobs.submit': [SubmitInput, JobSummary];
  /** After the frame in progress (where the renderer reports saved frames), or at once with `now`. */
  'jobs.pause': [{ ids: number[]; now?: boolean }, JobSummary[]];
  'jobs.resume': [{ ids: number[] }, JobSummary[]];
  'jobs.cancel': [{ ids: number[] }, JobSummary[]];
  'jobs.retry': [{ ids: number[] }, JobSummary[]];
  'jobs.duplicate': [{ ids: number[] }, JobSummary[]];
  'jobs.delete': [{ ids: number[] }, { deleted: number[] }];
  /** New settings for a queued, blocked or paused job: the submit fields it may change, checked as a new job's are. */
  'jobs.modify': [ModifyInput & { id: number }, JobSummary];
  /** What a batch file would queue, checked like a real submit; nothing is stored. */
  'batch.plan': [BatchSourceDto, PlannedJob[]];
  /** Queues every job of a batch file in one transaction, or none. */
  'batch.submit': [BatchSourceDto, JobSummary[]];
  'watch.list': [Record<string, never>, WatchFolderDto[]];
  /** Adds a watch folder (or replaces its defaults and what it allows). */
  'watch.add': [WatchFolderDto, WatchFolderDto];
  'watch.remove': [{ dir: string }, { removed: boolean }];
  'jobs.setPriority': [{ id: number; priority: number }, JobSummary];
  /** Requeue, suspend, resume or mark complete a frame set (`frames`, the --frames syntax); `preview` writes nothing. */
  'frames.act': [{ id: number; action: FrameActionReply['action']; frames: string; preview?: boolean }, FrameActionReply];
  /** "Clear finished": these finished jobs, or all, move from the queue to History (nothing is deleted). Answers the jobs moved. */
  'jobs.clearFinished': [{ ids?: number[] }, JobSummary[]];
  /** The folder of a job's frames: Electron opens it in the file manager (`opened`); the browser only gets the path. */
  'jobs.outputFolder': [{ id: number; open?: boolean }, { folder: string | null; opened: boolean }];
  'jobs.log': [LogQuery, LogDto];
  /** These jobs, or every job created or finished since `since` (ms epoch), or all. */
  'jobs.report': [{ ids?: number[]; since?: number; format: ReportDto['format'] }, ReportDto];
  /** `quiet`: the form probing a path as it is typed; a file not there (yet) answers null, not an error. */
  'scene.probe': [{ scene: string; dcc?: string; quiet?: boolean }, SceneInfoDto | null];
  /** Starts a DCC kept warm for probing (the new-job form opening), so the first probe is quick. */
  'scene.warm': [{ dcc?: string }, null];
  'devices.get': [{ refresh?: boolean }, HardwareDto | null];
  'dccs.list': [{ refresh?: boolean }, DccInstallDto[]];
  /** The DCCs Spool can render with: every adapter's descriptor, in the registry's order. */
  'dccs.registry': [Record<string, never>, DccDescriptorDto[]];
  'settings.get': [Record<string, never>, SettingsDto];
  'settings.set': [Partial<SettingsDto>, SettingsDto];
  /** Electron only: the native file dialog. Browser mode answers null (the UI shows a path field). */
  'dialog.openScene': [Record<string, never>, string | null];
  'dialog.openFolder': [Record<string, never>, string | null];
  /** The scene browser: one folder's sub-folders and scene files (absent `dir`: the home folder). */
  /** `quiet`: completion while typing; a folder not there (yet) or unreadable answers with no entries. */
  'files.list': [{ dir?: string; hidden?: boolean; quiet?: boolean }, DirListingDto];
  'frames.image': [{ id: number; frame: number }, FrameImageDto];
  /** Electron only: shows the frame's file in its folder (the OS file manager). Browser mode answers false. */
  'frames.reveal': [{ id: number; frame: number }, boolean];
  /** The farm profiles a job can be handed to ("Render on" in the new-job form, Settings' Farms). */
  'farms.list': [Record<string, never>, FarmDto[]];
  /** Adds a farm profile (or replaces the one of that name), checked as `spool farm add` checks it. */
  'farms.add': [FarmAddDto, FarmDto];
  /** `spool farm test NAME`: does the farm answer, can it write each mapped folder. */
  'farms.test': [{ name: string }, FarmTestDto];
  /** Refused while a job still to finish renders there; its token file goes too. */
  'farms.remove': [{ name: string }, { removed: string }];
}

export type CommandName = keyof Commands;
export type CommandInput<C extends CommandName> = Commands[C][0];
export type CommandOutput<C extends CommandName> = Commands[C][1];

export type ErrorCode = 'invalid' | 'not-found' | 'unavailable' | 'internal';
export interface CommandError {
  code: ErrorCode;
  message: string;
  field?: string;
}
export type CommandResult<T> = { ok: true; value: T } | { ok: false; error: CommandError };

/** One-way events from main, batched by the transport (at most ~20 deliveries a second). */
export interface Events {
  /** A job's status or counts changed. */
  job: JobSummary;
  jobRemoved: { id: number };
  /** Another process changed the queue: fetch jobs.list again. */
  changed: Record<string, never>;
  frames: { jobId: number; frame: number; state: FrameState; output: string | null; renderMs: number | null }[];
  progress: { jobId: number; taskId: number; frame: number | null; fraction: number }[];
  /**
   * New log lines, oldest first. `skipped`: this many lines of the job were not delivered just
   * before this group (a flood, or a client that fell behind): re-read the log's tail to fill in.
   * `cut`: characters left off the end of a very long line (the log file has it whole).
   */
  log: { jobId: number; attemptId: number; skipped?: number; lines: { stream: 'stdout' | 'stderr'; text: string; cut?: number }[] }[];
  /** A scene handed to the app from outside (a second launch with a file, the OS "open with"). */
  openScene: { scene: string };
}

export type EventName = keyof Events;

/** What the preload exposes as `window.spool` and the WebSocket client implements too. */
export interface SpoolBridge {
  invoke<C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandResult<CommandOutput<C>>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

/** The preload's allow-lists, derived from the contract's names. */
export const COMMAND_NAMES = [
  'app.info',
  'jobs.list',
  'jobs.get',
  'jobs.submit',
  'jobs.pause',
  'jobs.resume',
  'jobs.cancel',
  'jobs.retry',
  'jobs.duplicate',
  'jobs.delete',
  'jobs.modify',
  'batch.plan',
  'batch.submit',
  'watch.list',
  'watch.add',
  'watch.remove',
  'jobs.setPriority',
  'frames.act',
  'jobs.clearFinished',
  'jobs.outputFolder',
  'jobs.log',
  'jobs.report',
  'scene.probe',
  'scene.warm',
  'devices.get',
  'dccs.list',
  'dccs.registry',
  'settings.get',
  'settings.set',
  'dialog.openScene',
  'dialog.openFolder',
  'files.list',
  'frames.image',
  'frames.reveal',
  'farms.list',
  'farms.add',
  'farms.test',
  'farms.remove',
] as const satisfies readonly CommandName[];

export const EVENT_NAMES = ['job', 'jobRemoved', 'changed', 'frames', 'progress', 'log', 'openScene'] as const satisfies readonly EventName[];

/** Compile-time check that the lists above name every command and event exactly. */
type Missing<All, Listed> = Exclude<All, Listed>;
const _allCommands: Missing<CommandName, (typeof COMMAND_NAMES)[number]> extends never ? true : never = true;
const _allEvents: Missing<EventName, (typeof EVENT_NAMES)[number]> extends never ? true : never = true;
void _allCommands;
void _allEvents;

export const IPC_INVOKE_CHANNEL = 'spool:invoke';
export const IPC_EVENT_CHANNEL = 'spool:event';

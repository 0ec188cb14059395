/**
 * Output-line patterns and small helpers shared by the adapters of DCCs that cannot run here
 * (Maya, Houdini, Nuke, Cinema 4D, 3ds Max, Arnold kick). One table per concern, so a licence
 * message learnt from one farm manager protects every adapter that can print it.
 * Sources are named beside each pattern; the keys are those of shared/reference/dcc-cli.md.
 */
import path from 'node:path';
import type { DeviceAssignment, JobOverrides } from '../types';
import type { ParsedEvent, RenderChunk } from './adapter';
import { coveringRun, expandPattern, splitPattern } from './output-pattern';

type ErrorEvent = Extract<ParsedEvent, { type: 'error' }>;

/**
 * A licence problem does not improve by retrying on the same machine (DESIGN.md), and several
 * DCCs exit 0 after one (Maya + Redshift, deadline-cloud-for-maya PR 480) or watermark instead of
 * failing, so every match fails the attempt whatever the exit code.
 */
const LICENCE_PATTERNS: readonly RegExp[] = [
  /FLEXlm error/i, // DL MayaCmd
  /License was not obtained/i, // DL MayaCmd: "Maya: License was not obtained"
  /Maxon licen(?:[sc]e|sing) error/i, // DC-maya adaptor.py: measured "licensing", not "license"
  /\[Redshift\].*License error/i, // CG redshift.py: "Error: [Redshift] License error: (RLM) ..."
  /error: Could not obtain a license/i, // DC-maya (V-Ray)
  /abort_on_license_fail option (?:was|is) enabled/i, // DC-maya (Arnold): "aborting render because ..."
  /\[rlm\] abort_on_license_fail enabled/i, // DL Cinema4D.py
  /\[rlm\] error initializing license system/i, // CG arnold
  /No licenses could be found to run this application/i, // CG hbatch/karma/mantra, DC-houdini
  /Please check for a valid license server host/i, // CG hbatch/karma/mantra
  /Invalid .* license key/i, // CG nuke.py
  /Invalid License from License Server/i, // DL Cinema4D.py
  /Enter Registration Data/i, // DL Cinema4D.py
  /Enter RLM Settings/i, // deadline-cloud-for-cinema-4d PR 530: a prompt that waits on stdin
  /No available licenses to choose/i, // deadline-cloud-for-cinema-4d PR 530
];

/**
 * The table as one case-insensitive alternation (every pattern in it is /i): every output line
 * passes through here, and one scan costs a tenth of fifteen (a 500,000-line flood spent 0.7 s
 * in the separate tests).
 */
const ANY_LICENCE = new RegExp(LICENCE_PATTERNS.map((re) => `(?:${re.source})`).join('|'), 'i');

/** The licence failure a line reports, as a fatal, non-retryable error; null when it reports none. */
export function licenceError(line: string): ErrorEvent | null {
  return ANY_LICENCE.test(line)
    ? { type: 'error', message: `licence: ${line.trim()}`, retryable: false, fatal: true }
    : null;
}

export function errorEvent(line: string, opts: { retryable: boolean; fatal: boolean }): ErrorEvent {
  return { type: 'error', message: line.trim(), retryable: opts.retryable, fatal: opts.fatal };
}

/** First rule whose pattern matches, as an error event. Tables keep each adapter's failure list declarative. */
export interface ErrorRule {
  re: RegExp;
  retryable: boolean;
  fatal: boolean;
}
export function matchErrorRules(line: string, rules: readonly ErrorRule[]): ErrorEvent | null {
  const rule = rules.find((r) => r.re.test(line));
  return rule ? errorEvent(line, rule) : null;
}

function percent(re: RegExp, line: string): number | null {
  const m = re.exec(line);
  if (!m?.[1]) return null;
  const value = Number(m[1]);
  return Number.isFinite(value) ? Math.min(Math.max(value / 100, 0), 1) : null;
}

/** Arnold (kick, MtoA, HtoA): `|   45% done - 23 rays/pixel` [CG arnold.py, DC-maya]. */
export function arnoldPercent(line: string): number | null {
  return percent(/(\d+(?:\.\d+)?)\s*% done/, line);
}

/** Maya's generic progress line: `[PROGRESS] 50 percent` [DC-maya]. */
export function mayaProgressPercent(line: string): number | null {
  return percent(/\[PROGRESS\]\s+(\d+(?:\.\d+)?)\s+percent/, line);
}

/** Alfred-style progress from Mantra, Karma and husk: `ALF_PROGRESS 17%` [DC-houdini PR 141, CG karma.py]. */
export function alfProgress(line: string): number | null {
  return percent(/ALF_PROGRESS\s+(\d+(?:\.\d+)?)%/, line);
}

/** Redshift buckets: `[Redshift] Block 32/48 (7,4) rendered by GPU 0 in 2ms` [CG redshift.py, DL]. */
export function redshiftBlockFraction(line: string): number | null {
  const m = /Block (\d+)\/(\d+) .*rendered/.exec(line);
  if (!m) return null;
  const done = Number(m[1]);
  const total = Number(m[2]);
  return total > 0 ? Math.min(done / total, 1) : null;
}

/** Arnold's output drivers: ``| [driver_exr] writing file `C:/x/shot.0049.exr'`` [AU]. */
export function arnoldWrittenFile(line: string): string | null {
  const m = /\[driver_\w+\] writing file `(.+)'/.exec(line);
  return m?.[1] ?? null;
}

/** Redshift: `Saving: <path>` [CG redshift.py]. */
export function redshiftSavedFile(line: string): string | null {
  const m = /Saving:\s+(.+?)\s*$/.exec(line);
  return m?.[1] ?? null;
}

/** V-Ray: `Successfully written image file "<path>"` [CG vray]. */
export function vraySavedFile(line: string): string | null {
  const m = /Successfully written image file "(.+)"/.exec(line);
  return m?.[1] ?? null;
}

/** The frame number of an image path: the last digit run of its base name (`shot.0049.exr` → 49). */
export function frameFromPath(file: string): number | null {
  const base = path.basename(file.replace(/\\/g, '/'));
  const m = /(\d+)(?!.*\d)/.exec(base);
  return m?.[1] ? Number(m[1]) : null;
}

/**
 * Which frame of this chunk a reported file belongs to. When Spool chose the output, only an exact
 * expected path counts (an AOV or a texture written beside it must not mark the frame done); with
 * the scene's own output, the frame number in the name decides, or the only frame of the chunk.
 */
export function frameOfFile(
  chunk: RenderChunk,
  file: string,
  expected: (frame: number) => string | null,
): number | null {
  const norm = (p: string): string => path.normalize(p.replace(/\\/g, '/'));
  const target = norm(file);
  let anyExpected = false;
  for (const frame of chunk.frames) {
    const want = expected(frame);
    if (want === null) continue;
    anyExpected = true;
    if (norm(want) === target) return frame;
  }
  if (anyExpected) return null;
  const n = frameFromPath(file);
  if (n !== null && chunk.frames.includes(n)) return n;
  return chunk.frames.length === 1 ? (chunk.frames[0] ?? null) : null;
}

/**
 * Environment for a child on one GPU. nvidia-smi numbers GPUs in PCI bus order while CUDA's default
 * is fastest-first [NV]; PCI_BUS_ID makes the index Spool shows the index the DCC sees.
 * `restrict`: also hide the other GPUs (for DCCs without a device flag); a DCC given its own device
 * flag (Redshift `-gpu`, Nuke `--gpu`) must see every GPU, or index N would not exist for it.
 */
export function gpuEnv(device: DeviceAssignment, restrict: boolean): Record<string, string> {
  if (device.kind !== 'gpu') return {};
  return restrict
    ? { CUDA_DEVICE_ORDER: 'PCI_BUS_ID', CUDA_VISIBLE_DEVICES: String(device.index) }
    : { CUDA_DEVICE_ORDER: 'PCI_BUS_ID' };
}

/** The job's own variables win over Spool's device variables, so a user can pin a device by hand. */
export function childEnv(extra: Record<string, string>, overrides: JobOverrides): Record<string, string> | undefined {
  const env = { ...extra, ...(overrides.env ?? {}) };
  return Object.keys(env).length > 0 ? env : undefined;
}

/** Threads to pass to a DCC's thread flag: the CPU slot's share, or an explicit override on a GPU slot. */
export function threadsFor(device: DeviceAssignment, overrides: JobOverrides): number | null {
  if (device.kind === 'cpu') return device.threads > 0 ? device.threads : null;
  return overrides.threads && overrides.threads > 0 ? overrides.threads : null;
}

export interface OutputPieces {
  /** Folder of the file (`.` for a bare name). */
  dir: string;
  /** Everything before the placeholder, folders included. */
  prefix: string;
  /** File name before the frame placeholder. */
  head: string;
  /** Number of `#`: the minimum digits of the frame number. */
  width: number;
  /** File name after the placeholder. */
  tail: string;
}

/** An output pattern cut where expandPattern puts the frame; null without `#` in the file name. */
export function outputPieces(pattern: string): OutputPieces | null {
  const parts = splitPattern(pattern);
  if (!parts) return null;
  const cut = Math.max(parts.head.lastIndexOf('/'), parts.head.lastIndexOf('\\'));
  const dir = cut < 0 ? '.' : cut === 0 ? parts.head.slice(0, 1) : parts.head.slice(0, cut);
  return { dir, prefix: parts.head, head: parts.head.slice(cut + 1), width: parts.digits, tail: parts.tail };
}

/**
 * The start/end/step a command line takes, and how many frames that renders. A retry of a chunk
 * whose middle frame is done is not arithmetic; coveringRun renders that frame again rather than
 * failing the retry (output-pattern.ts), so the count is the run's, not the chunk's.
 */
export function arithmeticRun(frames: number[]): { start: number; end: number; step: number; count: number } {
  const { start, end, step } = coveringRun(frames);
  return { start, end, step, count: Math.floor((end - start) / step) + 1 };
}

/** The file a DCC writes for `frame` when it accepts the output pattern's shape, else null (unknown ahead). */
export function expectedIfAccepted(chunk: RenderChunk, frame: number, accepts: (pattern: string) => unknown): string | null {
  return chunk.output && accepts(chunk.output) ? expandPattern(chunk.output, frame) : null;
}

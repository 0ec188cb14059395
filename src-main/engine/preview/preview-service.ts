import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exrChannels } from '../exr-check';
import { findExecutable } from '../find-executable';
import { supervise } from '../supervisor/supervise';
import type { Supervised } from '../supervisor/types';
import { LINEAR_EXTENSIONS } from './formats';
import { channelMapping, defaultLayer, layersOf, type ImageLayer } from './layers';

/** Bump when the preview's look changes, so cached previews of the old look are not served. */
const LOOK_VERSION = 1;
/** At most this many previews are made at once with nothing rendering; one while a render runs. */
const IDLE_CONCURRENCY = 2;
/** Previews kept in the cache; the oldest go first beyond it. */
const MAX_CACHED = 2000;
const PRUNE_EVERY = 100;
const PREVIEW_TIMEOUT_MS = 120_000;

export interface PreviewServiceOptions {
  /** Where previews are cached (the data dir's `previews/`). */
  dir: string;
  /** True while a render (or any unit of work) runs: previews then go one at a time. */
  busy(): boolean;
  /** The oiiotool to run (default: found on PATH). */
  tool?: string | null;
}

export interface FrameLayers {
  layers: string[];
  /** The layer shown when none is asked for: the beauty (Blender's Combined). */
  defaultLayer: string | null;
}

/** Why no preview: `status` is what the HTTP face answers (404 no such layer, 502 oiiotool failed, 503 no oiiotool). */
export class PreviewError extends Error {
  constructor(
    message: string,
    readonly status = 502,
  ) {
    super(message);
  }
}

/**
 * PNG previews of frames a browser cannot show (EXR, TIFF, DPX, TGA, HDR), made by OpenImageIO's
 * oiiotool: Debian's ffmpeg reads single-layer EXR but fails on Blender's multilayer EXR ("Not yet
 * implemented"), oiiotool reads both and picks channels by name. Cached on disk keyed by the
 * file's path, size and mtime (and the layer), so a re-rendered frame gets a new preview and an
 * unchanged one costs a stat. Made at the lowest CPU and I/O priority (nice 19, ionice idle), as
 * supervised children (own process group, argv only), queued: one at a time while a render runs.
 */
export class PreviewService {
  private readonly queue: (() => void)[] = [];
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly children = new Set<Supervised>();
  private running = 0;
  private writes = 0;
  private stopped = false;
  private readonly tool: string | null;
  private readonly wrapper: string[];

  constructor(private readonly options: PreviewServiceOptions) {
    this.tool = options.tool === undefined ? findExecutable('oiiotool') : options.tool;
    this.wrapper = lowPriorityWrapper();
  }

  /** Previews being made now (the rest wait their turn). */
  get active(): number {
    return this.running;
  }

  /** The layers of a multilayer image (EXR), or one unnamed layer for anything else. */
  layers(file: string): FrameLayers {
    const layers = imageLayers(file);
    return { layers: layers.map((l) => l.name), defaultLayer: defaultLayer(layers) };
  }

  /** The cached PNG preview of `file` (made now if needed), showing `layer` or the beauty. */
  preview(file: string, layer?: string | null): Promise<string> {
    if (this.stopped) return Promise.reject(new PreviewError('the engine is stopping', 503));
    const out = previewFile(this.options.dir, file, layer);
    if (!out) return Promise.reject(new PreviewError(`the frame's file is gone: ${file}`, 404));
    if (statSync(out, { throwIfNoEntry: false })?.isFile()) return Promise.resolve(out);
    const key = path.basename(out, '.png');
    let made = this.inflight.get(key);
    if (!made) {
      made = this.schedule(() => this.make(file, layer ?? null, out, key)).finally(() => this.inflight.delete(key));
      this.inflight.set(key, made);
    }
    return made;
  }

  /** Stops what runs, drops what waits. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    for (const child of this.children) child.cancel('engine stopping');
    await Promise.all([...this.children].map((c) => c.result));
  }

  private schedule<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push(() => {
        this.running++;
        work()
          .then(resolve, reject)
          .finally(() => {
            this.running--;
            this.next();
          });
      });
      this.next();
    });
  }

  /** Starts waiting work while under the limit, which drops to one whenever a render runs. */
  private next(): void {
    const limit = this.options.busy() ? 1 : IDLE_CONCURRENCY;
    while (!this.stopped && this.running < limit && this.queue.length > 0) this.queue.shift()!();
  }

  private async make(file: string, layer: string | null, out: string, key: string): Promise<string> {
    if (!this.tool) throw new PreviewError('oiiotool not found: install OpenImageIO (Debian/Ubuntu: openimageio-tools) to see EXR, TIFF, DPX, TGA and HDR frames', 503);
    const args = previewArgs(file, layer);
    mkdirSync(this.options.dir, { recursive: true });
    const tmp = path.join(this.options.dir, `.${key}.${process.pid}.tmp.png`);
    const logPath = path.join(this.options.dir, `.${key}.${process.pid}.log`);
    const lines: string[] = [];
    const [command, ...prefix] = [...this.wrapper, this.tool];
    const child = supervise({
      file: command!,
      args: [...prefix, ...args, '-o', tmp],
      logPath,
      totalTimeoutMs: PREVIEW_TIMEOUT_MS,
      killGraceMs: 1000,
      onSpawn: (pid) => lowerPriority(pid, this.wrapper.length > 0),
      onLine: (line) => {
        if (lines.length < 20) lines.push(line);
      },
    });
    this.children.add(child);
    try {
      const end = await child.result;
      if (end.cause !== 'exit' || end.exitCode !== 0) {
        rmSync(tmp, { force: true });
        const why = lines.find((l) => /error/i.test(l)) ?? lines.at(-1) ?? end.message ?? `exit ${String(end.exitCode)}`;
        throw new PreviewError(`oiiotool could not make a preview of ${path.basename(file)}: ${why}`);
      }
      renameSync(tmp, out);
      if (++this.writes % PRUNE_EVERY === 0) this.prune();
      return out;
    } finally {
      this.children.delete(child);
      rmSync(logPath, { force: true });
    }
  }

  /** Keeps the newest MAX_CACHED previews. */
  private prune(): void {
    const files = readdirSync(this.options.dir)
      .filter((f) => f.endsWith('.png') && !f.startsWith('.'))
      .map((f) => ({ f, t: statSync(path.join(this.options.dir, f), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
      .sort((a, b) => b.t - a.t);
    for (const { f } of files.slice(MAX_CACHED)) rmSync(path.join(this.options.dir, f), { force: true });
  }
}

/** Where the preview of `file` as it is now (its size and mtime) is cached, made or not; null when the file is gone. */
export function previewFile(dir: string, file: string, layer?: string | null): string | null {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) return null;
  const key = createHash('sha256')
    .update(JSON.stringify([LOOK_VERSION, file, stat.size, stat.mtimeMs, layer ?? null]))
    .digest('hex')
    .slice(0, 40);
  return path.join(dir, `${key}.png`);
}

/** The preview already cached for `file` as it is now, or null (the report reads these; it makes none). */
export function cachedPreview(dir: string, file: string): string | null {
  const out = previewFile(dir, file);
  return out && statSync(out, { throwIfNoEntry: false })?.isFile() ? out : null;
}

function imageLayers(file: string): ImageLayer[] {
  if (path.extname(file).toLowerCase() !== '.exr') return [];
  return layersOf(exrChannels(file) ?? []);
}

/**
 * oiiotool's arguments before `-o`: an EXR's layer (or its beauty) as RGB, linear light turned to
 * sRGB, 8 bits. Other formats are read as they are (greyscale stays grey, alpha is kept).
 */
export function previewArgs(file: string, layer: string | null): string[] {
  const ext = path.extname(file).toLowerCase();
  const args = [file];
  let linear = LINEAR_EXTENSIONS.has(ext);
  if (ext === '.exr') {
    const layers = imageLayers(file);
    const name = layer ?? defaultLayer(layers);
    const chosen = layers.find((l) => l.name === name);
    if (layer !== null && !chosen) throw new PreviewError(`${path.basename(file)} has no layer "${layer}"`, 404);
    const mapping = chosen ? channelMapping(chosen) : null;
    if (chosen && !mapping) throw new PreviewError(`layer "${chosen.name}" has channel names oiiotool cannot select`);
    if (mapping) {
      args.push('--ch', mapping.spec);
      linear = mapping.color;
    }
  }
  if (linear) args.push('--colorconvert', 'linear', 'sRGB');
  args.push('-d', 'uint8');
  return args;
}

/** `ionice -c 3 nice -n 19` where they exist: idle I/O class and the lowest CPU priority from the first instruction. */
function lowPriorityWrapper(): string[] {
  if (process.platform === 'win32') return [];
  const nice = findExecutable('nice');
  const ionice = process.platform === 'linux' ? findExecutable('ionice') : null;
  return [...(ionice ? [ionice, '-c', '3'] : []), ...(nice ? [nice, '-n', '19'] : [])];
}

/**
 * Where no nice wrapper exists (Windows) the OS priority is lowered once it runs. On Linux the
 * child leads a session of its own (its own process group), and with autogroup scheduling
 * (`kernel.sched_autogroup_enabled`) nice only ranks processes within one session: a nice-19
 * preview would still get half of a 2-core machine against a render in another session (the
 * bench measured a 1.46× slower render). Its session's autogroup is set to nice 19 too.
 */
function lowerPriority(pid: number, wrapped: boolean): void {
  try {
    if (!wrapped) os.setPriority(pid, os.constants.priority.PRIORITY_LOW);
    if (process.platform === 'linux') writeFileSync(`/proc/${pid}/autogroup`, '19');
  } catch {
    // Gone already, no autogroup, or not allowed: it still runs niced, one at a time.
  }
}

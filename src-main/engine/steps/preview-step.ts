import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { findExecutable } from '../find-executable';
import { previewsDir } from '../paths';
import { needsPreview } from '../preview/formats';
import { PreviewError, PreviewService } from '../preview/preview-service';
import { readSetting } from '../settings';
import type { PreviewStepSpec } from '../types';
import { childFailure, expandFolder, safeName, type StepContext, type StepResult } from './step-context';

/** Setting that names the ffmpeg to use; absent: `ffmpeg` on PATH. */
const FFMPEG_SETTING = 'tools.ffmpeg';
/** Frames on the contact sheet at most, spread evenly over the job. */
const SHEET_MAX = 16;
/** Image formats ffmpeg reads as still sequences (what renders write). */
const STILL_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.exr', '.tif', '.tiff', '.tga', '.bmp', '.dpx', '.webp', '.hdr']);

const encoderCache = new Map<string, Promise<Set<string>>>();

/** The video encoders an ffmpeg build has (`ffmpeg -encoders`), asked once per executable. */
export function ffmpegEncoders(ffmpeg: string): Promise<Set<string>> {
  let cached = encoderCache.get(ffmpeg);
  if (!cached) {
    cached = import('execa')
      .then(({ execa }) => execa(ffmpeg, ['-hide_banner', '-encoders'], { reject: false, timeout: 15_000, stdin: 'ignore' }))
      .then((r) => {
        const names = new Set<string>();
        for (const line of String(r.stdout ?? '').split('\n')) {
          const match = /^\s*V[A-Z.]{5}\s+(\S+)/.exec(line);
          if (match) names.add(match[1]!);
        }
        return names;
      });
    encoderCache.set(ffmpeg, cached);
  }
  return cached;
}

/**
 * A movie (mp4 with libx264 in yuv420p, even dimensions; or ProRes in a .mov) and a contact sheet
 * PNG (ffmpeg's tile filter) from the job's done frames. The frames are linked into a private
 * numbered sequence first, so gaps (`1-100x5`), odd names and retried frames all read as one run;
 * files are written under a temporary name and renamed, so a killed ffmpeg leaves no half movie.
 */
export async function runPreviewStep(ctx: StepContext, spec: PreviewStepSpec): Promise<StepResult> {
  const frames = ctx.store
    .work.framesOf(ctx.job.id)
    .filter((f) => f.state === 'done' && f.output)
    .sort((a, b) => a.frame - b.frame);
  if (frames.length === 0) return fail('no rendered frame files to make a preview from');
  const gone = frames.find((f) => !existsSync(f.output!));
  if (gone) return fail(`frame ${gone.frame}'s file is gone: ${gone.output}`);
  const extensions = new Set(frames.map((f) => path.extname(f.output!).toLowerCase()));
  if (extensions.size > 1) return fail(`the frames mix file types (${[...extensions].join(', ')}); a preview needs one`);
  const frameExt = [...extensions][0]!;
  if (!STILL_EXTENSIONS.has(frameExt)) return fail(`cannot make a preview from ${frameExt || 'extension-less'} files`);
  // EXR (Blender's multilayer ones ffmpeg cannot decode), TIFF, DPX…: the viewer's PNG previews
  // (the beauty, in sRGB) feed ffmpeg, so the movie and sheet look like what the viewer shows.
  let sources = frames.map((f) => f.output!);
  let ext = frameExt;
  if (needsPreview(`x${frameExt}`)) {
    const made = await viewerPreviews(ctx, spec.movie ? sources : pickEvenly(sources, SHEET_MAX));
    if (!Array.isArray(made)) return made;
    sources = made;
    ext = '.png';
  }

  const configured = readSetting(ctx.store, FFMPEG_SETTING);
  const ffmpeg = findExecutable(configured ?? 'ffmpeg');
  if (!ffmpeg) return fail(`${configured ?? 'ffmpeg'} not found: install ffmpeg (or set ${FFMPEG_SETTING}) to make previews`);
  const encoder = spec.codec === 'prores' ? 'prores_ks' : 'libx264';
  if (spec.movie && !(await ffmpegEncoders(ffmpeg)).has(encoder)) {
    return fail(`this ffmpeg (${ffmpeg}) has no ${encoder} encoder, needed for ${spec.codec === 'prores' ? 'ProRes' : 'H.264'}`);
  }

  const outDir = spec.to ? expandFolder(spec.to, ctx.job) : path.dirname(frames[0]!.output!);
  mkdirSync(outDir, { recursive: true });
  const base = safeName(ctx.job.name);
  const work = path.join(ctx.dataDir, 'work', `job-${ctx.job.id}`, `step-${ctx.step.index}`);
  rmSync(work, { recursive: true, force: true });
  const outputs: string[] = [];
  try {
    if (spec.movie) {
      const seq = linkSequence(path.join(work, 'movie'), sources, ext);
      const file = path.join(outDir, `${base}${spec.codec === 'prores' ? '.mov' : '.mp4'}`);
      const tmp = path.join(outDir, `.${base}.spool-tmp${path.extname(file)}`);
      const codecArgs =
        spec.codec === 'prores'
          ? ['-c:v', 'prores_ks', '-profile:v', '3', '-vendor', 'apl0', '-pix_fmt', 'yuv422p10le']
          : ['-c:v', 'libx264', '-preset', 'medium', '-crf', '18', '-pix_fmt', 'yuv420p', '-movflags', '+faststart'];
      const end = await ctx.run(
        ffmpeg,
        [
          '-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-stats',
          '-framerate', String(spec.fps), '-start_number', '1', '-i', path.join(seq, `%06d${ext}`),
          // H.264 in yuv420p needs even dimensions: drop a last odd row or column.
          '-vf', 'scale=trunc(iw/2)*2:trunc(ih/2)*2',
          ...codecArgs,
          '-an', tmp,
        ],
        { cwd: outDir },
      );
      const failure = childFailure('ffmpeg (movie)', end);
      if (failure) return cleanup(failure, tmp);
      renameSync(tmp, file);
      outputs.push(file);
      ctx.log(`movie: ${file} (${frames.length} frames at ${spec.fps} fps)`);
    }
    if (spec.sheet && !ctx.stopped()) {
      const picked = pickEvenly(sources, SHEET_MAX);
      const seq = linkSequence(path.join(work, 'sheet'), picked, ext);
      const { cols, rows } = sheetGrid(picked.length);
      const file = path.join(outDir, `${base}_sheet.png`);
      const tmp = path.join(outDir, `.${base}_sheet.spool-tmp.png`);
      const end = await ctx.run(
        ffmpeg,
        [
          '-hide_banner', '-nostdin', '-y', '-loglevel', 'error',
          '-framerate', '1', '-start_number', '1', '-i', path.join(seq, `%06d${ext}`),
          // Thumbnails 160 to 320 pixels wide, whatever the render size.
          '-vf', `scale='max(160,min(320,iw))':-2,tile=${cols}x${rows}:padding=4:margin=4`,
          '-frames:v', '1', '-update', '1', tmp,
        ],
        { cwd: outDir },
      );
      const failure = childFailure('ffmpeg (contact sheet)', end);
      if (failure) return cleanup(failure, tmp);
      renameSync(tmp, file);
      outputs.push(file);
      ctx.log(`contact sheet: ${file} (${picked.length} frames, ${cols}×${rows})`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { ok: true, outputs };
}

/** The cached viewer preview of each file, made one at a time at the lowest priority. */
async function viewerPreviews(ctx: StepContext, files: readonly string[]): Promise<string[] | StepResult> {
  const previews = new PreviewService({ dir: previewsDir(ctx.dataDir), busy: () => true });
  const made: string[] = [];
  try {
    for (const file of files) {
      if (ctx.stopped()) return fail('stopped');
      made.push(await previews.preview(file));
    }
  } catch (error) {
    if (error instanceof PreviewError) return fail(error.message);
    throw error;
  } finally {
    await previews.stop();
  }
  ctx.log(`previews: ${made.length} frames turned into PNG by oiiotool (cached in the data dir)`);
  return made;
}

function fail(reason: string): StepResult {
  return { ok: false, reason, retryable: false };
}

function cleanup(result: StepResult, tmp: string): StepResult {
  try {
    unlinkSync(tmp);
  } catch {
    // Nothing was written.
  }
  return result;
}

/** `000001.ext`, `000002.ext`… pointing at the frames, in order (a copy where links are refused). */
function linkSequence(dir: string, files: readonly string[], ext: string): string {
  mkdirSync(dir, { recursive: true });
  files.forEach((file, i) => {
    const link = path.join(dir, `${String(i + 1).padStart(6, '0')}${ext}`);
    try {
      symlinkSync(path.resolve(file), link);
    } catch {
      copyFileSync(file, link);
    }
  });
  return dir;
}

/** A grid for n thumbnails: near square, a little wider rather than taller, few empty cells. */
export function sheetGrid(n: number): { cols: number; rows: number } {
  const base = Math.ceil(Math.sqrt(n));
  let best = { cols: base, rows: Math.ceil(n / base) };
  for (let cols = base + 1; cols <= Math.min(n, base + 2); cols++) {
    const rows = Math.ceil(n / cols);
    if (cols * rows - n < best.cols * best.rows - n) best = { cols, rows };
  }
  return best;
}

/** At most `max` items spread evenly from first to last. */
export function pickEvenly<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const picked: T[] = [];
  for (let i = 0; i < max; i++) picked.push(items[Math.round((i * (items.length - 1)) / (max - 1))]!);
  return picked;
}

import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { FrameImageDto } from '../../src-preload/contract';
import type { Engine } from '../engine/engine';
import { NotFoundError } from '../engine/errors';
import { BROWSER_IMAGE_EXTENSIONS, needsPreview } from '../engine/preview/formats';
import { PreviewError } from '../engine/preview/preview-service';
import { contentTypeOf, FRAME_IMAGE_TYPES } from './static-files';

/**
 * The image the store recorded for a job's frame (for thumbnails), or null. The path comes only
 * from the store, never from the request, and only image files are served: a DCC's "saved" line
 * is output of a program running a user's scene and could name any file. The renderer also owns
 * the output folder while it runs, so a symlink put in place of a frame (`f_0001.png →
 * /etc/shadow`) is refused: only a regular file, not a link, whose real path is inside the job's
 * output folder (the folder of its output pattern, or of the frame when the scene chooses).
 */
export function recordedFrameImage(
  engine: Pick<Engine, 'frameOutput' | 'job'>,
  jobId: number,
  frame: number,
): { file: string; contentType: string; size: number } | null {
  const file = engine.frameOutput(jobId, frame);
  if (!file || !path.isAbsolute(file) || !FRAME_IMAGE_TYPES.has(path.extname(file).toLowerCase())) return null;
  try {
    const stat = lstatSync(file);
    if (!stat.isFile() || stat.size === 0) return null;
    const pattern = engine.job(jobId).output;
    const folder = pattern && path.isAbsolute(pattern) ? path.dirname(pattern) : path.dirname(file);
    const real = realpathSync(file);
    if (!isInside(realpathSync(folder), real)) return null;
    return { file: real, contentType: contentTypeOf(file), size: stat.size };
  } catch {
    return null;
  }
}

function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

export interface FrameQuery {
  jobId: number;
  frame: number;
  /** A multilayer EXR's layer (`ViewLayer.Depth`); absent: its beauty. */
  layer?: string;
}

/** Parses `job` and `frame` query values strictly (whole numbers only), and an optional `layer` name. */
export function parseFrameQuery(params: URLSearchParams): FrameQuery | null {
  const job = params.get('job');
  const frame = params.get('frame');
  const layer = params.get('layer');
  if (!job || !frame || !/^\d{1,15}$/.test(job) || !/^-?\d{1,15}$/.test(frame)) return null;
  // Layer names are data read from the file: printable, short; '' is an EXR's unnamed RGBA layer.
  if (layer !== null && (layer.length > 255 || [...layer].some((c) => c < ' ' || c === '\u007f'))) return null;
  return { jobId: Number(job), frame: Number(frame), ...(layer !== null ? { layer } : {}) };
}

export type BrowserFrame = { ok: true; file: string; contentType: string } | { ok: false; status: number; message: string };

/**
 * What `/files/frame` answers, in browser mode and Electron alike: always an image a browser can
 * show, never a raw EXR. PNG, JPEG… are served as recorded; EXR, TIFF, DPX, TGA and HDR as the
 * engine's cached PNG preview (a layer of a multilayer EXR when asked).
 */
export async function browserFrameImage(engine: Pick<Engine, 'frameOutput' | 'job' | 'previews'>, query: FrameQuery): Promise<BrowserFrame> {
  const image = recordedFrameImage(engine, query.jobId, query.frame);
  if (!image) return { ok: false, status: 404, message: `job ${query.jobId} has no finished image for frame ${query.frame}` };
  const ext = path.extname(image.file).toLowerCase();
  if (BROWSER_IMAGE_EXTENSIONS.has(ext) && query.layer === undefined) return { ok: true, file: image.file, contentType: image.contentType };
  if (!needsPreview(image.file)) return { ok: false, status: 415, message: `frame ${query.frame} is a ${ext} file, which has no preview` };
  try {
    return { ok: true, file: await engine.previews.preview(image.file, query.layer), contentType: 'image/png' };
  } catch (error) {
    if (error instanceof PreviewError) return { ok: false, status: error.status, message: error.message };
    throw error;
  }
}

/** The viewer's facts about a done frame: its path (for "copy path"), format and layers. */
export function frameImageInfo(engine: Pick<Engine, 'frameOutput' | 'job' | 'previews'>, jobId: number, frame: number): FrameImageDto {
  const image = recordedFrameImage(engine, jobId, frame);
  if (!image) throw new NotFoundError(`job ${jobId} has no finished image for frame ${frame}`);
  const preview = needsPreview(image.file);
  const { layers, defaultLayer } = engine.previews.layers(image.file);
  return { path: image.file, format: path.extname(image.file).slice(1).toLowerCase(), preview, layers, defaultLayer };
}

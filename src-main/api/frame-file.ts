import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Engine } from '../engine/engine';
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

/** Parses `job` and `frame` query values strictly: whole numbers only. */
export function parseFrameQuery(params: URLSearchParams): { jobId: number; frame: number } | null {
  const job = params.get('job');
  const frame = params.get('frame');
  if (!job || !frame || !/^\d{1,15}$/.test(job) || !/^-?\d{1,15}$/.test(frame)) return null;
  return { jobId: Number(job), frame: Number(frame) };
}

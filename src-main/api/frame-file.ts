import { statSync } from 'node:fs';
import path from 'node:path';
import type { Engine } from '../engine/engine';
import { contentTypeOf, FRAME_IMAGE_TYPES } from './static-files';

/**
 * The image the store recorded for a job's frame (for thumbnails), or null. The path comes only
 * from the store, never from the request, and only image files are served: a DCC's "saved" line
 * is output of a program running a user's scene and could name any file.
 */
export function recordedFrameImage(
  engine: Pick<Engine, 'frameOutput'>,
  jobId: number,
  frame: number,
): { file: string; contentType: string; size: number } | null {
  const file = engine.frameOutput(jobId, frame);
  if (!file || !path.isAbsolute(file) || !FRAME_IMAGE_TYPES.has(path.extname(file).toLowerCase())) return null;
  try {
    const stat = statSync(file);
    return stat.isFile() && stat.size > 0 ? { file, contentType: contentTypeOf(file), size: stat.size } : null;
  } catch {
    return null;
  }
}

/** Parses `job` and `frame` query values strictly: whole numbers only. */
export function parseFrameQuery(params: URLSearchParams): { jobId: number; frame: number } | null {
  const job = params.get('job');
  const frame = params.get('frame');
  if (!job || !frame || !/^\d{1,15}$/.test(job) || !/^-?\d{1,15}$/.test(frame)) return null;
  return { jobId: Number(job), frame: Number(frame) };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseFrameQuery, recordedFrameImage } from '../api/frame-file';
import type { Engine } from '../engine/engine';
import { sendText } from './respond';
import { sendFile } from './static-route';

/** `GET /files/frame?job=ID&frame=N`: the image the store recorded for that frame, for thumbnails. */
export function handleFrame(req: IncomingMessage, res: ServerResponse, url: URL, engine: Engine): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return sendText(res, 405, 'method not allowed');
  }
  const query = parseFrameQuery(url.searchParams);
  if (!query) return sendText(res, 400, 'expected ?job=ID&frame=N');
  const image = recordedFrameImage(engine, query.jobId, query.frame);
  if (!image) return sendText(res, 404, `job ${query.jobId} has no finished image for frame ${query.frame}`);
  sendFile(req, res, image.file, image.contentType, 'no-store');
}

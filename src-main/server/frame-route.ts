import type { IncomingMessage, ServerResponse } from 'node:http';
import { browserFrameImage, parseFrameQuery } from '../api/frame-file';
import type { Engine } from '../engine/engine';
import { sendText } from './respond';
import { sendFile } from './static-route';

/**
 * `GET /files/frame?job=ID&frame=N[&layer=NAME]`: the frame the store recorded, as an image a
 * browser can show (EXR and friends as the engine's PNG preview, never the raw file).
 */
export async function handleFrame(req: IncomingMessage, res: ServerResponse, url: URL, engine: Engine): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return sendText(res, 405, 'method not allowed');
  }
  const query = parseFrameQuery(url.searchParams);
  if (!query) return sendText(res, 400, 'expected ?job=ID&frame=N (and optionally &layer=NAME)');
  let image;
  try {
    image = await browserFrameImage(engine, query);
  } catch {
    return sendText(res, 500, 'internal error making the preview');
  }
  if (!image.ok) return sendText(res, image.status, image.message);
  sendFile(req, res, image.file, image.contentType, 'no-store');
}

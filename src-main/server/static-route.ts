import { closeSync, constants, createReadStream, existsSync, fstatSync, openSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { contentTypeOf, resolveStaticFile } from '../api/static-files';
import { sendText } from './respond';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Spool</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3rem; max-width: 40rem">
<h1>Spool is running, but its interface is not built</h1>
<p>Build it in the Spool folder with <code>npm run build:renderer</code> (or <code>scripts/setup.sh</code>), then reload this page.</p>
<p>The engine and its API (<code>POST /api/&lt;command&gt;</code>) work already.</p>
</body></html>
`;

export function rendererIsBuilt(rendererDir: string): boolean {
  return existsSync(path.join(rendererDir, 'index.html'));
}

/** The built renderer's files; `/` is index.html. Anything that is not plainly inside the folder is a 404. */
export function handleStatic(req: IncomingMessage, res: ServerResponse, rawPath: string, rendererDir: string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return sendText(res, 405, 'method not allowed');
  }
  if (!rendererIsBuilt(rendererDir) && (rawPath === '/' || rawPath === '/index.html')) {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : NOT_BUILT_PAGE);
    return;
  }
  const file = resolveStaticFile(rendererDir, rawPath);
  if (!file) return sendText(res, 404, 'not found');
  sendFile(req, res, file, contentTypeOf(file), 'no-cache');
}

/** Opening never follows a link at the last step (O_NOFOLLOW), so a file swapped for one after its check is not read. */
const NO_FOLLOW = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

export function sendFile(req: IncomingMessage, res: ServerResponse, file: string, contentType: string, cacheControl: string): void {
  let fd: number;
  let size: number;
  try {
    fd = openSync(file, NO_FOLLOW);
  } catch {
    return sendText(res, 404, 'not found');
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error('not a file');
    size = stat.size;
  } catch {
    closeSync(fd);
    return sendText(res, 404, 'not found');
  }
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': size, 'Cache-Control': cacheControl });
  if (req.method === 'HEAD') {
    closeSync(fd);
    res.end();
    return;
  }
  const stream = createReadStream('', { fd, start: 0, end: Math.max(0, size - 1) });
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { contentSecurityPolicy, securityHeaders } from '../api/csp';
import { browserFrameImage, parseFrameQuery } from '../api/frame-file';
import { contentTypeOf, resolveStaticFile } from '../api/static-files';
import type { Engine } from '../engine/engine';
import { APP_HOST, APP_SCHEME } from './trust';

/** Electron's CSP: as browser mode's, with nothing to connect to but the app itself. */
export const DESKTOP_CSP = contentSecurityPolicy();

/**
 * Must run before the app is ready. `standard` gives the scheme real origins (so 'self' in the CSP
 * and same-origin checks mean app://spool), `secure` makes it a secure context like https.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/**
 * Serves app://spool/… from the built renderer folder only (the same confinement as browser
 * mode), and app://spool/files/frame?job=&frame= from the outputs the store recorded (EXR and
 * friends as the engine's PNG preview, as in browser mode).
 */
export function handleAppScheme(rendererDir: string, engine: () => Engine | null): void {
  const headers = securityHeaders(DESKTOP_CSP);
  const notFound = () => new Response('not found', { status: 404, headers: { ...headers, 'Content-Type': 'text/plain' } });

  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || (request.method !== 'GET' && request.method !== 'HEAD')) return notFound();
    let file: string | null;
    let contentType: string;
    if (url.pathname === '/files/frame') {
      const query = parseFrameQuery(url.searchParams);
      const current = engine();
      const image = query && current ? await browserFrameImage(current, query).catch(() => null) : null;
      file = image?.ok ? image.file : null;
      contentType = image?.ok ? image.contentType : '';
    } else {
      file = resolveStaticFile(rendererDir, url.pathname);
      contentType = file ? contentTypeOf(file) : '';
    }
    if (!file) return notFound();
    try {
      const body = await readFile(file);
      return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: { ...headers, 'Content-Type': contentType } });
    } catch {
      return notFound();
    }
  });
}

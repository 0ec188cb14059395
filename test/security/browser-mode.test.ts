import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Engine } from '../../src-main/engine/engine';
import { startServer, type RunningServer } from '../../src-main/server/server';
import { tempDir } from '../helpers/fake-dcc';

/**
 * Browser mode, beyond src-main/server/server.test.ts (401 without the token, 403 for a foreign
 * Origin or Host on HTTP, traversal, loopback only): the attacks a page in the user's own browser
 * can mount with the cookie the browser adds by itself. Cross-site WebSocket hijacking, DNS
 * rebinding on the upgrade, CORS reads, another port's cookie, and a client that floods the socket.
 */

let engine: Engine | null = null;
let server: RunningServer | null = null;
afterEach(async () => {
  await server?.close();
  await engine?.stop();
  server = null;
  engine = null;
});

async function setup(): Promise<RunningServer> {
  const dir = tempDir('spool-browser-sec-');
  const rendererDir = path.join(dir, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Spool UI</title>');
  engine = await Engine.start({ dataDir: path.join(dir, 'data'), killGraceMs: 500 });
  server = await startServer({ engine, host: '127.0.0.1', port: 0, rendererDir, dataDir: path.join(dir, 'data'), detectors: { hardware: async () => null, dccs: async () => [] } });
  return server;
}

function request(port: number, options: { path: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: options.path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Resolves with the HTTP status of a refused upgrade, or 101 once the socket is open (then closes it). */
function upgrade(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', (error) => reject(error));
  });
}

const cookieFor = (s: RunningServer, port = s.port) => `spool_token_${port}=${s.token}`;

describe('browser mode: what a foreign page cannot do with the user\'s cookie', () => {
  it('cannot open the event socket (cross-site WebSocket hijacking), rebind its name, or come from an opaque origin', async () => {
    const s = await setup();
    const url = `ws://127.0.0.1:${s.port}/ws`;
    // A browser adds the SameSite=Strict cookie only for same-site pages, but a WebSocket handshake is not bound by CORS: Origin is the guard.
    expect(await upgrade(url, { Cookie: cookieFor(s), Origin: 'http://evil.example' })).toBe(403);
    expect(await upgrade(url, { Cookie: cookieFor(s), Origin: 'null' })).toBe(403);
    expect(await upgrade(url, { Cookie: cookieFor(s), Origin: `http://127.0.0.1:${s.port + 1}` })).toBe(403);
    expect(await upgrade(url, { Cookie: cookieFor(s), Origin: `http://127.0.0.1:${s.port}`, Host: `evil.example:${s.port}` })).toBe(403);
    expect(await upgrade(`${url}?token=${s.token}`, { Origin: 'http://evil.example' })).toBe(403);
    // The legitimate page still gets in.
    expect(await upgrade(url, { Cookie: cookieFor(s), Origin: `http://localhost:${s.port}`, Host: `localhost:${s.port}` })).toBe(101);
  });

  it('cannot read API answers through CORS: no Access-Control-Allow-* header, and a foreign preflight is refused', async () => {
    const s = await setup();
    const preflight = await request(s.port, {
      path: '/api/jobs.list',
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,authorization' },
    });
    expect(preflight.status).toBe(403);
    const answers = [
      preflight,
      await request(s.port, { path: '/api/jobs.list', method: 'POST', headers: { Cookie: cookieFor(s), 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${s.port}` }, body: '{}' }),
      await request(s.port, { path: '/', headers: { Cookie: cookieFor(s) } }),
      await request(s.port, { path: '/api/jobs.list', method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' }, body: '{}' }),
    ];
    for (const answer of answers) {
      expect(Object.keys(answer.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
    expect(answers[1]!.status).toBe(200);
  });

  it('cannot use the cookie of another Spool server on another port', async () => {
    const s = await setup();
    const other = await request(s.port, { path: '/api/jobs.list', method: 'POST', headers: { Cookie: cookieFor(s, s.port + 1), 'Content-Type': 'application/json' }, body: '{}' });
    expect(other.status).toBe(401);
    expect(await upgrade(`ws://127.0.0.1:${s.port}/ws`, { Cookie: cookieFor(s, s.port + 1) })).toBe(401);
  });

  it('a client that floods the event socket is cut off, and the server goes on serving', async () => {
    const s = await setup();
    const ws = new WebSocket(`ws://127.0.0.1:${s.port}/ws`, { headers: { Authorization: `Bearer ${s.token}` } });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.on('error', () => undefined);
    ws.send(Buffer.alloc(1024 * 1024, 0x61));
    expect(await closed).toBe(1009);
    const after = await request(s.port, { path: '/api/jobs.list', method: 'POST', headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/json' }, body: '{}' });
    expect(after.status).toBe(200);
  });
});

import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { fakeFrameTemplate, quote, tempDir } from '../../test/helpers/fake-dcc';
import type { Events, JobSummary } from '../../src-preload/contract';
import { Engine } from '../engine/engine';
import { startServer, type RunningServer } from './server';

/** Real engine, real server on a free port, real HTTP and WebSocket clients. */
let engine: Engine | null = null;
let server: RunningServer | null = null;
afterEach(async () => {
  await server?.close();
  await engine?.stop();
  server = null;
  engine = null;
});

const SECRET = 'TOP-SECRET-CONTENT';

async function setup(): Promise<{ server: RunningServer; engine: Engine; dir: string; dataDir: string }> {
  const dir = tempDir('spool-server-');
  const dataDir = path.join(dir, 'data');
  const rendererDir = path.join(dir, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Spool UI</title>');
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(dir, 'secret.txt'), SECRET);
  symlinkSync(path.join(dir, 'secret.txt'), path.join(rendererDir, 'assets', 'link.txt'));
  engine = await Engine.start({ dataDir, killGraceMs: 500 });
  server = await startServer({ engine, host: '127.0.0.1', port: 0, rendererDir, dataDir, detectors: { hardware: async () => null, dccs: async () => [] } });
  return { server, engine, dir, dataDir };
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** http.request sends the path exactly as given: fetch would normalise `/../` away before sending. */
function raw(port: number, options: { path: string; method?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: options.path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const bearer = (s: RunningServer) => ({ Authorization: `Bearer ${s.token}` });
const json = (s: RunningServer) => ({ ...bearer(s), 'Content-Type': 'application/json' });

function api(s: RunningServer, command: string, input: unknown): Promise<RawResponse> {
  return raw(s.port, { path: `/api/${command}`, method: 'POST', headers: json(s), body: JSON.stringify(input) });
}

function openSocket(url: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('browser-mode server: who may talk to it', () => {
  it('listens on 127.0.0.1 only and refuses any other host', async () => {
    const { server: s, engine: e, dataDir } = await setup();
    expect(s.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${s.port}/\\?token=[A-Za-z0-9_-]{43}$`));
    await expect(
      startServer({ engine: e, host: '0.0.0.0' as '127.0.0.1', port: 0, rendererDir: dataDir, dataDir }),
    ).rejects.toThrow(/127\.0\.0\.1 only/);
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (external) {
      const attempt = new Promise((resolve, reject) => {
        http.get({ host: external.address, port: s.port, path: '/' }, resolve).on('error', reject);
      });
      await expect(attempt).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    }
  });

  it('keeps the token in a file only its user can read', async () => {
    const { server: s, dataDir } = await setup();
    const file = path.join(dataDir, 'browser-token');
    expect(readFileSync(file, 'utf8').trim()).toBe(s.token);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('answers 401 without the token or with a wrong one', async () => {
    const { server: s } = await setup();
    for (const p of ['/', '/index.html', '/assets/app.js', '/files/frame?job=1&frame=1']) {
      expect((await raw(s.port, { path: p })).status).toBe(401);
      expect((await raw(s.port, { path: p, headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    }
    const noToken = await raw(s.port, { path: '/api/jobs.list', method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(noToken.status).toBe(401);
    expect(noToken.body).not.toContain('[');
    const wrongLength = await raw(s.port, { path: `/?token=${s.token}x` });
    expect(wrongLength.status).toBe(401);
    const almost = s.token.slice(0, -1) + (s.token.endsWith('A') ? 'B' : 'A');
    const wrongCookie = await raw(s.port, { path: '/', headers: { Cookie: `spool_token_${s.port}=${almost}` } });
    expect(wrongCookie.status).toBe(401);
  });

  it('takes ?token= on the first page load and sets an HttpOnly SameSite=Strict cookie for the rest', async () => {
    const { server: s } = await setup();
    const first = await raw(s.port, { path: `/?token=${s.token}` });
    expect(first.status).toBe(200);
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const pair = cookie.split(';')[0]!;
    const asset = await raw(s.port, { path: '/assets/app.js', headers: { Cookie: `other=1; ${pair}` } });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
  });

  it('answers 403 to another origin or host name (DNS rebinding), even with the token', async () => {
    const { server: s } = await setup();
    const cases: Record<string, string>[] = [
      { Origin: 'http://evil.example' },
      { Origin: 'null' },
      { Origin: `http://127.0.0.1:${s.port + 1}` },
      { Origin: `https://127.0.0.1:${s.port}` },
      { Host: `evil.example:${s.port}` },
      { Host: 'evil.example' },
      { Host: `127.0.0.1:${s.port + 1}` },
    ];
    for (const headers of cases) {
      const page = await raw(s.port, { path: '/', headers: { ...bearer(s), ...headers } });
      expect(page.status, JSON.stringify(headers)).toBe(403);
      const call = await raw(s.port, { path: '/api/jobs.list', method: 'POST', headers: { ...json(s), ...headers }, body: '{}' });
      expect(call.status, JSON.stringify(headers)).toBe(403);
    }
    const ours = await raw(s.port, { path: '/api/jobs.list', method: 'POST', headers: { ...json(s), Origin: `http://localhost:${s.port}`, Host: `localhost:${s.port}` }, body: '{}' });
    expect(ours.status).toBe(200);
  });
});

describe('browser-mode server: what it serves', () => {
  it('serves the renderer with security headers', async () => {
    const { server: s } = await setup();
    const page = await raw(s.port, { path: '/', headers: bearer(s) });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Spool UI');
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${s.port}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
  });

  it('refuses paths that escape the renderer folder with 404 and no content', async () => {
    const { server: s } = await setup();
    const attempts = [
      '/../package.json',
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/%2e%2e/etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2fetc/passwd',
      '/..%2fsecret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/assets/../../secret.txt',
      '/./index.html',
      '//etc/passwd',
      `/${encodeURIComponent(path.join(os.tmpdir(), 'x'))}`,
      '/index.html%00.js',
      '/%ZZ',
      '/assets/link.txt',
      '/assets',
    ];
    for (const p of attempts) {
      const res = await raw(s.port, { path: p, headers: bearer(s) });
      expect(res.status, p).toBe(404);
      expect(res.body, p).not.toContain(SECRET);
      expect(res.body, p).not.toContain('root:');
    }
  });

  it('answers commands as JSON CommandResults with matching status codes', async () => {
    const { server: s } = await setup();
    const list = await api(s, 'jobs.list', {});
    expect(list.status).toBe(200);
    expect(JSON.parse(list.body)).toEqual({ ok: true, value: [] });
    expect(list.headers['cache-control']).toBe('no-store');
    expect(list.headers['content-security-policy']).toContain("default-src 'self'");

    const invalid = await api(s, 'jobs.get', { id: 'x' });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body)).toMatchObject({ ok: false, error: { code: 'invalid', field: 'id' } });

    const missing = await api(s, 'jobs.get', { id: 42 });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ ok: false, error: { code: 'not-found' } });

    const unknown = await api(s, 'rm.rf', {});
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body).error.message).toBe('unknown command "rm.rf"');

    const info = await raw(s.port, { path: '/api/app.info', method: 'POST', headers: json(s) });
    expect(JSON.parse(info.body)).toMatchObject({ ok: true, value: { mode: 'browser' } });
    expect(JSON.parse((await api(s, 'dialog.openScene', {})).body)).toEqual({ ok: true, value: null });
  });

  it('refuses bodies over 1 MB, non-JSON bodies and other methods', async () => {
    const { server: s } = await setup();
    const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) });
    expect((await raw(s.port, { path: '/api/jobs.submit', method: 'POST', headers: json(s), body: big })).status).toBe(413);
    const text = await raw(s.port, { path: '/api/jobs.list', method: 'POST', headers: { ...bearer(s), 'Content-Type': 'text/plain' }, body: '{}' });
    expect(text.status).toBe(415);
    const broken = await raw(s.port, { path: '/api/jobs.list', method: 'POST', headers: json(s), body: '{nope' });
    expect(broken.status).toBe(400);
    expect((await raw(s.port, { path: '/api/jobs.list', headers: bearer(s) })).status).toBe(405);
    expect((await raw(s.port, { path: '/', method: 'DELETE', headers: bearer(s) })).status).toBe(405);
  });

  it('serves a frame only from the output the store recorded for it', async () => {
    const { server: s, engine: e, dir } = await setup();
    expect((await raw(s.port, { path: '/files/frame?job=1&frame=1', headers: bearer(s) })).status).toBe(404);
    expect((await raw(s.port, { path: '/files/frame?job=1', headers: bearer(s) })).status).toBe(400);
    expect((await raw(s.port, { path: '/files/frame?job=../x&frame=1', headers: bearer(s) })).status).toBe(400);

    const queued = await e.submit({
      dcc: 'command',
      frames: '1-2',
      output: path.join(dir, 'out', 'f_####.png'),
      overrides: { template: fakeFrameTemplate() },
      priority: 0,
    });
    e.setIntent(queued.id, 'paused');
    expect((await raw(s.port, { path: `/files/frame?job=${queued.id}&frame=1`, headers: bearer(s) })).status).toBe(404);
    e.setIntent(queued.id, 'active');
    await e.untilIdle();
    expect(e.jobDetail(queued.id).job).toMatchObject({ status: 'succeeded' });

    const image = await raw(s.port, { path: `/files/frame?job=${queued.id}&frame=2&path=/etc/passwd`, headers: bearer(s) });
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.body.slice(1, 4)).toBe('PNG');
    expect((await raw(s.port, { path: `/files/frame?job=${queued.id}&frame=3`, headers: bearer(s) })).status).toBe(404);
  });
});

describe('browser-mode server: events over the WebSocket', () => {
  it('refuses the upgrade without the token, with a wrong one, or from another origin', async () => {
    const { server: s } = await setup();
    const url = `ws://127.0.0.1:${s.port}/ws`;
    await expect(openSocket(url, {})).rejects.toThrow(/401/);
    await expect(openSocket(url, { Authorization: 'Bearer nope' })).rejects.toThrow(/401/);
    await expect(openSocket(url, { ...bearer(s), Origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(openSocket(`ws://127.0.0.1:${s.port}/elsewhere`, bearer(s))).rejects.toThrow(/404/);
    const ok = await openSocket(url, { Cookie: `spool_token_${s.port}=${s.token}`, Origin: `http://127.0.0.1:${s.port}` });
    ok.close();
  });

  it('streams the events of a job submitted over HTTP', async () => {
    const { server: s, dir } = await setup();
    const ws = await openSocket(`ws://127.0.0.1:${s.port}/ws`, bearer(s));
    const seen: { event: keyof Events; payload: unknown }[] = [];
    const succeeded = new Promise<JobSummary>((resolve) => {
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as { event: keyof Events; payload: unknown };
        seen.push(message);
        const job = message.payload as JobSummary;
        if (message.event === 'job' && job.status === 'succeeded') resolve(job);
      });
    });

    const submitted = await api(s, 'jobs.submit', {
      dcc: 'command',
      frames: '1-3',
      output: path.join(dir, 'out', 'f_####.png'),
      overrides: { template: fakeFrameTemplate() },
    });
    expect(submitted.status).toBe(200);
    const id = JSON.parse(submitted.body).value.id as number;
    const done = await succeeded;
    ws.close();

    expect(done).toMatchObject({ id, framesDone: 3 });
    const frames = seen.flatMap((m) => (m.event === 'frames' ? (m.payload as Events['frames']) : []));
    expect(frames.filter((f) => f.state === 'done').map((f) => f.frame).sort()).toEqual([1, 2, 3]);
    expect(seen.some((m) => m.event === 'log')).toBe(true);
  });

  it('delivers the live lines it gathered before it answers a log read, so a client never gets a line first in the read', async () => {
    const { server: s, engine: e, dir } = await setup();
    const script = path.join(dir, 'one-line.mjs');
    writeFileSync(script, "console.log('the line, once'); setTimeout(() => {}, 5000);\n");
    const ws = await openSocket(`ws://127.0.0.1:${s.port}/ws`, bearer(s));
    const order: string[] = [];
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { event: keyof Events; payload: Events['log'] };
      if (message.event === 'log' && message.payload.some((g) => g.lines.some((l) => l.text === 'the line, once'))) order.push('live');
    });
    const job = await e.submit({ dcc: 'command', frames: '1', output: path.join(dir, 'out', 'f_####.png'), overrides: { template: `${quote(process.execPath)} ${quote(script)}` } });
    // Read the log the moment the engine has the line, well inside the batcher's 50 ms gathering.
    const read = await new Promise<RawResponse>((resolve) => {
      e.on('log', ({ line }) => {
        if (line === 'the line, once') void api(s, 'jobs.log', { id: job.id }).then(resolve);
      });
    });
    order.push('read');
    ws.close();
    expect(read.status).toBe(200);
    expect(order).toEqual(['live', 'read']);
  });
});

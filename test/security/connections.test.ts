import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobSummary } from '../../src-preload/contract';
import { Engine } from '../../src-main/engine/engine';
import { startServer, type RunningServer } from '../../src-main/server/server';
import { CLI, fakeFrameTemplate, tempDir } from '../helpers/fake-dcc';
import { waitFor } from '../helpers/wait';

/**
 * Sockets that never show the token: 1,100 idle ones took every descriptor of `spool serve`, and
 * every render then failed with EMFILE. Loopback only, bounded loops.
 */

let engine: Engine | null = null;
let server: RunningServer | null = null;
const children: ChildProcess[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await server?.close();
  await engine?.stop();
  server = null;
  engine = null;
});

/** Opens `n` raw TCP connections that say nothing; resolves once each connected or failed. */
async function idleSockets(port: number, n: number): Promise<{ open: () => number }> {
  const mine: net.Socket[] = [];
  await Promise.all(
    Array.from({ length: n }, () => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.on('error', () => undefined);
      mine.push(socket);
      sockets.push(socket);
      return new Promise<void>((resolve) => {
        socket.once('connect', () => resolve());
        socket.once('close', () => resolve());
      });
    }),
  );
  return { open: () => mine.filter((s) => !s.destroyed && s.readyState === 'open').length };
}

/** util-linux: runs a command under a lower descriptor limit, no shell needed. */
const PRLIMIT = '/usr/bin/prlimit';

describe('connections without the token', () => {
  it('are capped and dropped when idle, while the token holder and renders go on', async () => {
    const dir = tempDir('spool-conn-');
    const dataDir = path.join(dir, 'data');
    engine = await Engine.start({ dataDir, killGraceMs: 500 });
    server = await startServer({
      engine,
      host: '127.0.0.1',
      port: 0,
      rendererDir: dir,
      dataDir,
      detectors: { hardware: async () => null, dccs: async () => [] },
      connections: { maxUnproven: 16, unprovenMs: 1000, maxConnections: 64 },
    });
    const idle = await idleSockets(server.port, 200);
    // The oldest are dropped as new ones come: never more than the cap wait unproven.
    await waitFor('the cap', () => idle.open() <= 16);

    const answer = await fetch(`http://127.0.0.1:${server.port}/api/app.info`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(answer.status).toBe(200);
    const job = await engine.submit({ dcc: 'command', frames: '1-2', chunk: 1, output: path.join(dir, 'out', 'f_####.png'), overrides: { template: fakeFrameTemplate() }, priority: 0 });
    await engine.untilIdle();
    expect(engine.jobDetail(job.id).job).toMatchObject({ status: 'succeeded' });

    // …and the ones left are dropped within their grace period.
    await waitFor('idle sockets dropped', () => idle.open() === 0, 5000);
  });

  it.skipIf(!existsSync(PRLIMIT))('cannot take the descriptors a render needs from spool serve under a 256 descriptor limit', async () => {
    const dir = tempDir('spool-conn-serve-');
    const dataDir = path.join(dir, 'data');
    mkdirSync(dataDir);
    const child = spawn(PRLIMIT, ['--nofile=256', process.execPath, CLI, '--data-dir', dataDir, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const url = await waitFor('spool serve', () => /^http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+)$/m.exec(out) ?? undefined);
    const [port, token] = [Number(url[1]), url[2]!];

    // More than the process has descriptors.
    const idle = await idleSockets(port, 400);
    await waitFor('the cap', () => idle.open() <= 32);

    const api = async <T>(command: string, input: unknown): Promise<T> => {
      const res = await fetch(`http://127.0.0.1:${port}/api/${command}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      });
      const body = (await res.json()) as { ok: boolean; value: T };
      expect(body.ok, JSON.stringify(body)).toBe(true);
      return body.value;
    };
    const job = await api<JobSummary>('jobs.submit', { dcc: 'command', frames: '1-3', chunk: 1, output: path.join(dir, 'out', 'f_####.png'), overrides: { template: fakeFrameTemplate() } });
    const done = await waitFor('the job to end', async () => {
      const now = await api<JobSummary[]>('jobs.list', {});
      const it = now.find((j) => j.id === job.id);
      return it && ['succeeded', 'failed'].includes(it.status) ? it : undefined;
    }, 30_000);
    expect(done, out).toMatchObject({ status: 'succeeded', framesDone: 3 });
  }, 60_000);
});

describe('spool serve --open', () => {
  it('hands the browser a one-time address, never the token', async () => {
    const dir = tempDir('spool-open-');
    const dataDir = path.join(dir, 'data');
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    const argvFile = path.join(dir, 'argv');
    writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${argvFile}'\n`);
    chmodSync(path.join(bin, 'xdg-open'), 0o755);
    const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'serve', '--port', '0', '--open'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const argv = await waitFor('xdg-open to run', () => {
      try {
        return readFileSync(argvFile, 'utf8').trim() || undefined;
      } catch {
        return undefined;
      }
    });
    const token = readFileSync(path.join(dataDir, 'browser-token'), 'utf8').trim();
    expect(argv).not.toContain(token);
    expect(argv).not.toContain('token');
    const link = /^http:\/\/127\.0\.0\.1:(\d+)\/open\/[A-Za-z0-9_-]{43}$/.exec(argv);
    expect(link, argv).not.toBeNull();

    const first = await fetch(argv, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).toBe(`spool_token_${link![1]}=${token}`);
    const page = await fetch(`http://127.0.0.1:${link![1]}/api/app.info`, { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/json' }, body: '{}' });
    expect(page.status).toBe(200);

    const again = await fetch(argv, { redirect: 'manual' });
    expect(again.status).toBe(401);
    expect(again.headers.get('set-cookie')).toBeNull();
  });
});

import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DirListingDto } from '../../src-preload/contract';
import { Engine } from '../../src-main/engine/engine';
import { startServer, type RunningServer } from '../../src-main/server/server';
import { tempDir } from '../helpers/fake-dcc';

/**
 * The scene browser (`files.list`) over browser mode's real HTTP API. What it promises:
 * - no token, no listing (401), like every command;
 * - it lists the folder asked for and nothing else: a relative path or any `..` segment is refused
 *   before the disk is touched (400, field `dir`), raw or percent-encoded; answers hold only the
 *   asked folder's own entries, each path being that folder joined with one entry name;
 * - symbolic links are followed once to see what they point at and shown under their own path
 *   (marked `link`) only when the target is a readable folder or a scene file; broken links, links
 *   to other files and unreadable folders are left out;
 * - names only: never a file's contents.
 */

let engine: Engine | null = null;
let server: RunningServer | null = null;
afterEach(async () => {
  await server?.close();
  await engine?.stop();
  server = null;
  engine = null;
});

async function setup(): Promise<{ s: RunningServer; dir: string }> {
  const dir = tempDir('spool-browse-sec-');
  const rendererDir = path.join(dir, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Spool UI</title>');
  engine = await Engine.start({ dataDir: path.join(dir, 'data'), killGraceMs: 500 });
  server = await startServer({ engine, host: '127.0.0.1', port: 0, rendererDir, dataDir: path.join(dir, 'data'), detectors: { hardware: async () => null, dccs: async () => [] } });
  return { s: server, dir };
}

function list(s: RunningServer, input: unknown, token: string | null = s.token): Promise<{ status: number; body: { ok: boolean; value?: DirListingDto; error?: { field?: string; message: string }; text?: string } }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    const req = http.request({ host: '127.0.0.1', port: s.port, path: '/api/files.list', method: 'POST', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: res.headers['content-type']?.startsWith('application/json') ? JSON.parse(body) : { ok: false, text: body } }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(input));
  });
}

describe('scene browser (files.list) in browser mode', () => {
  it('answers 401 without the token or with a wrong one, and lists nothing', async () => {
    const { s, dir } = await setup();
    for (const token of [null, 'x'.repeat(43)]) {
      const res = await list(s, { dir }, token);
      expect(res.status).toBe(401);
      expect(JSON.stringify(res.body)).not.toContain('renderer');
    }
    expect((await list(s, { dir })).status).toBe(200);
  });

  it('refuses traversal: relative paths and .. segments, however written, before reading anything', async () => {
    const { s, dir } = await setup();
    const asked = path.join(dir, 'shots');
    mkdirSync(asked);
    for (const bad of [`${asked}/..`, `${asked}/../data`, `${asked}/sub/../../..`, '../etc', 'etc', `${asked}\\..\\data`, `${asked}//..//`]) {
      const res = await list(s, { dir: bad });
      expect(res.status, bad).toBe(400);
      expect(res.body.error?.field, bad).toBe('dir');
    }
    // `%2e%2e` is just a name here: JSON carries the path, nothing URL-decodes it, so it is a folder that does not exist.
    const encoded = await list(s, { dir: `${asked}/%2e%2e` });
    expect(encoded.status).toBe(400);
    expect(encoded.body.error?.message).toMatch(/no such folder/);
    expect((await list(s, { dir: `${asked}\0/x` })).status).toBe(400);
  });

  it('lists only the asked folder’s own entries: no listing reaches outside what was asked', async () => {
    const { s, dir } = await setup();
    const asked = path.join(dir, 'shots');
    mkdirSync(path.join(asked, 'sq010', 'deep'), { recursive: true });
    writeFileSync(path.join(asked, 'sq010', 'deep', 'hidden-deeper.blend'), 'x');
    writeFileSync(path.join(asked, 'a.blend'), 'SECRET-CONTENT');
    const res = await list(s, { dir: `${asked}/./` });
    expect(res.status).toBe(200);
    const listing = res.body.value!;
    expect(listing.dir).toBe(asked);
    for (const entry of listing.entries) expect(path.dirname(entry.path)).toBe(asked);
    expect(listing.entries.map((e) => e.name)).toEqual(['sq010', 'a.blend']);
    expect(JSON.stringify(res.body)).not.toContain('SECRET-CONTENT');
    expect(JSON.stringify(res.body)).not.toContain('hidden-deeper');
  });

  it('shows a symlink under its own path only when it points at a readable folder or a scene file', async () => {
    const { s, dir } = await setup();
    const asked = path.join(dir, 'shots');
    const elsewhere = path.join(dir, 'elsewhere');
    mkdirSync(asked);
    mkdirSync(path.join(elsewhere, 'locked'), { recursive: true });
    writeFileSync(path.join(elsewhere, 'real.blend'), 'x');
    writeFileSync(path.join(elsewhere, 'passwd'), 'root:x:0:0');
    symlinkSync(elsewhere, path.join(asked, 'to-folder'));
    symlinkSync(path.join(elsewhere, 'real.blend'), path.join(asked, 'linked.blend'));
    symlinkSync(path.join(elsewhere, 'passwd'), path.join(asked, 'passwd.blend.txt'));
    symlinkSync(path.join(elsewhere, 'passwd'), path.join(asked, 'disguised.blend'));
    symlinkSync(path.join(dir, 'nowhere'), path.join(asked, 'broken'));
    symlinkSync(path.join(elsewhere, 'locked'), path.join(asked, 'to-locked'));
    mkdirSync(path.join(asked, 'unreadable'));
    const root = process.getuid?.() === 0;
    chmodSync(path.join(elsewhere, 'locked'), 0o000);
    chmodSync(path.join(asked, 'unreadable'), 0o000);
    try {
      const listing = (await list(s, { dir: asked })).body.value!;
      const shown = listing.entries.map((e) => `${e.kind}:${e.name}${e.link ? '@' : ''}`);
      // A link to a file keeps the link's name: the extension shown is the one that was asked about.
      // `disguised.blend` points at a non-scene file but is named as a scene: listed as a scene, whose probe then fails on its content.
      expect(shown).toEqual(
        root
          ? ['dir:to-folder@', 'dir:to-locked@', 'dir:unreadable', 'scene:disguised.blend@', 'scene:linked.blend@']
          : ['dir:to-folder@', 'scene:disguised.blend@', 'scene:linked.blend@'],
      );
      for (const entry of listing.entries) expect(path.dirname(entry.path)).toBe(asked);
      // Following the folder link lists it under the link's path, as asked.
      const through = (await list(s, { dir: path.join(asked, 'to-folder') })).body.value!;
      expect(through.dir).toBe(path.join(asked, 'to-folder'));
      expect(through.entries.map((e) => e.name)).toEqual(root ? ['locked', 'real.blend'] : ['real.blend']);
      // Unreadable: refused with the field named (root reads everything, so only a non-root user sees this).
      if (!root) expect((await list(s, { dir: path.join(asked, 'unreadable') })).body.error).toMatchObject({ field: 'dir', message: expect.stringMatching(/not allowed/) });
    } finally {
      chmodSync(path.join(elsewhere, 'locked'), 0o755);
      chmodSync(path.join(asked, 'unreadable'), 0o755);
    }
  });
});

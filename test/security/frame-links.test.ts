import { copyFileSync, mkdirSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordedFrameImage } from '../../src-main/api/frame-file';
import { Engine } from '../../src-main/engine/engine';
import { startServer, type RunningServer } from '../../src-main/server/server';
import { fakeFrameTemplate, tempDir } from '../helpers/fake-dcc';

/**
 * The renderer owns its output folder while it runs: it can put a link where a frame was. The
 * thumbnail route (browser mode and the desktop app's protocol) followed it to any file.
 */

let engine: Engine | null = null;
let server: RunningServer | null = null;
afterEach(async () => {
  await server?.close();
  await engine?.stop();
  server = null;
  engine = null;
});

const SECRET = 'TOP-SECRET-SHADOW';

function get(port: number, urlPath: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath, headers: { Authorization: `Bearer ${token}` } }, (res) => {
        let body = '';
        res.setEncoding('latin1').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('frame thumbnails and links a renderer left', () => {
  it('serves a rendered frame, and refuses a link in its place or a real path outside the output folder', async () => {
    const dir = tempDir('spool-frame-links-');
    const dataDir = path.join(dir, 'data');
    const rendererDir = path.join(dir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html>');
    const secret = path.join(dir, 'shadow');
    writeFileSync(secret, SECRET);
    engine = await Engine.start({ dataDir, killGraceMs: 500 });
    server = await startServer({ engine, host: '127.0.0.1', port: 0, rendererDir, dataDir, detectors: { hardware: async () => null, dccs: async () => [] } });

    const out = path.join(dir, 'out');
    const job = await engine.submit({ dcc: 'command', frames: '1-3', chunk: 1, output: path.join(out, 'f_####.png'), overrides: { template: fakeFrameTemplate() }, priority: 0 });
    await engine.untilIdle();
    expect(engine.jobDetail(job.id).job).toMatchObject({ status: 'succeeded' });
    const frame = (n: number) => get(server!.port, `/files/frame?job=${job.id}&frame=${n}`, server!.token);
    expect((await frame(1)).status).toBe(200);
    const file = (n: number) => engine!.frameOutput(job.id, n)!;
    expect(path.dirname(file(1))).toBe(out);

    // f_0001.png → a secret file.
    unlinkSync(file(1));
    symlinkSync(secret, file(1));
    const linked = await frame(1);
    expect(linked.status).toBe(404);
    expect(linked.body).not.toContain(SECRET);

    // f_0002.png → a real PNG elsewhere (a link, though the target is an image).
    const elsewhere = path.join(dir, 'elsewhere.png');
    renameSync(file(2), elsewhere);
    symlinkSync(elsewhere, file(2));
    expect((await frame(2)).status).toBe(404);

    // The desktop app's protocol asks the same function.
    expect(recordedFrameImage(engine, job.id, 1)).toBeNull();
    expect(recordedFrameImage(engine, job.id, 2)).toBeNull();
    expect(recordedFrameImage(engine, job.id, 3)).toMatchObject({ contentType: 'image/png' });

    // A folder in the path swapped for a link to somewhere else: the real path leaves the output folder.
    const moved = path.join(dir, 'moved');
    mkdirSync(moved);
    copyFileSync(file(3), path.join(moved, path.basename(file(3))));
    renameSync(out, path.join(dir, 'out-old'));
    mkdirSync(out);
    expect((await frame(3)).status).toBe(404);
    // …and a frame whose output folder itself is the link: its real path is outside what the job names.
    renameSync(out, path.join(dir, 'out-empty'));
    symlinkSync(moved, out);
    expect((await frame(3)).status).toBe(200);
  });
});

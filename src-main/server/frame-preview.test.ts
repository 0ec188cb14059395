import { mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeFrameTemplate, quote, tempDir } from '../../test/helpers/fake-dcc';
import { createDispatcher } from '../api/dispatch';
import { Engine } from '../engine/engine';
import { startServer, type RunningServer } from './server';

/** Blender 3.4's multilayer EXR (Combined, Depth, Normal), 32×18. */
const MULTILAYER = path.resolve(__dirname, '../../test/fixtures/exr/blender-multilayer.exr');
const EXR_MAGIC = Buffer.from([0x76, 0x2f, 0x31, 0x01]);
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

let engine: Engine | null = null;
let server: RunningServer | null = null;
afterEach(async () => {
  await server?.close();
  await engine?.stop();
  server = null;
  engine = null;
});

async function exrJob(): Promise<{ s: RunningServer; e: Engine; jobId: number; frameFile: (f: number) => string; previews: string }> {
  const dir = tempDir('spool-preview-');
  const dataDir = path.join(dir, 'data');
  const rendererDir = path.join(dir, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html>');
  engine = await Engine.start({ dataDir, killGraceMs: 500, detect: false });
  server = await startServer({ engine, host: '127.0.0.1', port: 0, rendererDir, dataDir, detectors: { hardware: async () => null, dccs: async () => [] } });
  const pattern = path.join(dir, 'out dir', 'f_####.exr');
  const job = await engine.submit({ dcc: 'command', frames: '1-2', output: pattern, overrides: { template: fakeFrameTemplate(`--image ${quote(MULTILAYER)}`) }, priority: 0 });
  await engine.untilIdle();
  expect(engine.jobDetail(job.id).job.status).toBe('succeeded');
  const e = engine;
  return { s: server, e, jobId: job.id, frameFile: (f) => e.frameOutput(job.id, f)!, previews: path.join(dataDir, 'previews') };
}

function get(s: RunningServer, p: string): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: s.port, path: p, headers: { Authorization: `Bearer ${s.token}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

const pngSize = (png: Buffer): [number, number] => [png.readUInt32BE(16), png.readUInt32BE(20)];
const cached = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.png') && !f.startsWith('.'));

describe('/files/frame for frames a browser cannot show (EXR)', () => {
  it('answers a PNG preview of the beauty, never the raw EXR', async () => {
    const { s, jobId, previews } = await exrJob();
    const res = await get(s, `/files/frame?job=${jobId}&frame=2`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('image/png');
    expect(res.body.subarray(0, 4)).toEqual(PNG_MAGIC);
    expect(res.body.includes(EXR_MAGIC)).toBe(false);
    expect(pngSize(res.body)).toEqual([32, 18]);
    expect(cached(previews)).toHaveLength(1);
  });

  it('serves the cached preview again, and makes a new one when the file changed (new mtime)', async () => {
    const { s, jobId, frameFile, previews } = await exrJob();
    const first = await get(s, `/files/frame?job=${jobId}&frame=1`);
    const [made] = cached(previews);
    const madeAt = statSync(path.join(previews, made!)).mtimeMs;
    const second = await get(s, `/files/frame?job=${jobId}&frame=1`);
    expect(second.body).toEqual(first.body);
    expect(cached(previews)).toEqual([made]);
    expect(statSync(path.join(previews, made!)).mtimeMs).toBe(madeAt);

    const later = new Date(Date.now() + 60_000);
    utimesSync(frameFile(1), later, later);
    const third = await get(s, `/files/frame?job=${jobId}&frame=1`);
    expect(third.type).toBe('image/png');
    expect(cached(previews).sort()).toHaveLength(2);
  });

  it('shows another layer of a multilayer EXR when asked, and names the layers for the viewer', async () => {
    const { s, e, jobId } = await exrJob();
    const dispatch = createDispatcher(e, { mode: 'browser', detectors: { hardware: async () => null, dccs: async () => [] } });
    const info = await dispatch('frames.image', { id: jobId, frame: 1 });
    expect(info).toMatchObject({
      ok: true,
      value: { format: 'exr', preview: true, layers: ['ViewLayer.Combined', 'ViewLayer.Depth', 'ViewLayer.Normal'], defaultLayer: 'ViewLayer.Combined' },
    });
    expect(await dispatch('frames.reveal', { id: jobId, frame: 1 })).toEqual({ ok: true, value: false });
    expect((await dispatch('frames.image', { id: jobId, frame: 9 })).ok).toBe(false);

    const beauty = await get(s, `/files/frame?job=${jobId}&frame=1`);
    const normal = await get(s, `/files/frame?job=${jobId}&frame=1&layer=ViewLayer.Normal`);
    expect(normal.type).toBe('image/png');
    expect(normal.body.equals(beauty.body)).toBe(false);
    const missing = await get(s, `/files/frame?job=${jobId}&frame=1&layer=Nope`);
    expect(missing.status).toBe(404);
    expect(missing.body.toString()).toContain('no layer "Nope"');
    expect((await get(s, `/files/frame?job=${jobId}&frame=1&layer=%00`)).status).toBe(400);
  });
});

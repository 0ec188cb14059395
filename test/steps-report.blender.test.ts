import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src-main/engine/engine';
import { renderReport } from '../src-main/engine/report';
import type { JobSummary } from '../src-main/engine/types';
import { makeBlenderScene } from './helpers/blender';
import { fakeTemplate, tempDir } from './helpers/fake-dcc';
import { SCREENSHOTS } from '../e2e/helpers';

/**
 * The "done when" for steps and reports, for real: Blender renders frames, ffmpeg makes
 * the preview from them (checked with ffprobe), and the HTML report opens in Chromium offline.
 */
const SCREENSHOT = path.join(SCREENSHOTS, 'report.png');

function probe(file: string): { codec_name: string; width: number; height: number; pix_fmt: string; nb_read_frames: string } {
  const out = execFileSync(
    'ffprobe',
    ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=codec_name,width,height,pix_fmt,nb_read_frames', '-of', 'json', file],
    { encoding: 'utf8' },
  );
  return JSON.parse(out).streams[0];
}

function pngSize(file: string): { width: number; height: number } {
  const head = readFileSync(file).subarray(0, 24);
  return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
}

let dir: string;
let engine: Engine;
let spin: JobSummary;
let prores: JobSummary;
let lighting: JobSummary;
let comp: JobSummary;

beforeAll(async () => {
  dir = tempDir('spool-steps-');
  // Odd on purpose: H.264 in yuv420p needs even sides, so the movie must come out 64×36.
  const scene = await makeBlenderScene(dir, { file: 'spin.blend', start: 1, end: 8, resolution: [65, 37] });
  engine = await Engine.start({ dataDir: path.join(dir, 'data'), killGraceMs: 500, retryBaseMs: 50, detect: false });
  const jobs = await engine.submitMany([
    { name: 'spin', scene, frames: '1-8', chunk: 8, output: path.join(dir, 'render', 'spin_####'), steps: [{ kind: 'preview', fps: 8 }] },
    {
      name: 'spin_prores',
      scene,
      frames: '3-4',
      chunk: 2,
      output: path.join(dir, 'render_prores', 'spin_####'),
      after: ['spin'],
      steps: [{ kind: 'preview', codec: 'prores', sheet: false, to: path.join(dir, 'dailies') }],
    },
    { name: 'lighting_sh020', dcc: 'command', frames: '1-3', chunk: 3, output: path.join(dir, 'lic', 'f_####.png'), overrides: { template: fakeTemplate('--mode licence') } },
    { name: 'comp_sh020', dcc: 'command', frames: '1-3', output: path.join(dir, 'comp', 'f_####.png'), after: ['lighting_sh020'], overrides: { template: fakeTemplate() } },
  ]);
  [spin, prores, lighting, comp] = jobs as [JobSummary, JobSummary, JobSummary, JobSummary];
  await engine.untilIdle();
}, 180_000);

afterAll(async () => {
  await engine?.stop();
});

describe('preview step from real Blender frames', () => {
  it('encodes an H.264 mp4 with every frame at even dimensions, and a contact sheet', () => {
    const detail = engine.jobDetail(spin.id);
    expect(detail.job.status).toBe('succeeded');
    const step = detail.steps![0]!;
    expect(step).toMatchObject({ kind: 'preview', state: 'succeeded', attempts: 1 });
    const movie = path.join(dir, 'render', 'spin.mp4');
    const sheet = path.join(dir, 'render', 'spin_sheet.png');
    expect(step.outputs).toEqual([movie, sheet]);
    expect(probe(movie)).toEqual({ codec_name: 'h264', width: 64, height: 36, pix_fmt: 'yuv420p', nb_read_frames: '8' });
    // 8 frames → a 4×2 grid (no empty cell) of 160-pixel thumbnails with 4-pixel padding and margins.
    expect(pngSize(sheet)).toEqual({ width: 4 * 160 + 3 * 4 + 2 * 4, height: 2 * 92 + 1 * 4 + 2 * 4 });
    expect(readFileSync(step.logPath!, 'utf8')).toMatch(/spool: \$ .*ffmpeg .*libx264/);
    expect(existsSync(path.join(dir, 'render', '.spin.spool-tmp.mp4'))).toBe(false);
  });

  it('makes ProRes where asked, into another folder, after the job it waits for', () => {
    const detail = engine.jobDetail(prores.id);
    expect(detail.job.status).toBe('succeeded');
    const movie = path.join(dir, 'dailies', 'spin_prores.mov');
    expect(detail.steps![0]!.outputs).toEqual([movie]);
    expect(probe(movie)).toMatchObject({ codec_name: 'prores', width: 64, height: 36, nb_read_frames: '2' });
    expect(detail.attempts[0]!.startedAt).toBeGreaterThanOrEqual(engine.jobDetail(spin.id).steps![0]!.finishedAt!);
  });
});

describe('reports', () => {
  it('names what to do next for the failed and the blocked job (markdown and JSON)', () => {
    expect(engine.jobDetail(lighting.id).job.status).toBe('failed');
    expect(engine.jobDetail(comp.id).job.status).toBe('blocked');
    const md = renderReport(engine.store, 'md').text;
    expect(md).toContain(`- job ${lighting.id} "lighting_sh020": 3 frames failed with a licence error — not retried: fix the licence and run \`spool retry ${lighting.id}\``);
    expect(md).toContain(`- job ${comp.id} "comp_sh020": waits for job ${lighting.id} "lighting_sh020", which failed: fix that one first`);
    expect(md).toMatch(/\| 1 spin \| succeeded \| 8\/8 \| 0 \| \d/);

    const json = JSON.parse(renderReport(engine.store, 'json', { ids: [spin.id] }).text);
    expect(json.jobs).toHaveLength(1);
    const job = json.jobs[0];
    expect(job).toMatchObject({ name: 'spin', framesDone: 8, framesFailed: 0, devices: [expect.stringMatching(/^CPU \(\d+ threads?\)$/)] });
    expect(job.renderTime.count).toBe(8);
    expect(job.renderTime.minMs).toBeLessThanOrEqual(job.renderTime.medianMs);
    expect(job.renderTime.medianMs).toBeLessThanOrEqual(job.renderTime.maxMs);
    expect(job.output.folder).toBe(path.join(dir, 'render'));
    expect(job.steps[0].outputs[0]).toBe(path.join(dir, 'render', 'spin.mp4'));
  });

  it('is one self-contained HTML file that Chromium shows offline', async () => {
    const { text } = renderReport(engine.store, 'html');
    const file = path.join(dir, 'report.html');
    writeFileSync(file, text);
    expect(text).not.toMatch(/<script|<link |src="(?!data:)|url\(/);
    expect(text).toContain('<svg');
    expect((text.match(/src="data:image\/png;base64,/g) ?? []).length).toBeGreaterThanOrEqual(4);

    const browser = await chromium.launch({
      executablePath: process.env.SPOOL_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 1500 } });
      const fetched: string[] = [];
      page.on('request', (request) => {
        if (!/^(file|data):/.test(request.url())) fetched.push(request.url());
      });
      await page.goto(`file://${file}`);
      expect(fetched).toEqual([]);
      expect(await page.title()).toMatch(/^Spool render report/);
      await expect(page.locator('.next li').first().textContent()).resolves.toContain('3 frames failed with a licence error — not retried: fix the licence and run spool retry');
      expect(await page.locator('article.job').count()).toBe(4);
      expect(await page.locator('#job-1 svg rect.done').count()).toBe(8);
      expect(await page.locator(`#job-${lighting.id} svg rect.failed`).count()).toBe(3);
      // Every embedded image decoded (a broken data URI has no natural width).
      const widths = await page.locator('img').evaluateAll((imgs) => imgs.map((img) => (img as unknown as { naturalWidth: number }).naturalWidth));
      expect(widths.every((w) => w > 0)).toBe(true);
      mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true, type: 'png' });
    } finally {
      await browser.close();
    }
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
  });
});

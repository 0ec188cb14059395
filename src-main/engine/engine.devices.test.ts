import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { quote, tempDir } from '../../test/helpers/fake-dcc';
import { Engine } from './engine';

/**
 * Device assignment with a fixed GPU count: this machine has no GPU, so the count is given; the
 * children are real and report the device they were handed through their environment.
 */
let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

/** A child that records its CUDA_VISIBLE_DEVICES and how many siblings ran beside it. */
function probeScript(dir: string): string {
  const file = path.join(dir, 'probe.mjs');
  writeFileSync(
    file,
    `import fs from 'node:fs';
const [, , log, frame] = process.argv;
fs.appendFileSync(log, JSON.stringify({ frame: Number(frame), cuda: process.env.CUDA_VISIBLE_DEVICES ?? null, start: Date.now() }) + '\\n');
await new Promise((r) => setTimeout(r, 400));
fs.appendFileSync(log, JSON.stringify({ frame: Number(frame), end: Date.now() }) + '\\n');
`,
  );
  return file;
}

function runs(log: string) {
  const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const starts = lines.filter((l) => 'start' in l);
  return starts.map((s) => ({ ...s, end: lines.find((l) => l.frame === s.frame && 'end' in l).end }));
}

/** Most spans running at one instant (a sweep over start and end points). */
function maxOverlap(spans: { start: number; end: number }[]): number {
  const points = spans.flatMap((s) => [
    [s.start, 1],
    [s.end, -1],
  ]);
  points.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let running = 0;
  let most = 0;
  for (const [, delta] of points) {
    running += delta!;
    most = Math.max(most, running);
  }
  return most;
}

describe('device assignment', () => {
  it('runs one render per GPU at a time and hands each its index', async () => {
    const dir = tempDir();
    engine = await Engine.start({ dataDir: path.join(dir, 'data'), gpuCount: 2, detect: false });
    const log = path.join(dir, 'log');
    const template = `${quote(process.execPath)} ${quote(probeScript(dir))} ${quote(log)} {frame}`;
    const job = await engine.submit({ dcc: 'command', frames: '1-6', device: 'any-gpu', overrides: { template } });
    await engine.untilIdle();
    expect(engine.jobDetail(job.id).job.status).toBe('succeeded');
    const spans = runs(log);
    expect(spans).toHaveLength(6);
    expect(new Set(spans.map((s) => s.cuda))).toEqual(new Set(['0', '1']));
    expect(maxOverlap(spans)).toBe(2);
    // Never two renders on one GPU at once.
    for (const gpu of ['0', '1']) expect(maxOverlap(spans.filter((s) => s.cuda === gpu))).toBe(1);
  });

  it('pins a job to the GPU it asked for', async () => {
    const dir = tempDir();
    engine = await Engine.start({ dataDir: path.join(dir, 'data'), gpuCount: 2, detect: false });
    const log = path.join(dir, 'log');
    const template = `${quote(process.execPath)} ${quote(probeScript(dir))} ${quote(log)} {frame}`;
    await engine.submit({ dcc: 'command', frames: '1-3', device: { gpu: 1 }, overrides: { template } });
    await engine.untilIdle();
    expect(runs(log).map((s) => s.cuda)).toEqual(['1', '1', '1']);
  });

  it('fails a GPU job at once, with the reason, on a machine without GPUs', async () => {
    const dir = tempDir();
    engine = await Engine.start({ dataDir: path.join(dir, 'data'), gpuCount: 0, detect: false });
    const job = await engine.submit({ dcc: 'command', frames: '1', device: 'any-gpu', overrides: { template: 'true' } });
    await engine.untilIdle();
    const done = engine.jobDetail(job.id).job;
    expect(done.status).toBe('failed');
    expect(done.reason).toMatch(/needs a GPU but none was found.*not retried/);
  });

  it('keeps CPU renders to the job slots and splits the cores between them', async () => {
    const dir = tempDir();
    engine = await Engine.start({ dataDir: path.join(dir, 'data'), logicalCores: 8, detect: false });
    const log = path.join(dir, 'log');
    const template = `${quote(process.execPath)} ${quote(probeScript(dir))} ${quote(log)} {frame}`;
    const job = await engine.submit({ dcc: 'command', frames: '1-4', slots: 2, overrides: { template } });
    await engine.untilIdle();
    expect(maxOverlap(runs(log))).toBe(2);
    const devices = engine.jobDetail(job.id).attempts.map((a) => a.device);
    expect(devices.every((d) => d.kind === 'cpu' && d.threads === 4)).toBe(true);
  });
});

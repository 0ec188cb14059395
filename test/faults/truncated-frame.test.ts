import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src-main/engine/engine';
import { quote, renderCounts, tempDir } from '../helpers/fake-dcc';
import { pngProblem, privateFakeDcc } from '../chaos/support';

/**
 * A frame the renderer reported saved but whose file is cut short (a full disk: Blender prints
 * "Saved:" and the PNG has no IEND) must not count as done, and a done frame whose file was later
 * deleted or damaged must not be reported done, nor skipped by retry (issue 15, finding 4).
 */

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

async function start(dir: string): Promise<Engine> {
  engine = await Engine.start({ dataDir: path.join(dir, 'data'), killGraceMs: 500, retryBaseMs: 100, detect: false });
  return engine;
}

function fakeJob(dir: string, fake: string, flags: string, retries: number): Record<string, unknown> {
  const template = `${quote(process.execPath)} ${quote(fake)} --start {start} --end {end} --out {output} ${flags}`;
  return { dcc: 'command', frames: '1-3', chunk: 3, retries, output: path.join(dir, 'out', 'f_####.png'), overrides: { template } };
}

const frameFile = (dir: string, frame: number): string => path.join(dir, 'out', `f_${String(frame).padStart(4, '0')}.png`);

describe('a frame file cut short', () => {
  it('"Saved" with a PNG missing its IEND fails the attempt as an incomplete file; the retry renders it whole', async () => {
    const dir = tempDir('spool-truncated-');
    const e = await start(dir);
    const fake = privateFakeDcc(dir);
    const job = await e.submit(fakeJob(dir, fake, `--mode truncated --mode-frame 2 --fail-once ${quote(path.join(dir, 'once'))}`, 1));
    await e.untilIdle();

    const detail = e.jobDetail(job.id);
    expect(detail.job.status).toBe('succeeded');
    expect(detail.attempts.map((a) => a.reason)).toEqual([`frame 2 is an incomplete file (cut short, no end marker): ${frameFile(dir, 2)}`, null]);
    for (const frame of [1, 2, 3]) expect(pngProblem(frameFile(dir, frame)), `frame ${frame}`).toBeNull();
  });

  it('with no retries left the job fails saying so, and frame 2 is not done', async () => {
    const dir = tempDir('spool-truncated-');
    const e = await start(dir);
    const fake = privateFakeDcc(dir);
    const job = await e.submit(fakeJob(dir, fake, '--mode truncated --mode-frame 2', 0));
    await e.untilIdle();
    const detail = e.jobDetail(job.id);
    expect(detail.job.status).toBe('failed');
    expect(detail.frames.find((f) => f.frame === 2)?.state).not.toBe('done');
    expect(detail.job.reason).toContain('frame 2 is an incomplete file');
  });
});

describe('a done frame whose file was lost afterwards', () => {
  it('report counts it not done, and retry renders only the lost frames again', async () => {
    const dir = tempDir('spool-lost-');
    const e = await start(dir);
    const fake = privateFakeDcc(dir);
    const counter = path.join(dir, 'count');
    const job = await e.submit(fakeJob(dir, fake, `--counter ${quote(counter)}`, 0));
    await e.untilIdle();
    expect(e.jobDetail(job.id).job.status).toBe('succeeded');

    // Frame 2 is cut short afterwards (the disk filled on a later write), frame 3 deleted.
    const whole = readFileSync(frameFile(dir, 2));
    writeFileSync(frameFile(dir, 2), whole.subarray(0, whole.length - 12));
    unlinkSync(frameFile(dir, 3));

    const report = JSON.parse(e.report('json', { ids: [job.id] }).text) as { jobs: { framesDone: number; framesFailed: number; status: string; frames: { frame: number; state: string }[] }[] };
    expect(report.jobs[0]).toMatchObject({ status: 'failed', framesDone: 1, framesFailed: 2 });
    expect(report.jobs[0]!.frames.map((f) => f.state)).toEqual(['done', 'failed', 'failed']);

    const retried = e.retry(job.id);
    expect(retried.framesDone).toBe(1);
    await e.untilIdle();
    expect(e.jobDetail(job.id).job.status).toBe('succeeded');
    for (const frame of [1, 2, 3]) expect(pngProblem(frameFile(dir, frame)), `frame ${frame}`).toBeNull();
    expect([...renderCounts(counter)].sort()).toEqual([[1, 1], [2, 2], [3, 2]]);
  });
});

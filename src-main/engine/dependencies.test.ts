import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeTemplate, quote, tempDir } from '../../test/helpers/fake-dcc';
import { findCycle, prepareJobs } from './commands';
import { Engine } from './engine';
import type { JobSummary } from './types';

/** Job dependencies and after-render steps, with the real engine, store and fake renderer. */
let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

async function start(): Promise<{ engine: Engine; dir: string }> {
  const dir = tempDir('spool-deps-');
  engine = await Engine.start({ dataDir: path.join(dir, 'data'), killGraceMs: 500, retryBaseMs: 50, detect: false });
  return { engine, dir };
}

const job = (dir: string, name: string, extra = '', more: Record<string, unknown> = {}) => ({
  dcc: 'command',
  name,
  frames: '1-3',
  chunk: 3,
  retries: 0,
  output: path.join(dir, name, 'f_####.png'),
  overrides: { template: fakeTemplate(extra) },
  ...more,
});

const status = (e: Engine, id: number): JobSummary => e.jobDetail(id).job;

describe('job dependencies', () => {
  it('blocks the chain when the first job fails, names why, and a retry of it finishes both', async () => {
    const { engine: e, dir } = await start();
    const once = path.join(dir, 'licence-once');
    const [light, comp] = await e.submitMany([
      job(dir, 'lighting_sh010', `--mode licence --fail-once ${quote(once)}`),
      job(dir, 'comp_sh010', '', { after: ['lighting_sh010'] }),
    ]);
    expect(status(e, comp!.id)).toMatchObject({ status: 'queued', reason: 'waiting for "lighting_sh010"' });
    await e.untilIdle();

    expect(status(e, light!.id).status).toBe('failed');
    const blocked = status(e, comp!.id);
    expect(blocked.status).toBe('blocked');
    expect(blocked.reason).toBe(`waiting for "lighting_sh010" (job ${light!.id}), which failed`);
    expect(e.jobDetail(comp!.id).attempts).toHaveLength(0);
    expect(e.jobDetail(comp!.id).deps).toEqual([{ id: light!.id, name: 'lighting_sh010', status: 'failed' }]);
    expect(e.listJobs().find((j) => j.id === comp!.id)).toMatchObject({ status: 'blocked', reason: blocked.reason });

    e.retry(light!.id);
    expect(status(e, comp!.id).status).toBe('queued');
    await e.untilIdle();
    expect(status(e, light!.id).status).toBe('succeeded');
    expect(status(e, comp!.id).status).toBe('succeeded');
    // The dependent started only after the job it waits for had finished.
    const lightEnd = Math.max(...e.jobDetail(light!.id).attempts.map((a) => a.endedAt!));
    expect(e.jobDetail(comp!.id).attempts[0]!.startedAt).toBeGreaterThanOrEqual(lightEnd);
  });

  it('blocks transitively and when the awaited job is canceled', async () => {
    const { engine: e, dir } = await start();
    const [a, b, c] = await e.submitMany([
      job(dir, 'a', '--ms-per-frame 2000'),
      job(dir, 'b', '', { after: ['a'] }),
      job(dir, 'c', '', { after: ['b'] }),
    ]);
    e.setIntent(a!.id, 'canceled');
    await e.untilIdle();
    expect(status(e, b!.id)).toMatchObject({ status: 'blocked', reason: `waiting for "a" (job ${a!.id}), which was canceled` });
    expect(status(e, c!.id)).toMatchObject({ status: 'blocked', reason: `waiting for "b" (job ${b!.id}), which is blocked` });
  });

  it('waits for an existing job by id, and refuses unknown names, self-waits and cycles at submit', async () => {
    const { engine: e, dir } = await start();
    const first = await e.submit(job(dir, 'first'));
    const second = await e.submit(job(dir, 'second', '', { after: [first.id] }));
    await e.untilIdle();
    expect(status(e, second.id).status).toBe('succeeded');

    await expect(e.submit(job(dir, 'x', '', { after: ['nope'] }))).rejects.toThrow('after: no job "nope" in this batch or the queue');
    await expect(e.submitMany([job(dir, 'solo', '', { after: ['solo'] })])).rejects.toThrow('"solo" cannot wait for itself');
    await expect(
      e.submitMany([job(dir, 'a', '', { after: ['b'] }), job(dir, 'b', '', { after: ['c'] }), job(dir, 'c', '', { after: ['a'] })]),
    ).rejects.toThrow('jobs[0]: after: dependency cycle: a → b → c → a');
    expect(e.listJobs()).toHaveLength(2);
  });

  it('refuses to delete a job others still wait for', async () => {
    const { engine: e, dir } = await start();
    const [a, b] = await e.submitMany([job(dir, 'a', '--mode licence'), job(dir, 'b', '', { after: ['a'] })]);
    await e.untilIdle();
    expect(() => e.delete(a!.id)).toThrow(`job ${b!.id} "b" waits for job ${a!.id}; cancel or delete it first`);
    e.setIntent(b!.id, 'canceled');
    e.delete(a!.id);
    expect(e.jobDetail(b!.id).deps).toEqual([]);
  });

  it('finds cycles in the waits-for graph', () => {
    expect(findCycle([[1], [2], []])).toBeNull();
    expect(findCycle([[1], [0]])).toEqual([0, 1, 0]);
    expect(findCycle([[], [2], [3], [1]])).toEqual([1, 2, 3, 1]);
  });
});

describe('after-render steps', () => {
  it('runs a command step with tokens as argv, never a shell, and shows it in the job', async () => {
    const { engine: e, dir } = await start();
    const record = path.join(dir, 'record.mjs');
    writeFileSync(record, "import fs from 'node:fs'; fs.writeFileSync(process.argv[2], JSON.stringify(process.argv.slice(3)));\n");
    const out = path.join(dir, 'argv.json');
    const submitted = await e.submit(
      job(dir, "sh 010; rm -rf ~", '', {
        frames: '5-9',
        steps: [{ kind: 'command', run: `${quote(process.execPath)} ${quote(record)} ${quote(out)} {job} {first}-{last} x{count}y {output_dir}` }],
      }),
    );
    await e.untilIdle();
    const detail = e.jobDetail(submitted.id);
    expect(detail.job.status).toBe('succeeded');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(['sh 010; rm -rf ~', '5-9', 'x5y', path.join(dir, 'sh 010; rm -rf ~')]);
    expect(detail.steps).toHaveLength(1);
    expect(detail.steps![0]).toMatchObject({ kind: 'command', state: 'succeeded', attempts: 1 });
    expect(readFileSync(detail.steps![0]!.logPath!, 'utf8')).toMatch(/spool: \$ .*record\.mjs/);
  });

  it('fails the job with the step reason; retry reruns only the step, not the frames', async () => {
    const { engine: e, dir } = await start();
    const flag = path.join(dir, 'step-ok');
    const check = path.join(dir, 'check.mjs');
    writeFileSync(check, "import fs from 'node:fs'; if (!fs.existsSync(process.argv[2])) { console.error('upload server said no'); process.exit(4); }\n");
    const counter = path.join(dir, 'count');
    const submitted = await e.submit(
      job(dir, 'shot', `--counter ${quote(counter)}`, {
        steps: [{ kind: 'command', run: `${quote(process.execPath)} ${quote(check)} ${quote(flag)}`, retries: 0 }],
      }),
    );
    await e.untilIdle();
    const failed = status(e, submitted.id);
    expect(failed.status).toBe('failed');
    expect(failed.reason).toBe('command step: node exited with code 4: upload server said no');
    expect(failed.framesDone).toBe(3);

    writeFileSync(flag, '');
    e.retry(submitted.id);
    await e.untilIdle();
    expect(status(e, submitted.id).status).toBe('succeeded');
    expect(readFileSync(counter, 'utf8').trim().split('\n')).toEqual(['1', '2', '3']);
    expect(e.jobDetail(submitted.id).steps![0]).toMatchObject({ state: 'succeeded', attempts: 2 });
  });

  it('copies and then moves the frames, the store following the moved files', async () => {
    const { engine: e, dir } = await start();
    const submitted = await e.submit(
      job(dir, 'mv', '', {
        steps: [
          { kind: 'copy', to: path.join(dir, 'dailies', '{job}') },
          { kind: 'move', to: path.join(dir, 'final') },
        ],
      }),
    );
    await e.untilIdle();
    const detail = e.jobDetail(submitted.id);
    expect(detail.job.status).toBe('succeeded');
    expect(existsSync(path.join(dir, 'dailies', 'mv', 'f_0002.png'))).toBe(true);
    expect(existsSync(path.join(dir, 'mv', 'f_0002.png'))).toBe(false);
    expect(detail.frames.map((f) => f.output)).toEqual([1, 2, 3].map((n) => path.join(dir, 'final', `f_000${n}.png`)));
    expect(detail.steps!.map((s) => s.outputs)).toEqual([[path.join(dir, 'dailies', 'mv')], [path.join(dir, 'final')]]);
  });
});

describe('DCC version', () => {
  it('picks the install of the version asked for, or refuses naming what is missing', async () => {
    const { engine: e, dir } = await start();
    const scene = path.join(dir, 'a.blend');
    writeFileSync(scene, '');
    const { items } = await prepareJobs(e.store, [{ scene, frames: '1', version: '3.4' }], { dryRun: true });
    expect(items[0]!.spec.overrides.executable).toMatch(/blender$/);
    await expect(prepareJobs(e.store, [{ scene, frames: '1', version: '9.9' }], { dryRun: true })).rejects.toThrow(
      'jobs[0]: version: no Blender 9.9 found on this machine',
    );
  });
});

import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../src-main/engine/engine';
import { fakeTemplate, renderCounts, tempDir } from './helpers/fake-dcc';
import { spoolSync } from './helpers/spool-cli';
import { waitFor } from './helpers/wait';

/** `spool pause` beside a running engine: the CLI writes the store, the engine notices and stops the work. */
let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

async function runningJob(dir: string, counter: string) {
  const dataDir = path.join(dir, 'data');
  engine = await Engine.start({ dataDir, detect: false, watchPollMs: 0, killGraceMs: 500 });
  const job = await engine.submit({
    dcc: 'command',
    frames: '1-20',
    chunk: 20,
    output: path.join(dir, 'out', 'f_####.png'),
    overrides: { template: fakeTemplate(`--ms-per-frame 300 --counter ${counter}`) },
  });
  const e = engine;
  await waitFor('the first frame', () => e.jobDetail(job.id).job.framesDone >= 1, 20_000);
  return { e, job, dataDir };
}

describe('spool pause', () => {
  it('by default lets the frame in progress finish, and records the attempt as paused', async () => {
    const dir = tempDir('spool-cli-pause-');
    const counter = path.join(dir, 'count');
    const { e, job, dataDir } = await runningJob(dir, counter);
    const out = spoolSync(dataDir, ['pause', String(job.id)]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(new RegExp(`job ${job.id} ".*": pausing after the frame in progress`));
    // Done when the CLI returned: the engine stops the child only once the frame after these is saved.
    const doneAtPause = e.jobDetail(job.id).job.framesDone;
    await e.untilIdle();
    const detail = e.jobDetail(job.id);
    expect(detail.job.status).toBe('paused');
    expect(detail.job.framesDone).toBeGreaterThan(doneAtPause);
    expect(detail.job.framesDone).toBeLessThan(20);
    expect(detail.attempts.map((a) => a.outcome)).toEqual(['paused']);
    expect(detail.tasks[0]!.failures).toBe(0);
    // Every frame the child finished is a done frame: nothing it rendered was thrown away.
    expect(renderCounts(counter).size).toBe(detail.job.framesDone);
  });

  it('--now stops the child at once', async () => {
    const dir = tempDir('spool-cli-pause-');
    const { e, job, dataDir } = await runningJob(dir, path.join(dir, 'count'));
    const out = spoolSync(dataDir, ['pause', '--now', String(job.id)]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(new RegExp(`job ${job.id} ".*": pausing now`));
    await e.untilIdle();
    const detail = e.jobDetail(job.id);
    expect(detail.job.status).toBe('paused');
    expect(detail.attempts.map((a) => a.outcome)).toEqual(['paused']);
    expect(detail.job.framesDone).toBeLessThan(20);
  });

  it('refuses --now on other commands', () => {
    const dir = tempDir('spool-cli-pause-');
    const out = spoolSync(path.join(dir, 'data'), ['resume', '--now', '1']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--now/);
  });
});

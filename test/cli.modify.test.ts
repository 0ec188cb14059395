import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../src-main/engine/engine';
import { StoreQueue } from '../src-main/engine/queue-client';
import { fakeTemplate, renderCounts, tempDir } from './helpers/fake-dcc';
import { spoolSync } from './helpers/spool-cli';
import { waitFor } from './helpers/wait';

/** `spool modify` through the real CLI on a real store, beside a real engine where one renders. */
let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

function submitted(dataDir: string, args: string[]): number {
  const out = spoolSync(dataDir, ['submit', ...args]);
  expect(out.stderr.replace(/No Spool engine is running.*\n/, '')).toBe('');
  expect(out.code).toBe(0);
  return Number(out.stdout.trim());
}

describe('spool modify', () => {
  it('keeps done frames, drops frames the new set leaves out (their files stay), re-chunks the rest and renders them', async () => {
    const dir = tempDir('spool-cli-modify-');
    const dataDir = path.join(dir, 'data');
    const counter = path.join(dir, 'count');
    engine = await Engine.start({ dataDir, detect: false, watchPollMs: 0, killGraceMs: 500 });
    const e = engine;
    const first = await e.submit({
      dcc: 'command',
      frames: '1-6',
      chunk: 2,
      output: path.join(dir, 'out', 'f_####.png'),
      overrides: { template: fakeTemplate(`--ms-per-frame 150 --counter ${counter}`) },
    });
    await waitFor('frames 1 and 2', () => e.jobDetail(first.id).frames.filter((f) => f.state === 'done').length >= 2, 20_000);
    e.pause(first.id, { now: true });
    await e.untilIdle();
    const before = e.jobDetail(first.id);
    expect(before.job.status).toBe('paused');
    const doneBefore = before.frames.filter((f) => f.state === 'done').map((f) => f.frame);
    expect(doneBefore).toEqual(expect.arrayContaining([1, 2]));

    const out = spoolSync(dataDir, ['modify', String(first.id), '--frames', '2-8', '--chunk', '3', '--output', path.join(dir, 'new', 'g_####.png')]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`job ${first.id}`);
    expect(out.stdout).toContain('modified — paused, frames 2-8 (7');

    const changed = e.jobDetail(first.id);
    // Frame 1 left the job; its file is still where it was rendered.
    expect(changed.frames.map((f) => f.frame)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(existsSync(path.join(dir, 'out', 'f_0001.png'))).toBe(true);
    expect(changed.frames.find((f) => f.frame === 2)!.state).toBe('done');
    // The frames left to render sit in new chunks of 3; the chunk that ran keeps its attempt.
    const pendingTasks = changed.tasks.filter((t) => t.state === 'queued');
    const framesOf = (taskId: number) => changed.frames.filter((f) => f.taskId === taskId).map((f) => f.frame);
    expect(pendingTasks.map((t) => framesOf(t.id)).flat().length).toBe(7 - doneBefore.filter((f) => f >= 2).length);
    for (const task of pendingTasks) expect(framesOf(task.id).length).toBeLessThanOrEqual(3);
    expect(changed.attempts.length).toBe(before.attempts.length);

    e.setIntent(first.id, 'active');
    await e.untilIdle();
    const after = e.jobDetail(first.id);
    expect(after.job.status).toBe('succeeded');
    expect(after.job.framesDone).toBe(7);
    // Done frames were not rendered again; the new ones went to the new output.
    const counts = renderCounts(counter);
    for (const frame of doneBefore) expect(counts.get(frame)).toBe(1);
    for (const frame of [7, 8]) expect(existsSync(path.join(dir, 'new', `g_${String(frame).padStart(4, '0')}.png`))).toBe(true);
  }, 60_000);

  it('refuses a rendering job and a finished one, saying what to do', async () => {
    const dir = tempDir('spool-cli-modify-');
    const dataDir = path.join(dir, 'data');
    engine = await Engine.start({ dataDir, detect: false, watchPollMs: 0, killGraceMs: 500 });
    const e = engine;
    const template = fakeTemplate('--ms-per-frame 2000');
    const running = await e.submit({ dcc: 'command', frames: '1-3', chunk: 3, output: path.join(dir, 'o', 'a_####.png'), overrides: { template } });
    await waitFor('the job to run', () => e.job(running.id).status === 'running', 20_000);
    const refused = spoolSync(dataDir, ['modify', String(running.id), '--frames', '1-2']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`spool: job: job ${running.id} is rendering; pause it first, then modify it\n`);
    e.setIntent(running.id, 'canceled');
    await e.untilIdle();
    const finished = spoolSync(dataDir, ['modify', String(running.id), '--priority', '5']);
    expect(finished.code).toBe(2);
    expect(finished.stderr).toBe(`spool: job: job ${running.id} has finished (canceled); duplicate it to render again with changes\n`);
    expect(e.job(running.id).priority).toBe(0);
  }, 60_000);

  it('refuses bad values with the very messages submit gives, and changes nothing', () => {
    const dir = tempDir('spool-cli-modify-');
    const dataDir = path.join(dir, 'data');
    // A file where the output folder would be: no folder can be made there, whoever runs the test.
    const notAFolder = path.join(dir, 'plain-file');
    writeFileSync(notAFolder, '');
    const id = submitted(dataDir, ['--dcc', 'command', '--template', 'true {frame}', '--frames', '1-4']);
    const cases = [
      ['--frames', '1-x'],
      ['--chunk', '0'],
      ['--priority', '1000000'],
      ['--output', path.join(notAFolder, 'f_####.png')],
      ['--after', 'no-such-job'],
    ];
    for (const flags of cases) {
      const asSubmit = spoolSync(dataDir, ['submit', '--dcc', 'command', '--template', 'true {frame}', '--frames', '1', ...flags]);
      const asModify = spoolSync(dataDir, ['modify', String(id), ...flags]);
      expect(asSubmit.code, flags.join(' ')).toBe(2);
      expect(asModify.code, flags.join(' ')).toBe(2);
      expect(asModify.stderr, flags.join(' ')).toBe(asSubmit.stderr);
    }
    const job = JSON.parse(spoolSync(dataDir, ['show', String(id), '--json']).stdout) as { framesText: string; priority: number };
    expect(job.framesText).toBe('1-4');
    expect(job.priority).toBe(0);
  }, 120_000);

  it('refuses a dependency cycle, and a job waiting for itself', () => {
    const dir = tempDir('spool-cli-modify-');
    const dataDir = path.join(dir, 'data');
    const common = ['--dcc', 'command', '--template', 'true {frame}', '--frames', '1'];
    const a = submitted(dataDir, [...common, '--name', 'plates']);
    const b = submitted(dataDir, [...common, '--name', 'comp', '--after', String(a)]);
    const c = submitted(dataDir, [...common, '--name', 'grade', '--after', 'comp']);
    const cycle = spoolSync(dataDir, ['modify', String(a), '--after', String(c)]);
    expect(cycle.code).toBe(2);
    expect(cycle.stderr).toBe('spool: after: dependency cycle: "plates" → "grade" → "comp" → "plates"\n');
    const self = spoolSync(dataDir, ['modify', String(b), '--after', String(b)]);
    expect(self.code).toBe(2);
    expect(self.stderr).toBe(`spool: after: job ${b} cannot wait for itself\n`);
    // A change that keeps the graph acyclic goes through; --no-after clears the list.
    expect(spoolSync(dataDir, ['modify', String(c), '--after', String(a)]).code).toBe(0);
    const cleared = spoolSync(dataDir, ['modify', String(b), '--no-after', '--json']);
    expect(cleared.code).toBe(0);
    expect(spoolSync(dataDir, ['show', String(c)]).stdout).toContain(`after: ${a} "plates" (queued)\n`);
    expect(spoolSync(dataDir, ['show', String(b)]).stdout).not.toContain('after:');
  }, 120_000);

  it('--set changes or removes any override, other flags keep the rest', () => {
    const dir = tempDir('spool-cli-modify-');
    const dataDir = path.join(dir, 'data');
    const id = submitted(dataDir, ['--dcc', 'command', '--template', 'true {frame}', '--frames', '1-2', '--samples', '16']);
    const out = spoolSync(dataDir, ['modify', String(id), '--set', 'samples=', '--set', 'env.LOOK=warm', '--threads', '2', '--slots', '3']);
    expect(out.stderr).toBe('No Spool engine is running: start one with `spool run` to render.\n');
    expect(out.code).toBe(0);
    const queue = StoreQueue.open(dataDir);
    try {
      const job = queue.job(id);
      expect(job.overrides).toEqual({ template: 'true {frame}', env: { LOOK: 'warm' }, threads: 2 });
      expect(job.slots).toBe(3);
      expect(job.actions).toContain('modify');
    } finally {
      queue.close();
    }
  }, 60_000);
});

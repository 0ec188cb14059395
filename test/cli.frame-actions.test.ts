import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../src-main/engine/engine';
import { fakeTemplate, renderCounts, tempDir } from './helpers/fake-dcc';
import { spoolSync } from './helpers/spool-cli';
import { waitFor } from './helpers/wait';

/** `spool frames` as a real child process on a real store, beside a real engine or with none. */
let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

const spec = (dir: string, counter: string) => ({
  dcc: 'command',
  frames: '1-4',
  chunk: 2,
  output: path.join(dir, 'out', 'f_####.png'),
  overrides: { template: fakeTemplate(`--counter ${counter}`) },
});

describe('spool frames', () => {
  it('requeue beside a running engine: --dry-run counts the files, then only that frame renders again', async () => {
    const dir = tempDir('spool-cli-frames-');
    const counter = path.join(dir, 'count');
    const dataDir = path.join(dir, 'data');
    engine = await Engine.start({ dataDir, detect: false, watchPollMs: 0 });
    const job = await engine.submit(spec(dir, counter));
    await engine.untilIdle();

    const dry = spoolSync(dataDir, ['frames', String(job.id), 'requeue', '2', '--dry-run']);
    expect(dry).toMatchObject({ code: 0, stderr: '' });
    expect(dry.stdout).toBe(`job ${job.id} "${job.name}": would have requeued frame 2; 1 rendered file will be overwritten\n`);

    const out = spoolSync(dataDir, ['frames', String(job.id), 'requeue', '2']);
    expect(out).toMatchObject({ code: 0, stderr: '' });
    expect(out.stdout).toContain(`requeued frame 2; 1 rendered file will be overwritten\njob ${job.id} is running`);
    const e = engine;
    await waitFor('frame 2 rendered again', () => renderCounts(counter).get(2) === 2, 20_000);
    await e.untilIdle();
    expect([...renderCounts(counter)].sort((a, b) => a[0] - b[0])).toEqual([[1, 1], [2, 2], [3, 1], [4, 1]]);
    expect(e.jobDetail(job.id).job.status).toBe('succeeded');
  });

  it('with no engine: suspend and resume are stored; refusals exit 2 naming the frames, an unknown job exits 3', async () => {
    const dir = tempDir('spool-cli-frames-');
    const dataDir = path.join(dir, 'data');
    engine = await Engine.start({ dataDir, detect: false, watchPollMs: 0 });
    const job = await engine.submit({ ...spec(dir, path.join(dir, 'count')), name: 'shot 10' });
    await engine.untilIdle();
    await engine.stop();
    engine = null;
    const id = String(job.id);

    const suspend = spoolSync(dataDir, ['frames', 'shot 10', 'suspend', '3-4']);
    expect(suspend).toMatchObject({ code: 2, stdout: '' });
    expect(suspend.stderr).toBe('spool: frames: nothing to suspend: frames 3,4 not suspended: already done\n');

    const requeue = spoolSync(dataDir, ['frames', id, 'requeue', '3', '4', '--json']);
    expect(requeue.code).toBe(0);
    expect(JSON.parse(requeue.stdout)).toMatchObject({ applied: true, frames: [3, 4], overwrites: 2, skipped: [] });
    expect(requeue.stderr).toContain('No Spool engine is running');
    expect(spoolSync(dataDir, ['frames', id, 'suspend', '3-5']).stdout).toBe(
      `job ${id} "shot 10": suspended frames 3,4; frame 5 not suspended: not in this job\njob ${id} is succeeded (done with 2 suspended)\n`,
    );
    expect(spoolSync(dataDir, ['frames', id, 'resume', '3-4']).stdout).toContain(`job ${id} is running`);

    expect(spoolSync(dataDir, ['frames', '99', 'resume', '1'])).toMatchObject({ code: 3, stderr: 'spool: no job "99"\n' });
    expect(spoolSync(dataDir, ['frames', id, 'redo', '1'])).toMatchObject({ code: 2, stderr: 'spool: ACTION: "redo" is not a frame action: use requeue, suspend, resume, complete\n' });
    expect(spoolSync(dataDir, ['frames', id, 'suspend']).stderr).toBe(`spool: FRAMES: which frames? e.g. spool frames ${id} suspend 10-20\n`);
    expect(spoolSync(dataDir, ['frames', id, 'suspend', '1-']).code).toBe(2);
  });
});

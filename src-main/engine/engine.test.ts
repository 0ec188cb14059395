import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeTemplate, renderCounts, tempDir } from '../../test/helpers/fake-dcc';
import { Engine } from './engine';
import { autoChunkSize } from './scheduler/auto-chunk';
import type { JobSummary } from './types';

/** Real engine, real SQLite file, real child processes (the fake renderer), real files on disk. */
let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

async function start(): Promise<{ engine: Engine; dir: string }> {
  const dir = tempDir('spool-engine-');
  engine = await Engine.start({ dataDir: path.join(dir, 'data'), killGraceMs: 500 });
  return { engine, dir };
}

async function finished(e: Engine, id: number): Promise<JobSummary> {
  await e.untilIdle();
  return e.jobDetail(id).job;
}

describe('engine with a real child process', () => {
  it('renders every frame, checkpoints each one and succeeds', async () => {
    const { engine: e, dir } = await start();
    const counter = path.join(dir, 'count');
    const job = await e.submit({
      dcc: 'command',
      frames: '1-6',
      chunk: 3,
      output: path.join(dir, 'out', 'f_####.png'),
      overrides: { template: fakeTemplate(`--counter ${counter}`) },
    });
    const done = await finished(e, job.id);
    expect(done.status).toBe('succeeded');
    const detail = e.jobDetail(job.id);
    expect(detail.tasks).toHaveLength(2);
    for (const frame of detail.frames) {
      expect(frame.state).toBe('done');
      expect(frame.output).toBe(path.join(dir, 'out', `f_${String(frame.frame).padStart(4, '0')}.png`));
      expect(statSync(frame.output!).size).toBeGreaterThan(0);
    }
    expect([...renderCounts(counter).values()]).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it("stores each frame's render time as the renderer printed it (` Time:` after `Saved:`), as on a farm, not Spool's clock", async () => {
    const { engine: e, dir } = await start();
    const announced: [number, number | null][] = [];
    e.on('frame', (f) => {
      if (f.state === 'done') announced.push([f.frame, f.renderMs]);
    });
    const job = await e.submit({ dcc: 'command', frames: '1-3', chunk: 3, output: path.join(dir, 'out', 'f_####.png'), overrides: { template: fakeTemplate('--ms-per-frame 130') } });
    expect((await finished(e, job.id)).status).toBe('succeeded');
    expect(e.jobDetail(job.id).frames.map((f) => f.renderMs)).toEqual([130, 130, 130]);
    // Announced once each, with that time: the faces count done frames by these events.
    expect(announced).toEqual([[1, 130], [2, 130], [3, 130]]);
  });

  it('fails a missing frame after exit 0, then retry renders only that frame', async () => {
    const { engine: e, dir } = await start();
    const counter = path.join(dir, 'count');
    const job = await e.submit({
      dcc: 'command',
      frames: '1-4',
      chunk: 4,
      retries: 0,
      output: path.join(dir, 'out', 'f_####.png'),
      overrides: { template: fakeTemplate(`--counter ${counter} --mode missing --mode-frame 3 --fail-once ${path.join(dir, 'once')}`) },
    });
    const failed = await finished(e, job.id);
    expect(failed.status).toBe('failed');
    expect(failed.reason).toMatch(/frame 3 was not written/);
    expect(e.jobDetail(job.id).frames.map((f) => f.state)).toEqual(['done', 'done', 'failed', 'done']);

    e.retry(job.id);
    const retried = await finished(e, job.id);
    expect(retried.status).toBe('succeeded');
    // The retry's child got only frame 3: frames 1, 2 and 4 were rendered once.
    const counts = renderCounts(counter);
    expect(counts.get(1)).toBe(1);
    expect(counts.get(2)).toBe(1);
    expect(counts.get(4)).toBe(1);
    const lastAttempt = e.jobDetail(job.id).attempts.at(-1)!;
    expect(lastAttempt.argv).toContain('3');
  });

  it('does not retry a licence error', async () => {
    const { engine: e, dir } = await start();
    const licence = await e.submit({
      dcc: 'command',
      frames: '1-2',
      chunk: 2,
      retries: 3,
      output: path.join(dir, 'lic', 'f_####.png'),
      overrides: { template: fakeTemplate('--mode licence') },
    });
    const done = await finished(e, licence.id);
    expect(done.status).toBe('failed');
    expect(done.reason).toMatch(/licence: .*License error.*not retried/);
    expect(e.jobDetail(licence.id).attempts).toHaveLength(1);
  });

  it('fails at once when the scene file is missing at run time or the executable does not exist', async () => {
    const { engine: e, dir } = await start();
    const job = await e.submit({
      dcc: 'command',
      frames: '1',
      retries: 3,
      output: path.join(dir, 'x', 'f_####.png'),
      overrides: { template: `${path.join(dir, 'no-such-renderer')} --frame {frame}` },
    });
    const done = await finished(e, job.id);
    expect(done.status).toBe('failed');
    expect(done.reason).toMatch(/not found|not allowed/);
    expect(e.jobDetail(job.id).attempts).toHaveLength(1);
  });

  it('cancels a running job: the child is killed and its frames are canceled', async () => {
    const { engine: e, dir } = await start();
    const job = await e.submit({
      dcc: 'command',
      frames: '1-50',
      chunk: 50,
      output: path.join(dir, 'c', 'f_####.png'),
      overrides: { template: fakeTemplate('--ms-per-frame 200') },
    });
    await new Promise<void>((resolve) => {
      const onFrame = (f: { jobId: number; state: string }): void => {
        if (f.jobId === job.id && f.state === 'done') {
          e.off('frame', onFrame);
          resolve();
        }
      };
      e.on('frame', onFrame);
    });
    e.setIntent(job.id, 'canceled');
    const done = await finished(e, job.id);
    expect(done.status).toBe('canceled');
    const attempt = e.jobDetail(job.id).attempts[0]!;
    expect(attempt.endedAt).not.toBeNull();
    expect(() => process.kill(attempt.pid!, 0)).toThrow();
    expect(done.framesDone).toBeGreaterThan(0);
    expect(done.framesDone).toBeLessThan(50);
  });

  it('pauses (running work goes back to the queue) and resumes to the end', async () => {
    const { engine: e, dir } = await start();
    const counter = path.join(dir, 'count');
    const job = await e.submit({
      dcc: 'command',
      frames: '1-10',
      chunk: 10,
      output: path.join(dir, 'p', 'f_####.png'),
      overrides: { template: fakeTemplate(`--ms-per-frame 100 --counter ${counter}`) },
    });
    await new Promise((resolve) => setTimeout(resolve, 600));
    e.setIntent(job.id, 'paused');
    await e.untilIdle();
    expect(e.jobDetail(job.id).job.status).toBe('paused');
    e.setIntent(job.id, 'active');
    const done = await finished(e, job.id);
    expect(done.status).toBe('succeeded');
    // Frames finished before the pause were not rendered again after it.
    for (const [, n] of renderCounts(counter)) expect(n).toBe(1);
    expect(existsSync(path.join(dir, 'p', 'f_0010.png'))).toBe(true);
  });

  it('kills a stalled child and its grandchild, then retries and reports the stall', async () => {
    const { engine: e, dir } = await start();
    const job = await e.submit({
      dcc: 'command',
      frames: '1',
      retries: 0,
      stallTimeoutSec: 1,
      output: path.join(dir, 's', 'f_####.png'),
      overrides: { template: fakeTemplate('--mode hang') },
    });
    const done = await finished(e, job.id);
    expect(done.status).toBe('failed');
    expect(done.reason).toMatch(/no output for 1 s/);
  });
});

describe('automatic chunking', () => {
  it('measures the first chunk, remembers the scene, and sizes the next job from it', async () => {
    const { engine: e, dir } = await start();
    const scene = path.join(dir, 'shot.scene');
    writeFileSync(scene, 'a scene file the template passes on');
    const submit = () =>
      e.submit({
        dcc: 'command',
        scene,
        frames: '1-10',
        output: path.join(dir, 'auto', 'f_####.png'),
        overrides: { template: fakeTemplate('--ms-per-frame 150') },
      });
    const first = await submit();
    expect(e.jobDetail(first.id).tasks).toHaveLength(1); // unmeasured: one chunk per slot
    await finished(e, first.id);
    const timing = e.store.sceneStats.get(`command:${scene}`);
    expect(timing).not.toBeNull();
    expect(timing!.frameMs).toBeGreaterThan(100);

    const second = await submit();
    const size = autoChunkSize(10, 1, timing);
    expect(e.jobDetail(second.id).tasks).toHaveLength(Math.ceil(10 / size));
    expect((await finished(e, second.id)).status).toBe('succeeded');
  });
});

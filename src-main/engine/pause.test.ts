import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeTemplate, renderCounts, tempDir } from '../../test/helpers/fake-dcc';
import { Engine } from './engine';

/** Real engine, real SQLite, the fake renderer as a real child printing Blender-like `Saved:` lines. */
let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

async function start(): Promise<{ engine: Engine; dir: string }> {
  const dir = tempDir('spool-pause-');
  engine = await Engine.start({ dataDir: path.join(dir, 'data'), killGraceMs: 500 });
  return { engine, dir };
}

/** Waits (bounded) until `framesDone` reaches `n`, polling the store. */
async function untilFramesDone(e: Engine, id: number, n: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (e.jobDetail(id).job.framesDone < n) {
    if (Date.now() > deadline) throw new Error(`job ${id} never reached ${n} frames done`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** How many times each frame was saved, by the `Saved:` lines of all the job's attempts' logs. */
function savedCounts(e: Engine, id: number): [number, number][] {
  const counts = new Map<number, number>();
  for (const attempt of e.jobDetail(id).attempts) {
    const text = existsSync(attempt.logPath) ? readFileSync(attempt.logPath, 'utf8') : '';
    for (const m of text.matchAll(/Saved: '.*?(\d+)\.png'/g)) counts.set(Number(m[1]), (counts.get(Number(m[1])) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => a[0] - b[0]);
}

async function slowJob(e: Engine, dir: string, counter: string) {
  return e.submit({
    dcc: 'command',
    frames: '1-6',
    chunk: 6,
    retries: 0,
    output: path.join(dir, 'out', 'f_####.png'),
    // 400 ms a frame: a pause asked just after frame 1 is saved lands well inside frame 2.
    overrides: { template: fakeTemplate(`--ms-per-frame 400 --counter ${counter}`) },
  });
}

describe('pause', () => {
  it('after the current frame: the frame in progress is saved, the attempt is paused, no retry is spent', async () => {
    const { engine: e, dir } = await start();
    const counter = path.join(dir, 'count');
    const job = await slowJob(e, dir, counter);
    await untilFramesDone(e, job.id, 1);
    e.pause(job.id);
    await e.untilIdle();

    const paused = e.jobDetail(job.id);
    expect(paused.job.status).toBe('paused');
    // Frame 2 was rendering when the pause came: it was let finish and is done; 3-6 are queued.
    expect(paused.frames.map((f) => f.state)).toEqual(['done', 'done', 'queued', 'queued', 'queued', 'queued']);
    expect(existsSync(path.join(dir, 'out', 'f_0002.png'))).toBe(true);
    expect(paused.attempts).toHaveLength(1);
    expect(paused.attempts[0]!.outcome).toBe('paused');
    expect(paused.tasks[0]!.state).toBe('queued');
    expect(paused.tasks[0]!.failures).toBe(0);

    // retries: 0, yet the pause did not use the budget up: resume renders the rest, each frame once.
    e.setIntent(job.id, 'active');
    await e.untilIdle();
    const done = e.jobDetail(job.id);
    expect(done.job.status).toBe('succeeded');
    expect(savedCounts(e, job.id)).toEqual([1, 2, 3, 4, 5, 6].map((f) => [f, 1]));
    expect(done.attempts.map((a) => a.outcome)).toEqual(['paused', 'succeeded']);
  });

  it('now: kills the child at once, the frame in progress goes back to the queue', async () => {
    const { engine: e, dir } = await start();
    const counter = path.join(dir, 'count');
    const job = await slowJob(e, dir, counter);
    await untilFramesDone(e, job.id, 1);
    e.pause(job.id, { now: true });
    await e.untilIdle();

    const paused = e.jobDetail(job.id);
    expect(paused.job.status).toBe('paused');
    expect(paused.frames.map((f) => f.state)).toEqual(['done', 'queued', 'queued', 'queued', 'queued', 'queued']);
    expect(renderCounts(counter).has(2)).toBe(false);
    expect(paused.attempts[0]!.outcome).toBe('paused');
    expect(paused.tasks[0]!.failures).toBe(0);
  });

  it('a gentle pause turns into "now" when asked again with now', async () => {
    const { engine: e, dir } = await start();
    const job = await e.submit({
      dcc: 'command',
      frames: '1-3',
      chunk: 3,
      output: path.join(dir, 'out', 'f_####.png'),
      // Frames of 20 s: only "now" can end this attempt within the test's time.
      overrides: { template: fakeTemplate('--ms-per-frame 20000') },
    });
    // Once the child printed its first frame line, Spool knows it renders frame by frame.
    const deadline = Date.now() + 10_000;
    const log = () => e.jobDetail(job.id).attempts[0]?.logPath;
    while (!log() || !existsSync(log()!) || !readFileSync(log()!, 'utf8').includes('Fra:1')) {
      if (Date.now() > deadline) throw new Error('the child never printed a frame line');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    e.pause(job.id);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(e.jobDetail(job.id).job.status).toBe('running');
    e.pause(job.id, { now: true });
    await e.untilIdle();
    const paused = e.jobDetail(job.id);
    expect(paused.job.status).toBe('paused');
    expect(paused.attempts[0]!.outcome).toBe('paused');
  });
});

import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeTemplate, renderCounts, tempDir } from '../../test/helpers/fake-dcc';
import { Engine } from './engine';
import { StoreQueue } from './queue-client';

/** Frame actions through the real engine and store, the fake renderer as a real child. */
let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

const job = (dir: string, counter: string, over: Record<string, unknown> = {}) => ({
  dcc: 'command',
  frames: '1-8',
  chunk: 4,
  retries: 0,
  output: path.join(dir, 'out', 'f_####.png'),
  overrides: { template: fakeTemplate(`--counter ${counter}`) },
  ...over,
});

const states = (e: { jobDetail(id: number): { frames: { state: string }[] } }, id: number) => e.jobDetail(id).frames.map((f) => f.state).join(' ');

describe('frame actions', () => {
  it('requeue frames 3-4 of a finished job: a preview counts the files, then only they render again, in a new chunk', async () => {
    const dir = tempDir('spool-frameact-');
    const counter = path.join(dir, 'count');
    engine = await Engine.start({ dataDir: path.join(dir, 'data') });
    const submitted = await engine.submit(job(dir, counter));
    await engine.untilIdle();
    const out = (f: number) => path.join(dir, 'out', `f_${String(f).padStart(4, '0')}.png`);
    const before = [1, 2, 5, 8].map((f) => statSync(out(f)).mtimeMs);

    const preview = engine.frameAction(submitted.id, 'requeue', '3-4', { preview: true });
    expect(preview).toMatchObject({ applied: false, frames: [3, 4], overwrites: 2, message: 'requeued frames 3,4; 2 rendered files will be overwritten' });
    expect(states(engine, submitted.id)).toBe('done done done done done done done done');

    const reply = engine.frameAction(submitted.id, 'requeue', '3-4');
    expect(reply.applied).toBe(true);
    await engine.untilIdle();
    const detail = engine.jobDetail(submitted.id);
    expect(detail.job.status).toBe('succeeded');
    expect([...renderCounts(counter)].sort((a, b) => a[0] - b[0])).toEqual([[1, 1], [2, 1], [3, 2], [4, 2], [5, 1], [6, 1], [7, 1], [8, 1]]);
    expect([1, 2, 5, 8].map((f) => statSync(out(f)).mtimeMs)).toEqual(before);
    // Chunk 1 keeps its history and frames 1-2; the new chunk 3 holds 3-4.
    expect(detail.tasks.map((t) => t.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(detail.attempts.map((a) => a.frames)).toEqual(['1,2', '5-8', '3,4']);
  });

  it('suspend 5-8 survives a restart: the job finishes "done with 4 suspended"; resume renders them', async () => {
    const dir = tempDir('spool-frameact-');
    const counter = path.join(dir, 'count');
    const dataDir = path.join(dir, 'data');
    // Acted on through the store alone (as `spool frames` does with no engine), then an engine starts.
    const queue = StoreQueue.open(dataDir);
    const submitted = await queue.submit(job(dir, counter));
    expect(queue.frameAction(submitted.id, 'suspend', '5-8').message).toBe('suspended frames 5-8');
    queue.close();

    engine = await Engine.start({ dataDir });
    await engine.untilIdle();
    let detail = engine.jobDetail(submitted.id);
    expect(states(engine, submitted.id)).toBe('done done done done suspended suspended suspended suspended');
    expect(detail.job).toMatchObject({ status: 'succeeded', reason: 'done with 4 suspended', framesSuspended: 4, framesDone: 4 });
    expect(detail.job.finishedAt).not.toBeNull();
    expect(existsSync(path.join(dir, 'out', 'f_0005.png'))).toBe(false);

    engine.frameAction(submitted.id, 'resume', '5-8');
    await engine.untilIdle();
    detail = engine.jobDetail(submitted.id);
    expect(detail.job).toMatchObject({ status: 'succeeded', reason: null, framesSuspended: 0, framesDone: 8 });
    expect(renderCounts(counter).get(5)).toBe(1);
  });

  it('refuses clearly: frames that cannot take the action, a canceled job, a bad frame set; a failed job settles once its failed frames are set aside', async () => {
    const dir = tempDir('spool-frameact-');
    const queue = StoreQueue.open(path.join(dir, 'data'));
    const counter = path.join(dir, 'count');
    const submitted = await queue.submit(job(dir, counter));
    expect(() => queue.frameAction(submitted.id, 'requeue', '1-3')).toThrow('frames: nothing to requeue: frames 1-3 not requeued: already queued');
    expect(() => queue.frameAction(submitted.id, 'resume', '2')).toThrow('frame 2 not resumed: not suspended');
    expect(() => queue.frameAction(submitted.id, 'suspend', '1-x')).toThrow(/^frames: /);
    const mixed = queue.frameAction(submitted.id, 'suspend', '7-10');
    expect(mixed.message).toBe('suspended frames 7,8; frames 9,10 not suspended: not in this job');
    queue.close();

    // Frames 1-4's chunk fails; marking 1-2 complete and suspending 3-4 leaves it nothing to render.
    engine = await Engine.start({ dataDir: path.join(dir, 'data') });
    const failing = await engine.submit(job(dir, counter, { frames: '1-4', overrides: { template: fakeTemplate('--mode segv --mode-frame 1') } }));
    await engine.untilIdle();
    expect(engine.jobDetail(failing.id).job.status).toBe('failed');
    const complete = engine.frameAction(failing.id, 'complete', '1-2');
    expect(complete.message).toBe('marked complete frames 1,2');
    expect(engine.jobDetail(failing.id).frames[0]).toMatchObject({ state: 'done', reason: 'marked complete by user (file not checked)' });
    engine.frameAction(failing.id, 'suspend', '3-4');
    expect(engine.jobDetail(failing.id).job).toMatchObject({ status: 'succeeded', reason: 'done with 2 suspended' });
    expect(engine.jobDetail(failing.id).tasks[0]!.state).toBe('succeeded');

    const canceled = await engine.submit(job(dir, counter));
    engine.setIntent(canceled.id, 'canceled');
    expect(() => engine!.frameAction(canceled.id, 'suspend', '7-8')).toThrow(`job ${canceled.id} was canceled; retry it before acting on its frames`);
  });

  it('leaves a chunk that is rendering now alone and says so', async () => {
    const dir = tempDir('spool-frameact-');
    engine = await Engine.start({ dataDir: path.join(dir, 'data') });
    const counter = path.join(dir, 'count');
    const slow = await engine.submit(job(dir, counter, { frames: '1-4', overrides: { template: fakeTemplate(`--ms-per-frame 300 --counter ${counter}`) } }));
    const deadline = Date.now() + 10_000;
    while (engine.jobDetail(slow.id).tasks[0]?.state !== 'running') {
      if (Date.now() > deadline) throw new Error('never started');
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(() => engine!.frameAction(slow.id, 'suspend', '3-4')).toThrow(
      'frames: nothing to suspend: frames 3,4 not suspended: in chunk 1, which is rendering now (wait for it to end, or pause the job)',
    );
    await engine.untilIdle();
    expect(engine.jobDetail(slow.id).job.status).toBe('succeeded');
  });
});

import { appendFileSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeTemplate, tempDir } from '../../../test/helpers/fake-dcc';
import { Engine } from '../engine';
import { saveWatchFolder, type WatchEvent } from './watch-folders';

/** Watch folders with the real engine: polled, queued once stable, once per version, across restarts. */
let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const start = (data: string) => Engine.start({ dataDir: data, killGraceMs: 500, detect: false, watchPollMs: 100, watchStableMs: 400 });

function nextEvent(e: Engine): Promise<WatchEvent> {
  return new Promise((resolve) => e.once('watched', resolve));
}

describe('watch folders', () => {
  it('queues a scene once it stopped growing, with the folder defaults, once even across restarts', async () => {
    const dir = tempDir('spool-watch-');
    const inbox = path.join(dir, 'inbox');
    mkdirSync(inbox);
    const data = path.join(dir, 'data');
    engine = await start(data);
    saveWatchFolder(engine.store, inbox, {
      frames: '1-2',
      dcc: 'command',
      template: fakeTemplate(),
      output: 'renders/frame_####.png',
      priority: 7,
    });

    // Saved in pieces: nothing is queued while the file still grows.
    const scene = path.join(inbox, 'sh010.blend');
    writeFileSync(path.join(inbox, '.hidden.blend'), 'x');
    writeFileSync(path.join(inbox, 'sh010.blend@'), 'x');
    writeFileSync(scene, 'part 1 ');
    for (let i = 0; i < 5; i++) {
      await sleep(150);
      appendFileSync(scene, `part ${i + 2} `);
      expect(engine.listJobs()).toEqual([]);
    }
    const queued = await nextEvent(engine);
    expect(queued).toMatchObject({ file: scene, error: null, jobIds: [1] });
    const job = engine.jobDetail(1).job;
    expect(job).toMatchObject({ name: 'sh010', scene, framesText: '1-2', priority: 7, output: path.join(inbox, 'renders', 'frame_####.png') });
    await engine.untilIdle();
    expect(engine.jobDetail(1).job.status).toBe('succeeded');

    // A restart does not queue it again…
    await engine.stop();
    engine = await start(data);
    await sleep(1000);
    expect(engine.listJobs()).toHaveLength(1);

    // …but a new version of the file is a new render.
    appendFileSync(scene, 'changed');
    utimesSync(scene, new Date(), new Date(Date.now() + 5000));
    expect((await nextEvent(engine)).jobIds).toEqual([2]);
    expect(engine.listJobs()).toHaveLength(2);
  });

  it('queues a batch file dropped in, all its jobs at once; a bad one is reported once with its line', async () => {
    const dir = tempDir('spool-watch-');
    const inbox = path.join(dir, 'inbox');
    mkdirSync(inbox);
    engine = await start(path.join(dir, 'data'));
    // Dropped batch files and the templates they bring are opt-ins (security: watch-folder.test.ts).
    saveWatchFolder(engine.store, inbox, { frames: '1', retries: 0 }, { batch: true, command: true });
    const events: WatchEvent[] = [];
    engine.on('watched', (e) => events.push(e));

    writeFileSync(path.join(inbox, 'bad.yaml'), 'jobs:\n  - name: a\n    chunk: lots\n');
    const batch = {
      defaults: { template: fakeTemplate(), output: 'out/{job}_####.png' },
      jobs: [{ name: 'a', output: 'out/a_####.png' }, { name: 'b', output: 'out/b_####.png', after: ['a'] }],
    };
    writeFileSync(path.join(inbox, 'shots.json'), JSON.stringify(batch));
    const deadline = Date.now() + 10_000;
    while (events.length < 2 && Date.now() < deadline) await sleep(50);
    expect(events.map((e) => [path.basename(e.file), e.jobIds, e.error])).toEqual([
      ['bad.yaml', [], 'bad.yaml:3: jobs[0].chunk: expected frames per render process (a whole number) or "auto"'],
      ['shots.json', [1, 2], null],
    ]);
    expect(engine.jobDetail(2).deps).toEqual([{ id: 1, name: 'a', status: expect.any(String) }]);
    await engine.untilIdle();
    expect(engine.listJobs().map((j) => j.status)).toEqual(['succeeded', 'succeeded']);
    await sleep(600);
    expect(events).toHaveLength(2);
  });

  it('refuses defaults a batch file would refuse', async () => {
    const dir = tempDir('spool-watch-');
    engine = await start(path.join(dir, 'data'));
    expect(() => saveWatchFolder(engine!.store, dir, { frames: '1', priorty: 3 })).toThrow(/priorty|Unrecognized/);
    expect(() => saveWatchFolder(engine!.store, dir, { chunk: 0 })).toThrow('chunk');
  });
});

import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src-main/engine/engine';
import { quote, tempDir } from '../helpers/fake-dcc';
import { privateFakeDcc } from '../chaos/support';
import { sleep, waitFor } from '../helpers/wait';

/**
 * A scene that goes away for a moment after the job started (a network share dropping, a file being
 * replaced) must not fail the rest of the job (issue 15, finding 9): the attempt that finds it
 * missing is retried with backoff, and the job finishes once it is back.
 */

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

describe('a scene missing for a moment after the job started', () => {
  it('frames after the gap are retried with backoff and the job succeeds', { timeout: 60_000 }, async () => {
    const dir = tempDir('spool-scene-gone-');
    const scene = path.join(dir, 'shot.scn');
    writeFileSync(scene, 'scene\n');
    const fake = privateFakeDcc(dir);
    // Backoffs of 1, 2 and 4 s: the scene is away for 2 s.
    engine = await Engine.start({ dataDir: path.join(dir, 'data'), killGraceMs: 500, retryBaseMs: 1000, logicalCores: 1, detect: false });
    const template = `${quote(process.execPath)} ${quote(fake)} --frame {frame} --out {output} --ms-per-frame 300`;
    const job = await engine.submit({
      dcc: 'command',
      scene,
      frames: '1-4',
      chunk: 1,
      retries: 3,
      output: path.join(dir, 'out', 'f_####.png'),
      overrides: { template },
    });
    await waitFor('frame 1 done', () => (engine!.jobDetail(job.id).frames[0]?.state === 'done' ? true : undefined), 30_000);
    renameSync(scene, `${scene}.away`);
    await sleep(2000);
    renameSync(`${scene}.away`, scene);
    await engine.untilIdle();

    const detail = engine.jobDetail(job.id);
    expect(detail.job.status, JSON.stringify(detail.attempts.map((a) => a.reason))).toBe('succeeded');
    expect(detail.attempts.some((a) => a.reason === `scene file not found: ${scene}`)).toBe(true);
  });
});

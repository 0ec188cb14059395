import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { storeFile } from '../../src-main/engine/paths';
import { Store } from '../../src-main/engine/store';
import type { JobSpec } from '../../src-main/engine/types';
import { spool } from '../helpers/spool-cli';
import { fakeTemplate, tempDir } from '../helpers/fake-dcc';

/**
 * An adapter that throws while building its command (here Blender, given a negative frame) must
 * fail its job once, with the adapter's message: before, the task stayed queued, the engine
 * retried it every second forever, and `--wait` never returned. Today's submit refuses negative
 * Blender frames, so the job is stored the way an older Spool accepted it.
 */
describe('a command that cannot be built', () => {
  it('fails the job once with the adapter\'s message, and submit --wait returns 1', async () => {
    const dir = tempDir('spool-build-');
    const data = path.join(dir, 'data');
    const scene = path.join(dir, 'shot.blend');
    writeFileSync(scene, 'not read: the command fails before Blender starts');
    expect((await spool(data, ['jobs'])).code).toBe(0);
    const store = Store.open(storeFile(data));
    const spec: JobSpec = {
      name: 'stored by an older spool',
      dcc: 'blender',
      scene,
      framesText: '-2--1',
      chunkSize: 2,
      output: path.join(dir, 'out', 'f_####'),
      priority: 0,
      slots: 1,
      retries: 3,
      stallTimeoutSec: null,
      taskTimeoutSec: null,
      device: { kind: 'cpu' },
      overrides: {},
    };
    const broken = store.jobs.insert(spec, [-2, -1], [[-2, -1]]);
    store.close();

    const waiter = await spool(
      data,
      ['submit', '--dcc', 'command', '--template', fakeTemplate(), '--frames', '1', '--output', path.join(dir, 'o', 'f_####.png'), '--after', String(broken.id), '--wait', '--json'],
      { timeoutMs: 60_000 },
    );
    expect(waiter.code).toBe(1);

    const shown = JSON.parse((await spool(data, ['show', String(broken.id), '--json'])).stdout) as {
      status: string;
      reason: string;
      attempts: { reason: string }[];
    };
    expect(shown.status).toBe('failed');
    expect(shown.reason).toBe('Blender cannot render negative frame numbers (not retried)');
    expect(shown.attempts.map((a) => a.reason)).toEqual(['Blender cannot render negative frame numbers']);
  });
});

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/fake-dcc';
import { spoolSync } from './helpers/spool-cli';

/** Frame sets through the real CLI bundle: the cap, other farms' forms, and the space warning. */
const NOOP = ['--dcc', 'command', '--template', 'true'];
let dir: string;
beforeAll(() => {
  dir = tempDir('spool-cli-frames-');
});

describe('spool submit at the frame cap', () => {
  // `Math.min(...frames)` in prepareJob overflowed the stack from about 125,000 frames.
  it('dry-runs 1,000,000 frames from --frames', () => {
    const r = spoolSync(path.join(dir, 'cap'), ['submit', ...NOOP, '--frames', '1-1000000', '--chunk', '1000', '--dry-run']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^submit: 1 job, 1000000 frames, 1000 tasks — dry run, nothing queued$/m);
  });

  it('dry-runs 1,000,000 frames from a batch file', () => {
    writeFileSync(path.join(dir, 'cap.yaml'), 'jobs:\n  - name: big\n    dcc: command\n    template: "true"\n    frames: 1-1000000\n    chunk: 1000\n');
    const r = spoolSync(path.join(dir, 'cap-batch'), ['submit', 'cap.yaml', '--dry-run'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^cap\.yaml: 1 job, 1000000 frames, 1000 tasks — dry run, nothing queued$/m);
  });

  it('queues the 130,000 frames that crashed submit', () => {
    const data = path.join(dir, 'real');
    const r = spoolSync(data, ['submit', ...NOOP, '--frames', '1-130000', '--chunk', '1000', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { id } = JSON.parse(r.stdout) as { id: number };
    const shown = spoolSync(data, ['show', String(id), '--json']);
    expect((JSON.parse(shown.stdout) as { frames: unknown[] }).frames).toHaveLength(130_000);
  });
});

describe('spool submit --dry-run and frame sets as other farms write them', () => {
  it('queues an interleave in its render order: the coarse pass first', () => {
    const data = path.join(dir, 'interleave');
    const r = spoolSync(data, ['submit', ...NOOP, '--frames', '1-10:5', '--chunk', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { id } = JSON.parse(r.stdout) as { id: number };
    const shown = JSON.parse(spoolSync(data, ['show', String(id), '--json']).stdout) as { frames: { frame: number }[] };
    expect(shown.frames.map((f) => f.frame)).toEqual([1, 6, 3, 5, 7, 9, 2, 4, 8, 10]);
  });

  it('warns when a space alone separates two numbers, and still queues both', () => {
    const r = spoolSync(path.join(dir, 'space'), ['submit', ...NOOP, '--name', 'spaced', '--frames', '1 10', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'warning: spaced: frames "1 10": a space separates 1 and 10: both are rendered, not the frames between; write 1,10 or 1-10 to be clear\n',
    );
    expect(r.stdout).toMatch(/^spaced +command +1 10 \(2\)/m);
    expect(spoolSync(path.join(dir, 'space'), ['submit', ...NOOP, '--frames', '1,10', '--dry-run']).stderr).toBe('');
  });

  it('refuses a negative step that disagrees with the range, naming the fix', () => {
    const r = spoolSync(path.join(dir, 'negative'), ['submit', ...NOOP, '--frames', '1-10x-1', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('spool: frames: "1-10x-1": a negative step needs a range that counts down, e.g. 10-1x-1 (or 1-10x1) at column 6\n');
  });
});

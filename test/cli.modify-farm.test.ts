import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreQueue } from '../src-main/engine/queue-client';
import { CLI, fakeTemplate, tempDir } from './helpers/fake-dcc';

function spool(dataDir: string, args: string[]) {
  const result = spawnSync(process.execPath, [CLI, '--data-dir', dataDir, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function farmOf(dataDir: string, id: number): string | null {
  const queue = StoreQueue.open(dataDir);
  try {
    return queue.job(id).farm ?? null;
  } finally {
    queue.close();
  }
}

/**
 * `spool modify JOB --farm NAME | --local` (issue 12): where a queued job renders changes while
 * nothing of it was handed to a farm, checked by the submit path's own mapping check. No engine
 * runs, so the jobs stay queued; no farm is called.
 */
describe('spool modify --farm / --local', () => {
  it('moves a queued job between this workstation and farms, refusing what submit refuses and what a farm already has', () => {
    const dir = tempDir('spool-cli-modify-farm-');
    const data = path.join(dir, 'data');
    const shared = path.join(dir, 'shared');
    mkdirSync(shared);
    writeFileSync(path.join(shared, 'scene.txt'), 'x');
    writeFileSync(path.join(dir, 'private.txt'), 'x');
    expect(spool(data, ['farm', 'add', 'slurm', 'lab', '--path-map', `${shared}=/farm/shared`]).code).toBe(0);
    expect(spool(data, ['farm', 'add', 'slurm', 'lab2', '--path-map', `${shared}=/other/shared`]).code).toBe(0);
    const common = ['--dcc', 'command', '--template', fakeTemplate(), '--frames', '1-4', '--output', path.join(shared, 'out', 'f_####.png'), '--json'];

    // A scene outside the farm's folders: refused with submit's very message, exit 2.
    const outside = path.join(dir, 'private.txt');
    const local = Number(JSON.parse(spool(data, ['submit', outside, ...common]).stdout).id);
    const submitRefused = spool(data, ['submit', outside, ...common, '--farm', 'lab']);
    const modifyRefused = spool(data, ['modify', String(local), '--farm', 'lab']);
    expect(modifyRefused.code).toBe(2);
    expect(modifyRefused.stderr).toContain(`scene: ${outside} is not under a path farm lab shares (its path mapping: ${shared} → /farm/shared)`);
    expect(modifyRefused.stderr).toBe(submitRefused.stderr);
    expect(farmOf(data, local)).toBeNull();

    // Under the mapping: local → lab → lab2 → local.
    const id = Number(JSON.parse(spool(data, ['submit', path.join(shared, 'scene.txt'), ...common]).stdout).id);
    for (const [args, farm] of [[['--farm', 'lab'], 'lab'], [['--farm', 'lab2'], 'lab2'], [['--local'], null]] as const) {
      const moved = spool(data, ['modify', String(id), ...args, '--json']);
      expect(moved.stderr.replace(/No Spool engine is running.*\n/, '')).toBe('');
      expect(moved.code).toBe(0);
      expect(farmOf(data, id)).toBe(farm);
    }
    expect(spool(data, ['modify', String(id), '--farm', 'lab', '--local']).stderr).toContain('--farm: give --farm or --local, not both');

    // Once a hand-off is stored, the farm may have its chunks: it stays where it is.
    expect(spool(data, ['modify', String(id), '--farm', 'lab']).code).toBe(0);
    const queue = StoreQueue.open(data);
    try {
      queue.store.farms.recordIntent(id, 'lab', 'spool-test-tag', []);
    } finally {
      queue.close();
    }
    const handedOff = spool(data, ['modify', String(id), '--local']);
    expect([handedOff.code, handedOff.stderr]).toEqual([2, `spool: farm: job ${id} was already handed to farm lab: cancel it and submit it again to render elsewhere\n`]);
    expect(farmOf(data, id)).toBe('lab');
    // Other changes still apply.
    expect(spool(data, ['modify', String(id), '--priority', '5']).code).toBe(0);
  }, 120_000);
});

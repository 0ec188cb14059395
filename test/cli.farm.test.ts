import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeTemplate, tempDir } from './helpers/fake-dcc';
import { spoolSync } from './helpers/spool-cli';

/** Farm profiles and the farm checks at submit time: no farm needs to run for these. */
describe('spool farm', () => {
  it('adds, lists and removes profiles; bad input is refused naming the flag', () => {
    const dir = tempDir('spool-cli-farm-');
    const data = path.join(dir, 'data');
    const added = spoolSync(data, ['farm', 'add', 'slurm', 'lab', '--partition', 'render', '--sbatch-arg', '--time=60', '--path-map', '/mnt/p=/shared/p']);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('lab  (slurm, partition render, sbatch --time=60); shared folders: /mnt/p → /shared/p');
    expect(spoolSync(data, ['farm', 'add', 'flamenco', 'studio', '--url', 'http://manager:8080', '--path-map', '/mnt/p=/srv/p']).code).toBe(0);
    const listed = spoolSync(data, ['farm', 'list', '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([
      { kind: 'slurm', name: 'lab', partition: 'render', sbatchArgs: ['--time=60'], pathMap: [{ local: '/mnt/p', farm: '/shared/p' }] },
      { kind: 'flamenco', name: 'studio', url: 'http://manager:8080', pathMap: [{ local: '/mnt/p', farm: '/srv/p' }] },
    ]);
    const badMap = spoolSync(data, ['farm', 'add', 'slurm', 'x', '--path-map', '/mnt/p']);
    expect([badMap.code, badMap.stderr]).toEqual([2, expect.stringContaining('--path-map: "/mnt/p" is not LOCAL=FARM')]);
    const badUrl = spoolSync(data, ['farm', 'add', 'flamenco', 'y', '--url', 'ftp://x']);
    expect([badUrl.code, badUrl.stderr]).toEqual([2, expect.stringContaining('url: url must start with http:// or https://')]);
    expect(spoolSync(data, ['farm', 'remove', 'studio']).code).toBe(0);
    expect(JSON.parse(spoolSync(data, ['farm', 'list', '--json']).stdout).map((f: { name: string }) => f.name)).toEqual(['lab']);
    // Each spawn starts a CLI: a busy machine takes seconds for each.
  }, 120_000);

  it('refuses at submit (exit 2) a scene or output outside the farm’s shared folders, naming the mapping', () => {
    const dir = tempDir('spool-cli-farm-');
    const data = path.join(dir, 'data');
    const shared = path.join(dir, 'shared');
    mkdirSync(shared);
    writeFileSync(path.join(shared, 'scene.txt'), 'x');
    writeFileSync(path.join(dir, 'private.txt'), 'x');
    expect(spoolSync(data, ['farm', 'add', 'slurm', 'lab', '--path-map', `${shared}=/farm/shared`]).code).toBe(0);
    const common = ['--dcc', 'command', '--template', fakeTemplate(), '--frames', '1-4', '--farm', 'lab'];
    const outside = spoolSync(data, ['submit', path.join(dir, 'private.txt'), ...common, '--output', path.join(shared, 'out', 'f_####.png')]);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain(`scene: ${path.join(dir, 'private.txt')} is not under a path farm lab shares (its path mapping: ${shared} → /farm/shared)`);
    const output = spoolSync(data, ['submit', path.join(shared, 'scene.txt'), ...common, '--output', path.join(dir, 'out', 'f_####.png')]);
    expect(output.code).toBe(2);
    expect(output.stderr).toContain('output: ');
    const unknown = spoolSync(data, ['submit', path.join(shared, 'scene.txt'), ...common.slice(0, -1), 'nope', '--output', path.join(shared, 'f_####.png')]);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining('farm: no farm named "nope"')]);
    const ok = spoolSync(data, ['submit', path.join(shared, 'scene.txt'), ...common, '--output', path.join(shared, 'out', 'f_####.png'), '--json']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    // Profiles in use stay: removing one would strand the job.
    const removing = spoolSync(data, ['farm', 'remove', 'lab']);
    expect([removing.code, removing.stderr]).toEqual([2, expect.stringContaining('farm lab still has unfinished jobs')]);
  }, 120_000);
});

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { storeFile } from '../src-main/engine/paths';
import { Store } from '../src-main/engine/store';
import { fakeTemplate, tempDir } from './helpers/fake-dcc';
import { spoolSync } from './helpers/spool-cli';

/**
 * Batch files, several scenes and dependencies through the real CLI bundle: what a user types,
 * what they read back. The fake renderer stands in for a DCC, so this stays fast.
 */
/** What the queue holds, read straight from the store (cheaper than another CLI start). */
function jobsOf(data: string): { id: number; name: string; status: string; reason: string | null; createdAt: number }[] {
  if (!existsSync(storeFile(data))) return [];
  const store = Store.open(storeFile(data), { readonly: true });
  try {
    return store.summaries.listJobs().map(({ id, name, status, reason, createdAt }) => ({ id, name, status, reason, createdAt }));
  } finally {
    store.close();
  }
}

let dir: string;
beforeAll(() => {
  dir = tempDir('spool-batch-');
  mkdirSync(path.join(dir, 'shots'));
  for (let i = 1; i <= 20; i++) writeFileSync(path.join(dir, 'shots', `sh${String(i * 10).padStart(3, '0')}.blend`), '');
});

/** 20 shots: relative scenes (from the file's folder), defaults, per-job overrides. */
function twentyShots(extra: (i: number) => string[] = () => []): string {
  const lines = ['defaults:', '  frames: 1001-1100', '  chunk: 25', '  output: renders/{shot}_####', 'jobs:'];
  for (let i = 1; i <= 20; i++) {
    const shot = `sh${String(i * 10).padStart(3, '0')}`;
    lines.push(`  - name: lighting_${shot}`, `    scene: shots/${shot}.blend`, `    output: renders/${shot}/f_####`, ...extra(i));
  }
  return `${lines.join('\n')}\n`;
}

describe('spool submit with a batch file', () => {
  it('dry run prints the 20 jobs with tasks and frame counts and stores nothing', () => {
    const data = path.join(dir, 'd-dry');
    writeFileSync(path.join(dir, 'shots.yaml'), twentyShots((i) => (i === 20 ? ['    priority: 5', '    after: [lighting_sh010]'] : [])));
    const r = spoolSync(data, ['submit', 'shots.yaml', '--dry-run'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('shots.yaml: 20 jobs, 2000 frames, 80 tasks — dry run, nothing queued');
    expect(lines[1]).toMatch(/^NAME +DCC +FRAMES +TASKS +PRI +AFTER +STEPS$/);
    expect(lines).toHaveLength(22);
    expect(lines[2]).toMatch(/^lighting_sh010 +blender +1001-1100 \(100\) +4 × 25 +0 +- +-$/);
    expect(lines[21]).toMatch(/^lighting_sh200 +blender +1001-1100 \(100\) +4 × 25 +5 +lighting_sh010 +-$/);
    expect(jobsOf(data)).toEqual([]);

    const json = JSON.parse(spoolSync(data, ['submit', 'shots.yaml', '--dry-run', '--json'], { cwd: dir }).stdout);
    expect(json).toHaveLength(20);
    expect(json[3]).toMatchObject({ name: 'lighting_sh040', frameCount: 100, tasks: 4, scene: path.join(dir, 'shots', 'sh040.blend') });
    expect(jobsOf(data)).toEqual([]);
  });

  it('queues all 20 jobs in one transaction, scenes relative to the file', () => {
    const data = path.join(dir, 'd-20');
    writeFileSync(path.join(dir, 'shots.yaml'), twentyShots());
    const r = spoolSync(data, ['submit', path.join(dir, 'shots.yaml'), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(20);
    const jobs = jobsOf(data);
    expect(jobs.map((j) => j.name)).toEqual(Array.from({ length: 20 }, (_, i) => `lighting_sh${String((i + 1) * 10).padStart(3, '0')}`));
    // One transaction: one timestamp for all of them.
    expect(new Set(jobs.map((j) => j.createdAt)).size).toBe(1);
    const shown = JSON.parse(spoolSync(data, ['show', '7', '--json']).stdout);
    expect(shown).toMatchObject({ scene: path.join(dir, 'shots', 'sh070.blend'), output: path.join(dir, 'renders', 'sh070', 'f_####'), frameCount: 100 });
  });

  it('refuses a wrong type on line 12 with file:line:field and queues nothing', () => {
    const data = path.join(dir, 'd-bad');
    const text = [
      'defaults:',
      '  frames: 1-10',
      'jobs:',
      '  - name: sh010',
      '    scene: shots/sh010.blend',
      '  - name: sh020',
      '    scene: shots/sh020.blend',
      '  - name: sh030',
      '    scene: shots/sh030.blend',
      '  - name: sh040',
      '    scene: shots/sh040.blend',
      '    priority: high',
    ].join('\n');
    writeFileSync(path.join(dir, 'bad.yaml'), text);
    const r = spoolSync(data, ['submit', 'bad.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('spool: bad.yaml:12: jobs[3].priority: expected a whole number\n');
    expect(jobsOf(data)).toEqual([]);
  });

  it('queues none when one job of 20 is refused after validation (a missing scene), naming its line', () => {
    const data = path.join(dir, 'd-missing');
    writeFileSync(path.join(dir, 'missing.yaml'), twentyShots().replace('shots/sh150.blend', 'shots/sh999.blend'));
    const r = spoolSync(data, ['submit', '--batch', 'missing.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`spool: missing.yaml:49: jobs[14].scene: scene file not found: ${path.join(dir, 'shots', 'sh999.blend')}\n`);
    expect(jobsOf(data)).toEqual([]);
  });

  it('refuses a dependency cycle, naming the loop', () => {
    const data = path.join(dir, 'd-cycle');
    writeFileSync(
      path.join(dir, 'cycle.json'),
      JSON.stringify({ defaults: { frames: '1' }, jobs: [{ name: 'a', scene: 'shots/sh010.blend', after: ['b'] }, { name: 'b', scene: 'shots/sh020.blend', after: 'a' }] }, null, 2),
    );
    const r = spoolSync(data, ['submit', 'cycle.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('spool: cycle.json:9: jobs[0].after: dependency cycle: a → b → a\n');
  });
});

describe('spool submit with several scenes', () => {
  it('queues one job per scene with the same flags', () => {
    const data = path.join(dir, 'd-scenes');
    const r = spoolSync(data, ['submit', 'shots/sh010.blend', 'shots/sh020.blend', 'shots/sh030.blend', '--frames', '1001-1100', '--priority', '3'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['1', '2', '3']);
    const jobs = JSON.parse(spoolSync(data, ['jobs', '--json']).stdout);
    expect(jobs.map((j: { name: string; framesText: string; frameCount: number; priority: number }) => [j.name, j.framesText, j.frameCount, j.priority])).toEqual([
      ['sh010', '1001-1100', 100, 3],
      ['sh020', '1001-1100', 100, 3],
      ['sh030', '1001-1100', 100, 3],
    ]);
    const bad = spoolSync(data, ['submit', 'shots/sh010.blend', 'shots/nope.blend', '--frames', '1'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^spool: jobs\[1\]: scene: scene file not found: /);
    expect(jobsOf(data)).toHaveLength(3);
  });
});

describe('dependencies through the CLI', () => {
  it('shows the second job blocked with the reason; retrying the first finishes both', () => {
    const data = path.join(dir, 'd-chain');
    const once = path.join(dir, 'chain-once');
    const batch = {
      defaults: { frames: '1-2', chunk: 2, retries: 0, output: 'chain/{job}_####.png' },
      jobs: [
        { name: 'lighting_sh010', template: fakeTemplate(`--mode licence --fail-once ${once}`), output: 'chain/light_####.png' },
        { name: 'comp_sh010', template: fakeTemplate(), output: 'chain/comp_####.png', after: ['lighting_sh010'] },
      ],
    };
    writeFileSync(path.join(dir, 'chain.json'), JSON.stringify(batch));
    expect(spoolSync(data, ['submit', 'chain.json'], { cwd: dir }).code).toBe(0);
    expect(spoolSync(data, ['run', '--until-idle']).code).toBe(0);

    const [light, comp] = jobsOf(data);
    expect(light).toMatchObject({ status: 'failed' });
    expect(comp).toMatchObject({ status: 'blocked', reason: `waiting for "lighting_sh010" (job ${light!.id}), which failed` });
    const listed = spoolSync(data, ['jobs']).stdout;
    expect(listed).toMatch(/2 +blocked +0\/2 .*comp_sh010/);
    const shown = spoolSync(data, ['show', 'comp_sh010']).stdout;
    expect(shown).toContain(`job ${comp!.id} "comp_sh010" — blocked`);
    expect(shown).toContain(`reason: waiting for "lighting_sh010" (job ${light!.id}), which failed`);
    expect(shown).toContain(`after: ${light!.id} "lighting_sh010" (failed)`);

    const failedReport = spoolSync(data, ['report', '--format', 'md']).stdout;
    expect(failedReport).toContain(`job ${light!.id} "lighting_sh010": 2 frames failed with a licence error — not retried: fix the licence and run \`spool retry ${light!.id}\``);
    expect(spoolSync(data, ['retry', 'lighting_sh010']).stdout).toBe(`job ${light!.id} "lighting_sh010": running\n`);
    expect(jobsOf(data)[1]!.status).toBe('queued');
    expect(spoolSync(data, ['run', '--until-idle']).code).toBe(0);
    expect(jobsOf(data).map((j) => j.status)).toEqual(['succeeded', 'succeeded']);
    const html = spoolSync(data, ['report', 'comp_sh010', '--since', '1h', '--out', path.join(dir, 'chain-report.html')]);
    expect(html.stderr).toBe(`report written to ${path.join(dir, 'chain-report.html')}\n`);
    expect(readFileSync(path.join(dir, 'chain-report.html'), 'utf8')).toMatch(/^<!doctype html>[\s\S]*comp_sh010[\s\S]*<\/html>\n$/);
  });

  it('takes --after by name or id on the command line', () => {
    const data = path.join(dir, 'd-after');
    const first = spoolSync(data, ['submit', 'shots/sh010.blend', '--frames', '1'], { cwd: dir });
    const second = spoolSync(data, ['submit', 'shots/sh020.blend', '--frames', '1', '--after', 'sh010', '--after', first.stdout.trim()], { cwd: dir });
    expect(second.code).toBe(0);
    const detail = JSON.parse(spoolSync(data, ['show', second.stdout.trim(), '--json']).stdout);
    expect(detail.after).toEqual([{ id: 1, name: 'sh010', status: 'queued' }]);
    expect(detail.status).toBe('queued');
    expect(detail.reason).toBe('waiting for "sh010"');
    const unknown = spoolSync(data, ['submit', 'shots/sh030.blend', '--frames', '1', '--after', 'nope'], { cwd: dir });
    expect(unknown).toMatchObject({ code: 2, stderr: 'spool: after: no job "nope" in this batch or the queue\n' });
  });
});

describe('spool watch', () => {
  it('saves a watch folder with its defaults, lists and removes it', () => {
    const data = path.join(dir, 'd-watch');
    const inbox = path.join(dir, 'inbox');
    mkdirSync(inbox, { recursive: true });
    const added = spoolSync(data, ['watch', 'inbox', '--frames', '1001-1100', '--priority', '4', '--output', 'renders/####'], { cwd: dir });
    expect(added).toMatchObject({ code: 0, stdout: `watching ${inbox}  frames=1001-1100 output=${path.join(dir, 'renders', '####')} priority=4\n` });
    expect(JSON.parse(spoolSync(data, ['watch', '--list', '--json']).stdout)).toEqual([
      { dir: inbox, defaults: { frames: '1001-1100', priority: 4, output: path.join(dir, 'renders', '####') } },
    ]);
    expect(spoolSync(data, ['watch', 'inbox', '--device', 'gpu'], { cwd: dir })).toMatchObject({ code: 2, stderr: 'spool: device: expected cpu, any-gpu or gpu:N\n' });
    expect(spoolSync(data, ['watch', '--remove', inbox]).stdout).toBe(`no longer watching ${inbox}\n`);
    expect(spoolSync(data, ['watch']).stdout).toMatch(/^No watch folders/);
  });
});

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveLockOwner } from '../src-main/engine/lock';
import { CLI, quote, tempDir } from './helpers/fake-dcc';
import { spoolSync } from './helpers/spool-cli';
import { waitFor } from './helpers/wait';

/** The store's edges as the CLI meets them: a WAL deleted under a running engine, a read-only data dir. */

describe('a WAL deleted while the engine runs', () => {
  it('is refused with a clear message, and what the engine held survives its stop', async () => {
    const dir = tempDir('spool-wal-');
    const data = path.join(dir, 'data');
    expect(spoolSync(data, ['submit', '--template', 'true', '--frames', '1', '--name', 'before'], { cwd: dir }).code).toBe(0);
    const engine = spawn(process.execPath, [CLI, '--data-dir', data, 'run'], { cwd: dir, timeout: 60_000, killSignal: 'SIGKILL' });
    const ended = new Promise<number | null>((resolve) => engine.on('close', (code) => resolve(code)));
    await waitFor('the engine to run', () => liveLockOwner(data) !== null, 20_000);
    // Past the moment an engine may still be opening its store.
    await new Promise((r) => setTimeout(r, 2200));
    const db = path.join(data, 'spool.db');
    expect(existsSync(`${db}-wal`)).toBe(true);
    rmSync(`${db}-wal`);
    rmSync(`${db}-shm`);

    const refused = spoolSync(data, ['submit', '--template', 'true', '--frames', '1', '--name', 'after'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/spool\.db-wal and .*spool\.db-shm were deleted while the Spool engine \(pid \d+\) runs: a change made now would be lost\. Stop that engine/);
    expect(spoolSync(data, ['jobs'], { cwd: dir }).code).toBe(2);

    engine.kill('SIGTERM');
    expect(await ended).not.toBeNull();
    // Restarted: the job the engine rendered is still there, and submitting works again.
    const jobs = spoolSync(data, ['jobs', '--json'], { cwd: dir });
    expect(jobs.code).toBe(0);
    expect((JSON.parse(jobs.stdout) as { name: string; status: string }[]).map((j) => [j.name, j.status])).toEqual([['before', 'succeeded']]);
    expect(spoolSync(data, ['submit', '--template', 'true', '--frames', '1', '--name', 'after'], { cwd: dir }).code).toBe(0);
  }, 60_000);
});

/** Runs the CLI with its data dir remounted read-only in a private mount namespace (no root needed where user namespaces are allowed). */
function inReadOnlyMount(data: string, args: string[], cwd: string) {
  const script = `mount --bind ${quote(data)} ${quote(data)} && mount -o remount,bind,ro ${quote(data)} && exec ${quote(process.execPath)} ${quote(CLI)} --data-dir ${quote(data)} ${args.map(quote).join(' ')}`;
  const r = spawnSync('unshare', ['-rm', 'sh', '-c', script], { encoding: 'utf8', cwd, timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const probeDir = tempDir('spool-ro-probe-');
const canMountReadOnly = spawnSync('unshare', ['-rm', 'sh', '-c', `mount --bind ${probeDir} ${probeDir} && mount -o remount,bind,ro ${probeDir}`]).status === 0;

describe.skipIf(!canMountReadOnly)('a read-only data dir', () => {
  it('gives a clear message (exit 2) to what would write, and keeps reading possible', () => {
    const dir = tempDir('spool-ro-');
    const data = path.join(dir, 'data');
    mkdirSync(data);
    expect(spoolSync(data, ['submit', '--template', 'true', '--frames', '1-3', '--name', 'kept'], { cwd: dir }).code).toBe(0);

    for (const args of [['run', '--until-idle'], ['serve', '--port', '0'], ['submit', '--template', 'true', '--frames', '1', '--wait']]) {
      const r = inReadOnlyMount(data, args, dir);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toBe(
        `spool: ${data} cannot be written (EROFS): an engine (spool run, serve, submit --wait) needs a writable data dir. Commands that only read (spool jobs, show, logs, report) still work.\n`,
      );
    }
    const jobs = inReadOnlyMount(data, ['jobs', '--json'], dir);
    expect(jobs.code, jobs.stderr).toBe(0);
    expect(JSON.parse(jobs.stdout)).toMatchObject([{ name: 'kept', status: 'queued', frameCount: 3 }]);
    const submit = inReadOnlyMount(data, ['submit', '--template', 'true', '--frames', '1'], dir);
    expect(submit).toMatchObject({ code: 2, stderr: expect.stringMatching(new RegExp(`^spool: ${data}/spool\\.db cannot be written`)) });
    expect(submit.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});

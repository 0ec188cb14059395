import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/fake-dcc';
import { killHard, spool, startEngineProcess } from '../helpers/spool-cli';
import { sleep, waitFor } from '../helpers/wait';

/**
 * The engine runs out of file descriptors (issue 15, finding 12): every attempt fails to open its
 * log with EMFILE. That is Spool's own failure, so it is retried with backoff and never charged to
 * the job: a job with no retries at all still succeeds once descriptors are free again.
 * The real engine (`spool run`) has its descriptor limit lowered from outside with prlimit(1).
 */

const engines: ReturnType<typeof startEngineProcess>[] = [];
afterEach(async () => {
  for (const proc of engines.splice(0)) await killHard(proc);
});

/** The lowest descriptor number the process does not use: a soft limit there makes every open fail. */
function lowestFreeFd(pid: number): number {
  const used = new Set(readdirSync(`/proc/${pid}/fd`).map(Number));
  let fd = 0;
  while (used.has(fd)) fd++;
  return fd;
}

function prlimit(pid: number, soft: number | 'back'): string | null {
  const hard = spawnSync('prlimit', ['--pid', String(pid), '--nofile', '--raw', '--noheadings', '--output', 'HARD'], { encoding: 'utf8' });
  if (hard.error || hard.status !== 0) return `prlimit cannot run here: ${hard.error?.message ?? hard.stderr}`;
  const value = soft === 'back' ? hard.stdout.trim() : String(soft);
  const set = spawnSync('prlimit', ['--pid', String(pid), `--nofile=${value}:${hard.stdout.trim()}`], { encoding: 'utf8' });
  return set.status === 0 ? null : `prlimit refused: ${set.stderr}`;
}

function attemptReasons(dbFile: string): (string | null)[] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT reason FROM attempts ORDER BY id').all() as { reason: string | null }[]).map((r) => r.reason);
  } finally {
    db.close();
  }
}

describe.skipIf(process.platform !== 'linux')('an engine out of file descriptors', () => {
  it('retries the attempt with backoff without charging the job, which succeeds once descriptors are back', { timeout: 60_000 }, async (ctx) => {
    const dir = tempDir('spool-emfile-');
    const data = path.join(dir, 'data');
    const proc = startEngineProcess(data);
    engines.push(proc);
    await waitFor('the engine', () => (proc.output().includes('Spool engine running') ? true : undefined), 20_000);
    await sleep(1000); // let start-up detection finish its own spawns
    const pid = proc.child.pid!;
    const refused = prlimit(pid, lowestFreeFd(pid));
    if (refused) return ctx.skip(refused);

    const submitted = await spool(data, ['submit', '--dcc', 'command', '--template', 'true', '--frames', '1', '--retries', '0']);
    expect(submitted.code, submitted.stderr).toBe(0);
    const dbFile = path.join(data, 'spool.db');
    await waitFor('an attempt that failed for want of descriptors', () => (attemptReasons(dbFile)[0]?.includes('EMFILE') ? true : undefined), 20_000);
    expect(prlimit(pid, 'back')).toBeNull();

    // The default backoff is 5 s; the job has no retries to spend, so only an uncharged retry can finish it.
    const shown = await waitFor(
      'the job to finish',
      async () => {
        const r = await spool(data, ['show', '1', '--json']);
        const status = (JSON.parse(r.stdout) as { status: string }).status;
        return status === 'succeeded' || status === 'failed' ? status : undefined;
      },
      30_000,
      500,
    );
    expect(shown, proc.output()).toBe('succeeded');
    const reasons = attemptReasons(dbFile);
    expect(reasons.at(-1)).toBeNull();
    expect(reasons.slice(0, -1).every((r) => r?.includes('EMFILE'))).toBe(true);
  });
});

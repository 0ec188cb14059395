import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../src-main/engine/engine';
import { CLI, quote, tempDir } from '../helpers/fake-dcc';
import { isLive, privateFakeDcc, processTable } from '../chaos/support';
import { spool, startEngineProcess } from '../helpers/spool-cli';
import { sleep, waitFor } from '../helpers/wait';

/**
 * Resource faults: the disk under the log fills up, the output folder cannot be written, the store
 * cannot be written or belongs to another engine. Each must end in a message that says what and
 * where, the engine must keep serving the rest of the queue, and the CLI must never show a stack.
 * Some need root powers (mount, chattr); where this machine refuses them the test says why and skips.
 */

const STACK_LINE = /^\s+at .+[:(]/m;

let engine: Engine | null = null;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await engine?.stop();
  engine = null;
  for (const undo of cleanups.splice(0).reverse()) {
    try {
      undo();
    } catch (error) {
      console.warn(`cleanup failed: ${(error as Error).message}`);
    }
  }
});

async function start(dataDir: string): Promise<Engine> {
  engine = await Engine.start({ dataDir, killGraceMs: 500, retryBaseMs: 100 });
  return engine;
}

function template(fake: string, extra = ''): string {
  return `${quote(process.execPath)} ${quote(fake)} --start {start} --end {end} --out {output} ${extra}`.trim();
}

/** Runs a privileged command; on refusal returns the reason instead of throwing. */
function tryRoot(file: string, args: string[]): string | null {
  const r = spawnSync(file, args, { encoding: 'utf8' });
  if (r.error) return `${file} cannot run here: ${r.error.message}`;
  return r.status === 0 ? null : `\`${[file, ...args].join(' ')}\` was refused: ${(r.stderr || r.stdout).trim()}`;
}

function mountTmpfs(dir: string, size: string): string | null {
  mkdirSync(dir, { recursive: true });
  const refused = tryRoot('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  if (!refused) cleanups.push(() => execFileSync('umount', ['-l', dir]));
  return refused;
}

function bindReadOnly(dir: string): string | null {
  const refused = tryRoot('mount', ['--bind', dir, dir]);
  if (refused) return refused;
  cleanups.push(() => execFileSync('umount', ['-l', dir]));
  return tryRoot('mount', ['-o', 'remount,bind,ro', dir, dir]);
}

describe('log writes fail', () => {
  it('the log resolves to /dev/full: that attempt fails saying so, the engine goes on with the next job', async () => {
    const dir = tempDir('spool-res-');
    const data = path.join(dir, 'data');
    // Job 1's first attempt in a fresh store logs to logs/job-1/task-0-attempt-1.log.
    const logDir = path.join(data, 'logs', 'job-1');
    mkdirSync(logDir, { recursive: true });
    const logFile = path.join(logDir, 'task-0-attempt-1.log');
    symlinkSync('/dev/full', logFile);
    const e = await start(data);
    const fake = privateFakeDcc(dir);
    const broken = await e.submit({ dcc: 'command', frames: '1-3', chunk: 3, retries: 0, output: path.join(dir, 'a', 'f_####.png'), overrides: { template: template(fake) } });
    const next = await e.submit({ dcc: 'command', frames: '1-3', chunk: 3, output: path.join(dir, 'b', 'f_####.png'), overrides: { template: template(fake) } });
    await e.untilIdle();

    const failed = e.jobDetail(broken.id);
    expect(failed.attempts[0]!.logPath).toBe(logFile);
    expect(failed.job.status).toBe('failed');
    expect(failed.job.reason).toBe(`could not write the log ${logFile}: ENOSPC: no space left on device`);
    expect(isLive(failed.attempts[0]!.pid!)).toBe(false);
    expect(e.jobDetail(next.id).job.status).toBe('succeeded');
    // Still serving: a job submitted after the failure renders too.
    const later = await e.submit({ dcc: 'command', frames: '1', output: path.join(dir, 'c', 'f_####.png'), overrides: { template: template(fake) } });
    await e.untilIdle();
    expect(e.jobDetail(later.id).job.status).toBe('succeeded');
  });

  it('the log folder sits on a 64 KiB tmpfs that fills up mid-render: clear reason, child stopped, next job renders', async (ctx) => {
    const dir = tempDir('spool-res-');
    const data = path.join(dir, 'data');
    const tiny = path.join(dir, 'tiny');
    const refused = mountTmpfs(tiny, '64k');
    if (refused) {
      console.log(`skipped: ${refused}`);
      ctx.skip();
    }
    mkdirSync(path.join(data, 'logs'), { recursive: true });
    symlinkSync(tiny, path.join(data, 'logs', 'job-1'));
    const e = await start(data);
    const fake = privateFakeDcc(dir);
    const flood = await e.submit({
      dcc: 'command', frames: '1-2', chunk: 2, retries: 0, output: path.join(dir, 'a', 'f_####.png'),
      overrides: { template: template(fake, '--mode flood --lines 50000') },
    });
    const next = await e.submit({ dcc: 'command', frames: '1-2', chunk: 2, output: path.join(dir, 'b', 'f_####.png'), overrides: { template: template(fake) } });
    await e.untilIdle();

    const failed = e.jobDetail(flood.id);
    expect(failed.job.status).toBe('failed');
    expect(failed.job.reason).toMatch(/^could not write the log .*job-1\/task-0-attempt-\d+\.log: ENOSPC: no space left on device$/);
    expect(isLive(failed.attempts[0]!.pid!)).toBe(false);
    expect(e.jobDetail(next.id).job.status).toBe('succeeded');
  });
});

describe('output folder cannot be written', () => {
  it('a file where a folder is expected is refused at submit: exit 2, the folder named, nothing stored', async () => {
    const dir = tempDir('spool-res-');
    const data = path.join(dir, 'data');
    writeFileSync(path.join(dir, 'shots'), 'not a folder');
    const folder = path.join(dir, 'shots', 'sh010');
    const r = await spool(data, ['submit', '--dcc', 'command', '--template', 'true', '--frames', '1', '--output', path.join(folder, 'f_####.png')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`spool: output: cannot write to the output folder ${folder} (ENOTDIR)\n`);
    expect(JSON.parse((await spool(data, ['jobs', '--json'])).stdout)).toEqual([]);
  });

  it('a read-only mount is refused at submit (root included); one that turns read-only later fails the attempt naming the file', async (ctx) => {
    const dir = tempDir('spool-res-');
    const data = path.join(dir, 'data');
    const ro = path.join(dir, 'ro');
    mkdirSync(ro);
    const refused = bindReadOnly(ro);
    if (refused) {
      console.log(`skipped: ${refused}`);
      ctx.skip();
    }
    const r = await spool(data, ['submit', '--dcc', 'command', '--template', 'true', '--frames', '1', '--output', path.join(ro, 'f_####.png')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`spool: output: cannot write to the output folder ${ro} (EROFS)\n`);

    // Queued while writable (no engine running yet), made read-only before it renders: the renderer's own error is the reason.
    const later = path.join(dir, 'later');
    mkdirSync(later);
    const fake = privateFakeDcc(dir);
    const queued = await spool(data, ['submit', '--dcc', 'command', '--template', template(fake), '--frames', '1-2', '--chunk', '2', '--retries', '0', '--output', path.join(later, 'f_####.png'), '--json']);
    expect(queued.code).toBe(0);
    expect(bindReadOnly(later)).toBeNull();
    const e = await start(data);
    await e.untilIdle();
    const detail = e.jobDetail((JSON.parse(queued.stdout) as { id: number }).id);
    expect(detail.job.status).toBe('failed');
    expect(detail.job.reason).toContain('EROFS');
    expect(detail.job.reason).toContain(path.join(later, 'f_0001.png'));
  });

  it('the output folder turns into a file between submit and render: the task fails at once naming it', async () => {
    const dir = tempDir('spool-res-');
    const data = path.join(dir, 'data');
    const fake = privateFakeDcc(dir);
    const queued = await spool(data, ['submit', '--dcc', 'command', '--template', template(fake), '--frames', '1-2', '--chunk', '2', '--retries', '3', '--output', path.join(dir, 'o', 'sub', 'f_####.png'), '--json']);
    expect(queued.code).toBe(0);
    rmSync(path.join(dir, 'o'), { recursive: true });
    writeFileSync(path.join(dir, 'o'), 'in the way');
    const e = await start(data);
    await e.untilIdle();
    const detail = e.jobDetail((JSON.parse(queued.stdout) as { id: number }).id);
    expect(detail.job.reason).toBe(`cannot create the output folder ${path.join(dir, 'o', 'sub')} (ENOTDIR) (not retried)`);
    expect(detail.attempts).toHaveLength(1);
  });
});

describe('the store cannot be written or is taken', () => {
  it('an immutable store file: submit and run exit 2 with a message naming the file; reading still works', async (ctx) => {
    const dir = tempDir('spool-res-');
    const data = path.join(dir, 'data');
    const fake = privateFakeDcc(dir);
    const first = await spool(data, ['submit', '--dcc', 'command', '--template', template(fake), '--frames', '1', '--output', path.join(dir, 'o', 'f_####.png')]);
    expect(first.code).toBe(0);
    const db = path.join(data, 'spool.db');
    const refused = tryRoot('chattr', ['+i', db]);
    if (refused) {
      console.log(`skipped: ${refused}`);
      ctx.skip();
    }
    cleanups.push(() => execFileSync('chattr', ['-i', db]));

    const submit = await spool(data, ['submit', '--dcc', 'command', '--template', 'true', '--frames', '1']);
    expect(submit.code).toBe(2);
    expect(submit.stderr).toMatch(new RegExp(`^spool: ${escape(db)} cannot be written \\(attempt to write a readonly database\\)`));
    expect(submit.stderr).not.toMatch(STACK_LINE);

    // Before: the engine started on the silently read-only store and retried the broken launch in a hot loop.
    const began = Date.now();
    const run = await spool(data, ['run', '--until-idle'], { timeoutMs: 20_000 });
    expect(run.signal).toBeNull();
    expect(run.code).toBe(2);
    expect(Date.now() - began).toBeLessThan(10_000);
    expect(run.stderr).toMatch(new RegExp(`^spool: ${escape(db)} cannot be written`));
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.stderr.split('\n').length).toBeLessThan(5);

    const jobs = await spool(data, ['jobs', '--json']);
    expect(jobs.code).toBe(0);
    expect(JSON.parse(jobs.stdout)).toHaveLength(1);
  });

  it('another engine owns the data dir: a second `spool run` exits 2 naming it, the first keeps running', async () => {
    const dir = tempDir('spool-res-');
    const data = path.join(dir, 'data');
    const first = startEngineProcess(data);
    cleanups.push(() => first.child.kill('SIGKILL'));
    await waitFor('the first engine', () => (/engine running/.test(first.output()) ? true : undefined), 20_000);
    const second = await spool(data, ['run']);
    expect(second.code).toBe(2);
    expect(second.stderr).toBe(`spool: another Spool engine (pid ${first.child.pid}) is already running on ${data}; commands act on its queue\n`);
    expect(first.child.exitCode).toBeNull();
    // The first still works: it renders what is queued now.
    const fake = privateFakeDcc(dir);
    const r = await spool(data, ['submit', '--dcc', 'command', '--template', template(fake), '--frames', '1', '--output', path.join(dir, 'o', 'f_####.png'), '--wait', '--json']);
    expect(r.code).toBe(0);
    first.child.kill('SIGTERM');
    await first.exited;
    expect(first.child.exitCode).toBe(130);
  });

  it('an engine that died but was never reaped (a zombie) does not keep the data dir locked', async () => {
    const dir = tempDir('spool-res-');
    const data = path.join(dir, 'data');
    // A parent that cannot reap: it starts the engine, then is stopped (SIGSTOP) before the engine is killed.
    const parent = spawn(
      process.execPath,
      ['-e', `const c = require('node:child_process').spawn(process.execPath, ${JSON.stringify([CLI, '--data-dir', data, 'run'])}, { stdio: 'ignore' }); console.log(c.pid); setInterval(() => {}, 1e9);`],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    cleanups.push(() => {
      parent.kill('SIGKILL');
    });
    const enginePid = Number(await new Promise<string>((resolve) => parent.stdout!.setEncoding('utf8').once('data', resolve)));
    await waitFor('the engine to hold the lock', () => (readLockPid(data) === enginePid ? true : undefined), 20_000);
    process.kill(parent.pid!, 'SIGSTOP');
    cleanups.push(() => process.kill(parent.pid!, 'SIGCONT'));
    process.kill(enginePid, 'SIGKILL');
    await waitFor('the engine to be a zombie', () => (processTable().find((p) => p.pid === enginePid)?.state === 'Z' ? true : undefined), 10_000);

    // Before: "another Spool engine (pid N) is already running", for as long as the zombie lasted.
    const submitted = await spool(data, ['submit', '--dcc', 'command', '--template', 'true', '--frames', '1']);
    expect(submitted.code).toBe(0);
    expect(submitted.stderr).toMatch(/No Spool engine is running/);
    const run = await spool(data, ['run', '--until-idle']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse((await spool(data, ['jobs', '--json'])).stdout)).toMatchObject([{ status: 'succeeded' }]);
  });

  it('a task whose start keeps breaking does not spin: launches pause, and resume once the fault is gone', async () => {
    const dir = tempDir('spool-res-');
    const e = await start(path.join(dir, 'data'));
    const fake = privateFakeDcc(dir);
    const startAttempt = vi.spyOn(e.store.work, 'startAttempt').mockImplementation(() => {
      throw new Error('disk on fire');
    });
    const quiet = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const job = await e.submit({ dcc: 'command', frames: '1', output: path.join(dir, 'o', 'f_####.png'), overrides: { template: template(fake) } });
    await sleep(1500);
    const tries = startAttempt.mock.calls.length;
    startAttempt.mockRestore();
    quiet.mockRestore();
    expect(tries).toBeGreaterThanOrEqual(1);
    expect(tries).toBeLessThanOrEqual(3);
    await e.untilIdle();
    expect(e.jobDetail(job.id).job.status).toBe('succeeded');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function readLockPid(dataDir: string): number | null {
  try {
    return (JSON.parse(readFileSync(path.join(dataDir, 'engine.lock'), 'utf8')) as { pid: number }).pid;
  } catch {
    return null;
  }
}

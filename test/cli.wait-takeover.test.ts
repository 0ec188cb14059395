import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveLockOwner } from '../src-main/engine/lock';
import { StoreQueue } from '../src-main/engine/queue-client';
import { CLI, fakeFrameTemplate, renderCounts, tempDir } from './helpers/fake-dcc';
import { waitFor } from './helpers/wait';

/**
 * `spool submit --wait` never waits on an engine that is not there: waiters started together on
 * a data dir with no engine all finish, and a waiter whose engine stops or dies takes over. Every
 * child has a hard time limit: a hang fails the test instead of stalling the suite.
 */

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(dataDir: string, args: string[], cwd: string, limitMs: number): { child: ChildProcess; ended: Promise<Ended> } {
  const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, ...args], { cwd, timeout: limitMs, killSignal: 'SIGKILL' });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ended = new Promise<Ended>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, ended };
}

function runningTasks(dataDir: string, jobId: number): number {
  const queue = StoreQueue.open(dataDir);
  try {
    return queue.job(jobId).tasks.running;
  } catch {
    return 0;
  } finally {
    queue.close();
  }
}

describe('submit --wait with no engine, or an engine that goes away', () => {
  it('three waiters started together on a fresh data dir all finish their own jobs', async () => {
    const dir = tempDir('spool-waiters-');
    const data = path.join(dir, 'data');
    const waiters = [1, 2, 3].map((k) =>
      start(
        data,
        ['submit', '--template', fakeFrameTemplate('--ms-per-frame 400'), '--frames', '1-2', '--chunk', '1', '--output', `out${k}/f_####.png`, '--name', `w${k}`, '--wait'],
        dir,
        60_000,
      ),
    );
    const ends = await Promise.all(waiters.map((w) => w.ended));
    for (const [k, end] of ends.entries()) {
      expect(end.signal, `waiter ${k + 1} was killed at the time limit: ${end.stdout}${end.stderr}`).toBeNull();
      expect(end.stderr).not.toMatch(/Error|at .*\.mjs/);
      expect(end.code).toBe(0);
      expect(end.stdout).toMatch(new RegExp(`"w${k + 1}" succeeded: 2/2 frames`));
    }
    // Nothing is left behind: no engine, no waiter registration.
    expect(liveLockOwner(data)).toBeNull();
    expect(readdirSync(path.join(data, 'waiters'))).toEqual([]);
  }, 90_000);

  it.each([
    ['killed (SIGKILL)', 'SIGKILL'],
    ['stopped (SIGTERM, like closing spool serve)', 'SIGTERM'],
  ] as const)('a waiter whose engine is %s mid-job takes over and finishes', async (_name, signal) => {
    const dir = tempDir('spool-takeover-');
    const data = path.join(dir, 'data');
    const counter = path.join(dir, 'counter');
    const engine = start(data, ['run'], dir, 60_000);
    await waitFor('the engine to start', () => liveLockOwner(data) !== null, 20_000);
    const waiter = start(
      data,
      ['submit', '--template', fakeFrameTemplate(`--ms-per-frame 700 --counter ${counter}`), '--frames', '1-3', '--chunk', '1', '--output', 'out/f_####.png', '--wait'],
      dir,
      60_000,
    );
    await waitFor('a render to start in the engine', () => runningTasks(data, 1) > 0, 20_000);
    engine.child.kill(signal);
    const stopped = await engine.ended;
    expect(stopped.signal ?? stopped.code).not.toBeNull();

    const end = await waiter.ended;
    expect(end.signal, `the waiter was killed at the time limit: ${end.stdout}${end.stderr}`).toBeNull();
    expect(end.code).toBe(0);
    expect(end.stderr).toContain('rendering here');
    expect(end.stdout).toMatch(/succeeded: 3\/3 frames/);
    // Every frame finished; one cut short by the kill may have been rendered again, never skipped.
    expect([...renderCounts(counter).keys()].sort()).toEqual([1, 2, 3]);
    expect(liveLockOwner(data)).toBeNull();
  }, 90_000);
});

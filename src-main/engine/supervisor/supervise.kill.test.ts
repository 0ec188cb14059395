import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isProcessGroupAlive } from './process-identity';
import { supervise } from './supervise';

const FAKE_DCC = fileURLToPath(new URL('../../../test/fixtures/fake-dcc.mjs', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-supervise-kill-'));
const strays: number[] = [];
afterAll(() => {
  for (const pid of strays) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

let n = 0;
const logPath = (): string => path.join(tmp, `log-${++n}.log`);
const out = path.join(tmp, 'out', 'img_####.png');

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
}

/** Gone, or a zombie nobody reaps yet (PID 1 in some containers does not): either way not running. */
function isGone(pid: number): boolean {
  if (process.platform === 'linux') {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return /^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '');
    } catch {
      return true;
    }
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

async function firstChildOf(pid: () => number, timeoutMs: number): Promise<number | undefined> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const [child] = pid() ? childrenOf(pid()) : [];
    if (child) return child;
    await sleep(25);
  }
  return undefined;
}

describe.skipIf(process.platform === 'win32')('supervise: stopping the process tree', () => {
  it('kills the whole tree, grandchild included, when the output stalls', async () => {
    let pid = 0;
    const lines: string[] = [];
    const run = supervise({
      file: process.execPath,
      args: [FAKE_DCC, '--frame', '1', '--out', out, '--mode', 'hang'],
      logPath: logPath(),
      stallTimeoutMs: 1500,
      killGraceMs: 1000,
      onSpawn: (p) => (pid = p),
      onLine: (line) => lines.push(line),
    });
    const grandchild = await firstChildOf(() => pid, 1400);
    expect(grandchild).toBeGreaterThan(0);
    strays.push(grandchild!);

    const result = await run.result;
    expect(result).toMatchObject({ cause: 'stall', message: 'no output for 1.5 s', signal: 'SIGTERM', forceKilled: false });
    expect(result.durationMs).toBeGreaterThanOrEqual(1500);
    expect(lines.at(-1)).toMatch(/Sample 2\/4$/);
    expect(isGone(grandchild!)).toBe(true);
    expect(isGone(pid)).toBe(true);
    expect(isProcessGroupAlive(pid)).toBe(false);
  });

  it('stops a child that runs past the total limit', async () => {
    const result = await supervise({
      file: process.execPath,
      args: [FAKE_DCC, '--start', '1', '--end', '1000', '--out', out, '--ms-per-frame', '100'],
      logPath: logPath(),
      stallTimeoutMs: 5000,
      totalTimeoutMs: 700,
    }).result;
    expect(result).toMatchObject({ cause: 'timeout', message: 'ran longer than the 700 ms limit', signal: 'SIGTERM' });
    expect(result.durationMs).toBeGreaterThanOrEqual(700);
    expect(result.durationMs).toBeLessThan(5000);
  });

  it('cancels on request, with the reason as message', async () => {
    let pid = 0;
    const run = supervise({
      file: process.execPath,
      args: [FAKE_DCC, '--start', '1', '--end', '1000', '--out', out],
      logPath: logPath(),
      onSpawn: (p) => (pid = p),
      onLine: (line) => {
        if (line.startsWith('Fra:3 ')) run.cancel('canceled by the user');
      },
    });
    const result = await run.result;
    expect(result).toMatchObject({ cause: 'canceled', message: 'canceled by the user', signal: 'SIGTERM', forceKilled: false });
    expect(isGone(pid)).toBe(true);
    run.cancel('again'); // harmless once settled
  });

  it('cancels right after the call, before the spawn is confirmed', async () => {
    const run = supervise({ file: process.execPath, args: [FAKE_DCC, '--start', '1', '--end', '1000', '--out', out], logPath: logPath() });
    run.cancel();
    expect(await run.result).toMatchObject({ cause: 'canceled', message: 'canceled' });
  });

  it('uses SIGKILL after the grace when SIGTERM is ignored', async () => {
    let cancelAt = 0;
    const run = supervise({
      file: process.execPath,
      args: [FAKE_DCC, '--frame', '1', '--out', out, '--mode', 'ignore-term'],
      logPath: logPath(),
      killGraceMs: 800,
      onLine: (line) => {
        if (line.includes('tick 3') && !cancelAt) {
          cancelAt = performance.now();
          run.cancel();
        }
      },
    });
    const result = await run.result;
    const sinceCancel = performance.now() - cancelAt;
    expect(result).toMatchObject({ cause: 'canceled', signal: 'SIGKILL', forceKilled: true });
    expect(sinceCancel).toBeGreaterThanOrEqual(800);
  });

  it('takes down what the child left running in its group after a clean exit', async () => {
    const leaver = path.join(tmp, 'leaver.mjs');
    fs.writeFileSync(
      leaver,
      `import { spawn } from 'node:child_process';
       const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], { stdio: 'ignore' });
       c.unref();
       console.log('left ' + c.pid);`,
    );
    const lines: string[] = [];
    const result = await supervise({ file: process.execPath, args: [leaver], logPath: logPath(), killGraceMs: 1000, onLine: (l) => lines.push(l) }).result;
    const leftover = Number(lines[0]?.split(' ')[1]);
    strays.push(leftover);
    expect(result).toMatchObject({ cause: 'exit', exitCode: 0, message: null });
    expect(isGone(leftover)).toBe(true);
  });

  it('does not wait forever on a process that left the group but holds the pipes', async () => {
    const escaper = path.join(tmp, 'escaper.mjs');
    fs.writeFileSync(
      escaper,
      `import { spawn } from 'node:child_process';
       const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
       c.unref();
       console.log('escaped ' + c.pid);`,
    );
    const lines: string[] = [];
    const started = performance.now();
    const result = await supervise({ file: process.execPath, args: [escaper], logPath: logPath(), onLine: (l) => lines.push(l) }).result;
    strays.push(Number(lines[0]?.split(' ')[1]));
    expect(result).toMatchObject({ cause: 'exit', exitCode: 0 });
    expect(lines).toEqual([expect.stringMatching(/^escaped \d+$/)]);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('stops the child when onSpawn cannot record it', async () => {
    let pid = 0;
    const result = await supervise({
      file: process.execPath,
      args: [FAKE_DCC, '--start', '1', '--end', '1000', '--out', out],
      logPath: logPath(),
      onSpawn: (p) => {
        pid = p;
        throw new Error('database is locked');
      },
    }).result;
    expect(result).toMatchObject({ cause: 'spawn-error', message: 'could not record the started process: database is locked' });
    expect(isGone(pid)).toBe(true);
  });

  it('counts a slow start against the stall limit', async () => {
    const result = await supervise({
      file: process.execPath,
      args: [FAKE_DCC, '--frame', '1', '--out', out, '--mode', 'slow-start', '--startup-ms', '5000'],
      logPath: logPath(),
      stallTimeoutMs: 500,
      killGraceMs: 500,
    }).result;
    expect(result).toMatchObject({ cause: 'stall', message: 'no output for 500 ms' });
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { COOKIE_VAR, processesWithCookie } from './escaped';
import { supervise } from './supervise';
import type { SuperviseOptions } from './types';

/**
 * Processes that leave the child's process group and keep printing into its pipes (issue 15,
 * finding 1). Each case has a hard bound in the harness (the test's timeout): before the fix the
 * attempt never ended.
 */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-supervise-escape-'));
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

/** A ticking loop that announces its own pid first, so the test can find it whatever it did. */
const TICKER = `echo escaped $$; while true; do echo tick; sleep 0.2; done`;

function script(body: string): string {
  const file = path.join(tmp, `r-${++n}.sh`);
  fs.writeFileSync(file, `#!/bin/bash\n${body}\n`, { mode: 0o755 });
  return file;
}

function isRunning(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '');
  } catch {
    return false;
  }
}

async function runEscaping(file: string, extra: Partial<SuperviseOptions> = {}) {
  const lines: string[] = [];
  const escaped = (): number[] => lines.filter((l) => l.startsWith('escaped ')).map((l) => Number(l.split(' ')[1]));
  const run = supervise({ file, args: [], logPath: logPath(), killGraceMs: 1000, onLine: (l) => lines.push(l), ...extra });
  const result = await run.result;
  strays.push(...escaped());
  return { result, lines, escaped: escaped() };
}

describe.skipIf(process.platform !== 'linux')('supervise: processes that escaped the process group', () => {
  it('setsid: a child that exits 0 leaving a ticking setsid loop on its stdout ends the attempt, and the loop is stopped', { timeout: 15_000 }, async () => {
    const file = script(`setsid bash -c '${TICKER}' &\nsleep 0.5\nexit 0`);
    const { result, escaped } = await runEscaping(file, { totalTimeoutMs: 5000, stallTimeoutMs: 5000 });
    expect(result).toMatchObject({ cause: 'exit', exitCode: 0 });
    expect(escaped).toHaveLength(1);
    expect(isRunning(escaped[0]!)).toBe(false);
  });

  it('double fork: a grandchild reparented away from a finished middle process is found by its cookie', { timeout: 15_000 }, async () => {
    const file = script(`( setsid bash -c '${TICKER}' & )\nsleep 0.5\nexit 0`);
    const { result, escaped } = await runEscaping(file);
    expect(result).toMatchObject({ cause: 'exit', exitCode: 0 });
    expect(escaped).toHaveLength(1);
    expect(isRunning(escaped[0]!)).toBe(false);
  });

  it('nohup: a loop that ignores SIGHUP and SIGTERM is killed with the group after the grace', { timeout: 15_000 }, async () => {
    const file = script(`nohup bash -c 'trap "" TERM HUP; ${TICKER}' &\nsleep 0.5\nexit 0`);
    const { result, escaped } = await runEscaping(file);
    expect(result).toMatchObject({ cause: 'exit', exitCode: 0, forceKilled: true });
    expect(escaped).toHaveLength(1);
    expect(isRunning(escaped[0]!)).toBe(false);
  });

  it('a timeout still fires and stops what escaped while the child itself keeps running', { timeout: 15_000 }, async () => {
    const file = script(`setsid bash -c '${TICKER}' &\nexec sleep 100`);
    const { result, escaped } = await runEscaping(file, { totalTimeoutMs: 1500 });
    expect(result).toMatchObject({ cause: 'timeout', message: 'ran longer than the 1.5 s limit' });
    expect(escaped).toHaveLength(1);
    expect(isRunning(escaped[0]!)).toBe(false);
  });

  it('a stop after the child exited ends the wait for the pipes at once and stops what escaped', { timeout: 15_000 }, async () => {
    const lines: string[] = [];
    const file = script(`setsid bash -c 'trap "" TERM; ${TICKER}' &\nsleep 0.3\nexit 0`);
    const run = supervise({
      file,
      args: [],
      logPath: logPath(),
      killGraceMs: 500,
      onLine: (line) => {
        lines.push(line);
        if (line === 'tick' && lines.filter((l) => l === 'tick').length === 4) run.cancel('canceled by user');
      },
    });
    const result = await run.result;
    const escaped = lines.filter((l) => l.startsWith('escaped ')).map((l) => Number(l.split(' ')[1]));
    strays.push(...escaped);
    // The child's own exit stands as the result: it had exited (0) before the cancel came.
    expect(result).toMatchObject({ cause: 'exit', exitCode: 0, forceKilled: true });
    expect(isRunning(escaped[0]!)).toBe(false);
  });

  it('the cookie is in the child\'s environment and names only live processes', { timeout: 15_000 }, async () => {
    const lines: string[] = [];
    const result = await supervise({ file: 'sh', args: ['-c', `echo "$${COOKIE_VAR}"`], logPath: logPath(), onLine: (l) => lines.push(l) }).result;
    expect(result.cause).toBe('exit');
    expect(lines[0]).toMatch(/^[0-9a-f-]{36}$/);
    await sleep(50);
    expect(processesWithCookie(lines[0]!)).toEqual([]);
  });
});

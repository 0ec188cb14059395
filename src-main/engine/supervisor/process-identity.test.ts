import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { isOwnProcess, isProcessGroupAlive, killProcessGroup, processStartTime } from './process-identity';

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
}

describe.skipIf(process.platform === 'win32')('process identity', () => {
  it('reads a stable start time for a live process', () => {
    const start = processStartTime(process.pid);
    expect(start).not.toBeNull();
    if (process.platform === 'linux') expect(start).toMatch(/^\d+$/);
    expect(processStartTime(process.pid)).toBe(start);
  });

  it('recognises its own process and nothing else', async () => {
    const start = processStartTime(process.pid);
    expect(isOwnProcess(process.pid, start)).toBe(true);
    expect(isOwnProcess(process.pid, start + '1')).toBe(false);
    expect(isOwnProcess(process.pid, null)).toBe(false);
    expect(isOwnProcess(process.pid, '')).toBe(false);

    const dead = await deadPid();
    expect(processStartTime(dead)).toBeNull();
    expect(isOwnProcess(dead, start)).toBe(false);
    expect(processStartTime(-1)).toBeNull();
    expect(processStartTime(1.5)).toBeNull();
  });

  it.skipIf(process.platform !== 'linux')('parses /proc/<pid>/stat when the name holds spaces and parentheses', async () => {
    const child = spawn(process.execPath, ['-e', 'process.title = "a) (b c"; console.log("ready"); setInterval(() => {}, 1e9)'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      await once(child.stdout, 'data');
      const start = processStartTime(child.pid!);
      expect(start).toMatch(/^\d+$/);
      expect(Number(start)).toBeGreaterThanOrEqual(Number(processStartTime(process.pid)));
      expect(isOwnProcess(child.pid!, start)).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('kills a process group and sees it gone', async () => {
    const leader = spawn(
      process.execPath,
      ['-e', 'require("child_process").spawn(process.execPath, ["-e", "setInterval(() => {}, 1e9)"], { stdio: "ignore" }); setInterval(() => {}, 1e9)'],
      { detached: true, stdio: 'ignore' },
    );
    const pid = leader.pid!;
    await once(leader, 'spawn');
    expect(isProcessGroupAlive(pid)).toBe(true);
    expect(killProcessGroup(pid, 'SIGKILL')).toBe(true);
    await once(leader, 'exit');
    for (let i = 0; i < 40 && isProcessGroupAlive(pid); i++) await sleep(25);
    expect(isProcessGroupAlive(pid)).toBe(false);
    expect(killProcessGroup(pid, 'SIGTERM')).toBe(false);
  });

  it('refuses pids whose group kill would hit everything or ourselves', () => {
    for (const pid of [0, 1, -5, process.pid, Number.NaN, 2.5]) {
      expect(killProcessGroup(pid, 'SIGCONT')).toBe(false);
      expect(isProcessGroupAlive(pid)).toBe(false);
    }
  });
});

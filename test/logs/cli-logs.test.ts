import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogDto } from '../../src-preload/contract';
import { createDispatcher } from '../../src-main/api/dispatch';
import { Engine } from '../../src-main/engine/engine';
import { CLI, tempDir } from '../helpers/fake-dcc';
import { spoolSync } from '../helpers/spool-cli';

/**
 * Logs bigger than a JavaScript string (~512 MB) through the real CLI: read by byte range, never
 * whole. Before, a 600 MB log printed "(no log was written)" and `--follow` threw.
 */

const MB = 1024 * 1024;
const LINE = 'Fra:1 Mem:12.00M | Time:00:01.00 | Rendering 1 / 64 samples, some more words to pad it\n';

/** Writes `bytes` of log lines (1,000 numbered lines at the end) then `last`; the body is a block repeated. */
function writeBigLog(file: string, bytes: number, last: string): void {
  const block = Buffer.from(LINE.repeat(Math.ceil((8 * MB) / LINE.length)));
  const fd = openSync(file, 'w');
  try {
    let written = 0;
    while (written < bytes) written += writeSync(fd, block, 0, Math.min(block.length, bytes - written));
    for (let i = 1; i <= 1000; i++) writeSync(fd, `numbered line ${i}\n`);
    writeSync(fd, `${last}\n`);
  } finally {
    closeSync(fd);
  }
}

/** Peak resident memory of a live child, in bytes (Linux). */
function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

/** Runs the CLI with stdout thrown away, sampling its peak memory until it exits. */
async function runMeasured(dataDir: string, args: string[]): Promise<{ code: number | null; peak: number; stderr: string }> {
  const devNull = openSync('/dev/null', 'w');
  const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, ...args], { stdio: ['ignore', devNull, 'pipe'] });
  closeSync(devNull);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, peakRss(child.pid!));
    } catch {
      // exited between samples
    }
  }, 10);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(sampler);
  return { code, peak, stderr };
}

let dir: string;
let dataDir: string;
let jobId: number;
let logFile: string;

beforeAll(() => {
  dir = tempDir('spool-cli-logs-');
  dataDir = path.join(dir, 'data');
  const submitted = spoolSync(dataDir, ['submit', '--dcc', 'command', '--template', 'true', '--frames', '1', '--chunk', '1', '--name', 'big log', '--json']);
  expect(submitted.code, submitted.stderr).toBe(0);
  jobId = (JSON.parse(submitted.stdout) as { id: number }).id;
  expect(spoolSync(dataDir, ['run', '--until-idle']).code).toBe(0);
  const shown = JSON.parse(spoolSync(dataDir, ['show', String(jobId), '--json']).stdout) as { attempts: { log: string }[] };
  logFile = shown.attempts[0]!.log;
  writeBigLog(logFile, 600 * MB, 'THE END');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('spool logs on a 600 MB log', () => {
  it('--tail N prints its last N lines', () => {
    const r = spoolSync(dataDir, ['logs', String(jobId), '--tail', '3']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`--- attempt 1 of job 1 · chunk 1 (frames 1)\nnumbered line 999\nnumbered line 1000\nTHE END\n`);
  });

  it('prints the whole log in pieces, in bounded memory', async () => {
    const r = await runMeasured(dataDir, ['logs', String(jobId)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // A memory-safety bound, not a speed claim: reading it whole needs more than 600 MB.
    expect(r.peak).toBeLessThan(200 * MB);
  }, 60_000);

  it('refuses a negative --tail', () => {
    const r = spoolSync(dataDir, ['logs', String(jobId), '--tail', '-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--tail/);
  });
});

describe('the jobs.log command on a 600 MB log', () => {
  it('answers its tail, says how much it left out, and reads on by byte range', async () => {
    const engine = await Engine.start({ dataDir, detect: false });
    try {
      const dispatch = createDispatcher(engine, { mode: 'browser' });
      const tail = await dispatch('jobs.log', { id: jobId, tail: 1000 });
      expect(tail.ok).toBe(true);
      const log = (tail as { value: LogDto }).value;
      expect(log.text.startsWith('--- attempt 1 of job 1 · chunk 1 (frames 1)\nnumbered line ')).toBe(true);
      expect(log.text.endsWith('numbered line 1000\nTHE END\n')).toBe(true);
      const [range] = log.ranges;
      expect(range!.to).toBe(range!.size);
      expect(log.skippedBytes).toBe(range!.from);
      expect(range!.size).toBeGreaterThan(600 * MB);

      const on = await dispatch('jobs.log', { id: jobId, attemptId: 1, from: range!.from - 40, limit: 30 });
      const forward = (on as { value: LogDto }).value;
      expect(forward.more).toBe(true);
      expect(forward.ranges[0]!.from).toBe(range!.from - 40);
      expect(forward.text.length).toBeLessThanOrEqual(30);

      const refused = await dispatch('jobs.log', { id: jobId, from: 0 });
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid', field: 'from' } });
    } finally {
      await engine.stop();
    }
  });
});

describe('spool logs --follow on a big, quiet log of a running job', () => {
  let engine: ChildProcess | null = null;
  afterAll(() => engine?.kill('SIGKILL'));

  it('reads only what grows: modest memory, and it prints lines appended later', async () => {
    const followData = path.join(dir, 'follow');
    const submitted = spoolSync(followData, ['submit', '--dcc', 'command', '--template', 'sleep 60', '--frames', '1', '--chunk', '1', '--json']);
    const id = (JSON.parse(submitted.stdout) as { id: number }).id;
    engine = spawn(process.execPath, [CLI, '--data-dir', followData, 'run'], { stdio: 'ignore' });
    let log: string | undefined;
    for (let i = 0; i < 200 && !log; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const shown = JSON.parse(spoolSync(followData, ['show', String(id), '--json']).stdout) as { attempts: { log: string }[] };
      log = shown.attempts[0]?.log;
    }
    expect(log, 'the job never started').toBeDefined();
    writeBigLog(log!, 200 * MB, 'quiet now');

    const follower = spawn(process.execPath, [CLI, '--data-dir', followData, 'logs', String(id), '--follow', '--tail', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    follower.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const until = async (what: string): Promise<void> => {
      for (let i = 0; i < 300 && !out.includes(what); i++) await new Promise((r) => setTimeout(r, 50));
      expect(out).toContain(what);
    };
    await until('quiet now\n');
    // A dozen polls of the quiet 200 MB log, then a line written after it started.
    await new Promise((r) => setTimeout(r, 3000));
    const fd = openSync(log!, 'a');
    writeSync(fd, 'a late line\n');
    closeSync(fd);
    await until('a late line\n');
    const peak = peakRss(follower.pid!);
    follower.kill('SIGINT');
    await new Promise((r) => follower.once('exit', r));
    expect(out).toBe('--- attempt 1 of job 1 · chunk 1 (frames 1)\nquiet now\na late line\n');
    expect(peak).toBeLessThan(200 * MB);
    spoolSync(followData, ['cancel', String(id)]);
    engine.kill('SIGTERM');
    await new Promise((r) => engine!.once('exit', r));
    engine = null;
  }, 60_000);
});

import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError, liveLockOwner, takeoverClaim } from './lock';
import { lockFile } from './paths';
import { processStartTime } from './supervisor/process-identity';

const root = mkdtempSync(path.join(tmpdir(), 'spool-lock-'));

/** A lock left by an engine that is gone: this pid with another start time reads as a reused pid. */
function staleOwner(tag: string): string {
  return JSON.stringify({ pid: process.pid, pidStart: `gone-${tag}`, startedAt: 1 });
}

describe('acquireDataDirLock', () => {
  it('gives one holder, refuses a second while it lives, and frees the dir on release', () => {
    const dir = path.join(root, 'plain');
    const lock = acquireDataDirLock(dir);
    expect(liveLockOwner(dir)?.pid).toBe(process.pid);
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    lock.release();
    expect(existsSync(lockFile(dir))).toBe(false);
    acquireDataDirLock(dir).release();
  });

  it('takes over a stale lock, and a takeover a dead engine left half done', () => {
    const dir = path.join(root, 'stale');
    mkdirSync(dir, { recursive: true });
    writeFileSync(lockFile(dir), staleOwner('a'));
    const lock = acquireDataDirLock(dir);
    expect(JSON.parse(readFileSync(lockFile(dir), 'utf8')).pidStart).toBe(processStartTime(process.pid));
    lock.release();
    // An engine that died while taking over leaves its claim beside the stale lock.
    writeFileSync(lockFile(dir), staleOwner('b'));
    const claim = takeoverClaim(lockFile(dir), staleOwner('b'));
    writeFileSync(claim, staleOwner('c'));
    // …and one that died taking that claim over.
    writeFileSync(takeoverClaim(claim, staleOwner('c')), '');
    const again = acquireDataDirLock(dir);
    again.release();
    expect(readdirSync(dir)).toEqual([]);
  });
});

/** mulberry32: a seeded stream, so a failing trial can be run again exactly. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('acquireDataDirLock under a real race', () => {
  const RACERS = 4;
  const TRIALS = 60;
  const SEED = 20_261_215;
  let racers: ChildProcess[] = [];

  beforeAll(async () => {
    const script = path.join(root, 'lock-racer.mjs');
    await build({
      entryPoints: [path.join(import.meta.dirname, '../../test/fixtures/lock-racer.ts')],
      outfile: script,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
    });
    racers = Array.from({ length: RACERS }, () => fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    await Promise.all(racers.map((racer) => nextMessage(racer)));
  });

  afterAll(() => {
    for (const racer of racers) racer.kill();
  });

  function nextMessage(racer: ChildProcess): Promise<{ kind: string; held?: boolean; error?: string | null }> {
    return new Promise((resolve, reject) => {
      racer.once('message', resolve as (m: unknown) => void);
      racer.once('exit', (code) => reject(new Error(`racer exited with ${code}`)));
    });
  }

  it(`${RACERS} processes racing for a stale lock: exactly one holds it, in each of ${TRIALS} seeded trials`, async () => {
    const random = seeded(SEED);
    const failures: string[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const dir = path.join(root, `race-${trial}`);
      mkdirSync(dir);
      writeFileSync(lockFile(dir), staleOwner(String(trial)));
      const goAt = Date.now() + 40;
      const answers = racers.map((racer) => nextMessage(racer));
      for (const racer of racers) racer.send({ kind: 'try', dir, goAt, jitterMs: random() < 0.5 ? 0 : Math.floor(random() * 3) });
      const results = await Promise.all(answers);
      const holders = results.filter((r) => r.held).length;
      const errors = results.flatMap((r) => (r.error ? [r.error] : []));
      if (holders !== 1 || errors.length > 0) failures.push(`trial ${trial} (seed ${SEED}): ${holders} holders${errors.length ? `; ${errors.join('; ')}` : ''}`);
      const released = racers.map((racer) => nextMessage(racer));
      for (const racer of racers) racer.send({ kind: 'release' });
      await Promise.all(released);
    }
    expect(failures).toEqual([]);
  }, 60_000);
});

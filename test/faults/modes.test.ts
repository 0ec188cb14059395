import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src-main/engine/engine';
import type { AttemptRecord, JobDetail } from '../../src-main/engine/types';
import { quote, renderCounts, tempDir } from '../helpers/fake-dcc';
import { isLive, liveProcessesInGroup, pngProblem, privateFakeDcc } from '../chaos/support';
import { spool } from '../helpers/spool-cli';
import { waitFor } from '../helpers/wait';

/**
 * Fault injection with the fake renderer's misbehaviours, through the engine's API: each fault
 * must end in the reason a user is shown and the retry behaviour the design promises
 * (retryable faults retried up to the job's limit, hopeless ones failed at once).
 * engine.test.ts covers the plain cases (a missing frame with no retries, a licence error, a
 * stall, a cancel); these add the attempt counts, the process tree and the log on disk.
 */

const GRACE_MS = 500;
/** Backoff base for these tests: the 5 s default would make every retry here a 5 s wait. */
const RETRY_BASE_MS = 100;

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

async function start(): Promise<{ e: Engine; dir: string; fake: string }> {
  const dir = tempDir('spool-faults-');
  engine = await Engine.start({ dataDir: path.join(dir, 'data'), killGraceMs: GRACE_MS, retryBaseMs: RETRY_BASE_MS });
  return { e: engine, dir, fake: privateFakeDcc(dir) };
}

function template(fake: string, extra: string, perFrame = false): string {
  const frames = perFrame ? '--frame {frame}' : '--start {start} --end {end}';
  return `${quote(process.execPath)} ${quote(fake)} ${frames} --out {output} ${extra}`.trim();
}

/** A command-template job running the fake DCC with these flags, its frames written to dir/out. */
function fakeJob(dir: string, fake: string, flags: string, fields: Record<string, unknown>, perFrame = false): Record<string, unknown> {
  return { dcc: 'command', ...fields, output: path.join(dir, 'out', 'f_####.png'), overrides: { template: template(fake, flags, perFrame) } };
}

async function settled(e: Engine, id: number): Promise<JobDetail> {
  await e.untilIdle();
  return e.jobDetail(id);
}

const reasons = (attempts: AttemptRecord[]): (string | null)[] => attempts.map((a) => a.reason);

describe('renderer crashes and bad exits', () => {
  it('SIGSEGV: retried after the backoff, the retry renders only the frames not done, then succeeds', async () => {
    const { e, dir, fake } = await start();
    const counter = path.join(dir, 'count');
    const job = await e.submit(fakeJob(dir, fake, `--mode segv --mode-frame 3 --counter ${quote(counter)} --fail-once ${quote(path.join(dir, 'once'))}`, { frames: '1-4', chunk: 4, retries: 1 }));
    const detail = await settled(e, job.id);
    expect(detail.job.status).toBe('succeeded');
    expect(detail.attempts).toHaveLength(2);
    expect(detail.attempts[0]).toMatchObject({ reason: 'crashed: killed by SIGSEGV', signal: 'SIGSEGV', exitCode: null });
    expect(detail.attempts[1]!.reason).toBeNull();
    // The retry waited for its backoff and was given frames 3-4 only.
    expect(detail.attempts[1]!.startedAt - detail.attempts[0]!.endedAt!).toBeGreaterThanOrEqual(RETRY_BASE_MS - 5);
    const argv = detail.attempts[1]!.argv;
    expect([argv[argv.indexOf('--start') + 1], argv[argv.indexOf('--end') + 1]]).toEqual(['3', '4']);
    expect([...renderCounts(counter).entries()].sort()).toEqual([[1, 1], [2, 1], [3, 1], [4, 1]]);
  });

  it('SIGSEGV every time: fails after 1 + retries attempts with the crash as the reason', async () => {
    const { e, dir, fake } = await start();
    const job = await e.submit(fakeJob(dir, fake, '--mode segv --mode-frame 2', { frames: '1-2', chunk: 2, retries: 2 }));
    const detail = await settled(e, job.id);
    expect(detail.job.status).toBe('failed');
    expect(detail.job.reason).toBe('crashed: killed by SIGSEGV (after 3 attempts)');
    expect(reasons(detail.attempts)).toEqual(Array(3).fill('crashed: killed by SIGSEGV'));
    // Backoff doubles: 100 ms, then 200 ms.
    const gaps = detail.attempts.slice(1).map((a, i) => a.startedAt - detail.attempts[i]!.endedAt!);
    expect(gaps[0]).toBeGreaterThanOrEqual(RETRY_BASE_MS - 5);
    expect(gaps[1]).toBeGreaterThanOrEqual(2 * RETRY_BASE_MS - 5);
    expect(detail.frames.map((f) => f.state)).toEqual(['done', 'failed']);
  });

  it('a non-zero exit code after a frame: retried, reason names the code, the retry renders only what is left', async () => {
    const { e, dir, fake } = await start();
    const counter = path.join(dir, 'count');
    const job = await e.submit(fakeJob(dir, fake, `--mode exit-code --code 7 --mode-frame 2 --counter ${quote(counter)} --fail-once ${quote(path.join(dir, 'once'))}`, { frames: '1-3', chunk: 3, retries: 1 }));
    const detail = await settled(e, job.id);
    expect(detail.job.status).toBe('succeeded');
    expect(reasons(detail.attempts)).toEqual(['exited with code 7', null]);
    expect(detail.attempts[0]!.exitCode).toBe(7);
    // Frames 1 and 2 were written before the exit: the retry rendered frame 3 alone.
    expect([...renderCounts(counter).entries()].sort()).toEqual([[1, 1], [2, 1], [3, 1]]);
  });

  it('exit 0 with a frame missing: retried once, then failed naming the frame and the file', async () => {
    const { e, dir, fake } = await start();
    const out = path.join(dir, 'out', 'f_####.png');
    const job = await e.submit({
      dcc: 'command',
      frames: '1-3',
      chunk: 3,
      retries: 1,
      output: out,
      overrides: { template: template(fake, '--mode missing --mode-frame 2') },
    });
    const detail = await settled(e, job.id);
    const expected = path.join(dir, 'out', 'f_0002.png');
    expect(detail.job.status).toBe('failed');
    expect(reasons(detail.attempts)).toEqual([`frame 2 was not written (expected ${expected})`, `frame 2 was not written (expected ${expected})`]);
    expect(detail.job.reason).toBe(`frame 2 was not written (expected ${expected}) (after 2 attempts)`);
    expect(detail.frames.map((f) => f.state)).toEqual(['done', 'failed', 'done']);
  });

  it('a zero-byte frame is not done: retried, and the retry writes a real image', async () => {
    const { e, dir, fake } = await start();
    const job = await e.submit(fakeJob(dir, fake, `--mode zero --mode-frame 2 --fail-once ${quote(path.join(dir, 'once'))}`, { frames: '1-3', chunk: 3, retries: 1 }));
    const detail = await settled(e, job.id);
    const file = path.join(dir, 'out', 'f_0002.png');
    expect(detail.attempts[0]!.reason).toBe(`frame 2 was written empty (0 bytes): ${file}`);
    expect(detail.job.status).toBe('succeeded');
    expect(detail.attempts).toHaveLength(2);
    expect(pngProblem(file)).toBeNull();
  });

  it('a licence error, end to end through the CLI: failed after one attempt, reason shown by submit --wait and show --json', async () => {
    const dir = tempDir('spool-faults-cli-');
    const data = path.join(dir, 'data');
    const fake = privateFakeDcc(dir);
    const r = await spool(data, [
      'submit', '--dcc', 'command', '--template', template(fake, '--mode licence'), '--frames', '1-2', '--chunk', '2', '--retries', '3',
      '--output', path.join(dir, 'out', 'f_####.png'), '--wait', '--json',
    ]);
    expect(r.code).toBe(1);
    const waited = JSON.parse(r.stdout) as { id: number; status: string; reason: string; attempts: unknown[] };
    expect(waited.status).toBe('failed');
    expect(waited.reason).toMatch(/^licence: .*License error.*\(not retried\)$/);
    expect(waited.attempts).toHaveLength(1);
    const shown = JSON.parse((await spool(data, ['show', String(waited.id), '--json'])).stdout) as { reason: string; attempts: { reason: string }[] };
    expect(shown.reason).toBe(waited.reason);
    expect(shown.attempts.map((a) => a.reason)).toEqual([expect.stringMatching(/^licence: .*License error/)]);
  });
});

describe('renderers that go quiet, start slowly or talk too much', () => {
  it('a hang with no output: the stall timeout kills the child and its grandchild, on every attempt', async () => {
    const { e, dir, fake } = await start();
    const job = await e.submit(fakeJob(dir, fake, '--mode hang', { frames: '1', retries: 1, stallTimeoutSec: 1 }, true));
    // Catch each attempt's process tree while it hangs: the renderer and the grandchild it started.
    const trees = new Map<number, number[]>();
    const watch = setInterval(() => {
      for (const a of e.jobDetail(job.id).attempts) {
        if (a.pid === null || a.endedAt !== null) continue;
        const members = liveProcessesInGroup(a.pid).map((p) => p.pid);
        if (members.length > (trees.get(a.id)?.length ?? 0)) trees.set(a.id, members);
      }
    }, 25);
    const detail = await settled(e, job.id);
    clearInterval(watch);

    expect(detail.job.status).toBe('failed');
    expect(detail.job.reason).toBe('no output for 1 s (after 2 attempts)');
    expect(reasons(detail.attempts)).toEqual(['no output for 1 s', 'no output for 1 s']);
    expect(trees.size).toBe(2);
    for (const [attemptId, pids] of trees) {
      expect(pids.length, `attempt ${attemptId} had a grandchild`).toBe(2);
      for (const pid of pids) expect(isLive(pid), `pid ${pid} of attempt ${attemptId}`).toBe(false);
    }
  });

  it('a slow start within the stall timeout succeeds; a slower one than the timeout is a stall', async () => {
    const { e, dir, fake } = await start();
    const ok = await e.submit({
      dcc: 'command',
      frames: '1-2',
      chunk: 2,
      retries: 0,
      stallTimeoutSec: 3,
      output: path.join(dir, 'ok', 'f_####.png'),
      overrides: { template: template(fake, '--mode slow-start --startup-ms 1500') },
    });
    const late = await e.submit({
      dcc: 'command',
      frames: '1',
      retries: 0,
      stallTimeoutSec: 1,
      output: path.join(dir, 'late', 'f_####.png'),
      overrides: { template: template(fake, '--mode slow-start --startup-ms 2500', true) },
    });
    await e.untilIdle();
    const good = e.jobDetail(ok.id);
    expect(good.job.status).toBe('succeeded');
    expect(good.attempts).toHaveLength(1);
    const bad = e.jobDetail(late.id);
    expect(bad.job.status).toBe('failed');
    expect(bad.job.reason).toBe('no output for 1 s');
  });

  it('a flood of output: the job succeeds and the log on disk holds every line, in order', async () => {
    const { e, dir, fake } = await start();
    const lines = 200_000;
    const job = await e.submit(fakeJob(dir, fake, `--mode flood --lines ${lines}`, { frames: '1-2', chunk: 2, retries: 0, stallTimeoutSec: 30 }));
    const began = Date.now();
    const detail = await settled(e, job.id);
    console.log(`flood through the engine: ${lines} lines in ${Date.now() - began} ms`);
    expect(detail.job.status).toBe('succeeded');
    expect(detail.attempts).toHaveLength(1);
    const log = readFileSync(detail.attempts[0]!.logPath, 'utf8').split('\n');
    const flood = log.filter((l) => l.startsWith('flood '));
    expect(flood).toHaveLength(lines);
    for (let i = 0; i < lines; i += 9973) expect(flood[i]!.slice(6, 14)).toBe(String(i).padStart(8, '0'));
    expect(flood.at(-1)!.slice(6, 14)).toBe(String(lines - 1).padStart(8, '0'));
    expect(log).toContain(`Saved: '${path.join(dir, 'out', 'f_0002.png')}'`);
  });
});

describe('stopping a renderer that will not stop', () => {
  it('cancel of a child that ignores SIGTERM: SIGKILL after the grace, the attempt ends, the job is canceled', async () => {
    const { e, dir, fake } = await start();
    const job = await e.submit(fakeJob(dir, fake, '--mode ignore-term --mode-frame 2', { frames: '1-3', chunk: 3 }));
    await waitFor('the renderer to tick', () => (readLog(e, job.id).includes('still rendering, tick 2') ? true : undefined), 20_000);
    const pid = e.jobDetail(job.id).attempts[0]!.pid!;
    const canceledAt = Date.now();
    e.setIntent(job.id, 'canceled');
    const detail = await settled(e, job.id);
    const attempt = detail.attempts[0]!;
    expect(detail.job.status).toBe('canceled');
    expect(attempt.endedAt).not.toBeNull();
    expect(attempt.signal).toBe('SIGKILL');
    expect(attempt.endedAt! - canceledAt).toBeGreaterThanOrEqual(GRACE_MS - 20);
    expect(attempt.endedAt! - canceledAt).toBeLessThan(GRACE_MS + 4000);
    expect(isLive(pid)).toBe(false);
    expect(detail.frames.map((f) => f.state)).toEqual(['done', 'canceled', 'canceled']);
  });
});

describe('the queue goes on after a job breaks', () => {
  it('the executable vanishes between two chunks: the job fails naming it, the next job still renders', async () => {
    const { e, dir } = await start();
    const script = privateFakeDcc(dir, 'vanishing-renderer.mjs');
    const first = await e.submit({
      dcc: 'command',
      frames: '1-4',
      chunk: 2,
      retries: 2,
      priority: 10,
      output: path.join(dir, 'a', 'f_####.png'),
      overrides: { template: `${quote(script)} --start {start} --end {end} --out {output} --ms-per-frame 50` },
    });
    const next = await e.submit({
      dcc: 'command',
      frames: '1-2',
      chunk: 2,
      output: path.join(dir, 'b', 'f_####.png'),
      overrides: { template: template(privateFakeDcc(dir), '') },
    });
    // Deleted the moment the first chunk's last frame is checkpointed, before the second chunk can start.
    e.on('frame', (f) => {
      if (f.jobId === first.id && f.frame === 2 && f.state === 'done' && existsSync(script)) unlinkSync(script);
    });
    await e.untilIdle();
    const broken = e.jobDetail(first.id);
    expect(broken.frames.map((f) => f.state)).toEqual(['done', 'done', 'failed', 'failed']);
    expect(broken.job.status).toBe('failed');
    // Not retried: the program is gone, and the reason says which program.
    expect(broken.attempts).toHaveLength(2);
    expect(broken.job.reason).toContain(script);
    expect(broken.job.reason).toMatch(/not found/);
    expect(broken.job.reason).toMatch(/not retried/);
    const rendered = e.jobDetail(next.id);
    expect(rendered.job.status).toBe('succeeded');
    expect(rendered.frames.every((f) => f.state === 'done')).toBe(true);
  });
});

function readLog(e: Engine, id: number): string {
  try {
    return e.readLog(id).text;
  } catch {
    return '';
  }
}

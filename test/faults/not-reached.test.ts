import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src-main/engine/engine';
import { notReachedReason } from '../../src-main/engine/lifecycle/not-reached';
import { quote, renderCounts, tempDir } from '../helpers/fake-dcc';
import { privateFakeDcc } from '../chaos/support';

/**
 * A chunk that failed on one frame never ran the frames after it: those are "not reached"
 * (queued again with their own reason), not failed, and a retry renders them (issue 13, finding 6).
 */

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

describe('frames a failed chunk never reached', () => {
  it('fail on frame 3 of 1-6: 1-2 done, 3 failed, 4-6 queued as not reached; the job failed; retry renders 3-6', async () => {
    const dir = tempDir('spool-notreached-');
    engine = await Engine.start({ dataDir: path.join(dir, 'data'), killGraceMs: 500, retryBaseMs: 100, detect: false });
    const e = engine;
    const fake = privateFakeDcc(dir);
    const counter = path.join(dir, 'count');
    const flags = `--mode segv --mode-frame 3 --counter ${quote(counter)} --fail-once ${quote(path.join(dir, 'once'))}`;
    const template = `${quote(process.execPath)} ${quote(fake)} --start {start} --end {end} --out {output} ${flags}`;
    const job = await e.submit({ dcc: 'command', frames: '1-6', chunk: 6, retries: 0, output: path.join(dir, 'out', 'f_####.png'), overrides: { template } });
    await e.untilIdle();

    const failed = e.jobDetail(job.id);
    expect(failed.job.status).toBe('failed');
    expect(failed.job.framesFailed).toBe(1);
    expect(failed.frames.map((f) => [f.frame, f.state])).toEqual([[1, 'done'], [2, 'done'], [3, 'failed'], [4, 'queued'], [5, 'queued'], [6, 'queued']]);
    expect(failed.frames[2]!.reason).toContain('crashed: killed by SIGSEGV');
    for (const f of failed.frames.slice(3)) expect(f.reason).toBe(notReachedReason(3));
    expect(notReachedReason(3)).toBe('not reached: frame 3 failed first');

    e.retry(job.id);
    await e.untilIdle();
    const retried = e.jobDetail(job.id);
    expect(retried.job.status).toBe('succeeded');
    expect(retried.frames.every((f) => f.state === 'done')).toBe(true);
    const argv = retried.attempts[1]!.argv;
    expect([argv[argv.indexOf('--start') + 1], argv[argv.indexOf('--end') + 1]]).toEqual(['3', '6']);
    expect([...renderCounts(counter).entries()].sort((a, b) => a[0] - b[0])).toEqual([[1, 1], [2, 1], [3, 1], [4, 1], [5, 1], [6, 1]]);
  });
});

import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src-main/engine/engine';
import { StoreQueue } from '../../src-main/engine/queue-client';
import { readBatchFile } from '../../src-main/engine/batch/load';
import type { WatchEvent } from '../../src-main/engine/watch/watch-folders';
import { tempDir } from '../helpers/fake-dcc';
import { spoolSync } from '../helpers/spool-cli';

/**
 * A watch folder queues only what its owner allowed; batch files and watch folders may not set
 * environment variables that change what runs or is loaded; a program is always looked up on
 * Spool's own PATH. Every attack writes a marker file if it runs: the marker must not exist.
 */
let engine: Engine | null = null;
const opened: StoreQueue[] = [];
afterEach(async () => {
  await engine?.stop();
  engine = null;
  for (const q of opened.splice(0)) q.close();
});

function nextEvent(e: Engine, file: string): Promise<WatchEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no watch event for ${file}`)), 15_000);
    const on = (event: WatchEvent): void => {
      if (event.file !== file) return;
      clearTimeout(timer);
      e.off('watched', on);
      resolve(event);
    };
    e.on('watched', on);
  });
}

const attack = (marker: string, extra = '') => `jobs:\n  - name: pwn\n    dcc: command\n    frames: 1\n    template: '/bin/sh -c "id > ${marker}"'\n${extra}`;

describe('watch folders run only what their owner allowed', () => {
  it('refuses the dropped command-template batch file of the report, with a clear message, and runs nothing', async () => {
    const dir = tempDir('spool-sec-watch-');
    const drop = path.join(dir, 'DROP');
    mkdirSync(drop);
    const data = path.join(dir, 'data');
    const marker = path.join(dir, 'pwned');
    // The owner's words: render Blender scenes dropped here, frame 1.
    expect(spoolSync(data, ['watch', 'DROP', '--dcc', 'blender', '--frames', '1'], { cwd: dir }).code).toBe(0);
    engine = await Engine.start({ dataDir: data, detect: false, killGraceMs: 500, watchPollMs: 100, watchStableMs: 200 });

    const batch = path.join(drop, 'evil.yaml');
    writeFileSync(batch, attack(marker));
    expect((await nextEvent(engine, batch)).error).toMatch(/^batch files are not allowed in this watch folder \(allow it with `spool watch .*DROP --allow-batch`\)$/);

    // Batch files allowed, command templates not: still refused, and nothing queued.
    expect(spoolSync(data, ['watch', 'DROP', '--dcc', 'blender', '--frames', '1', '--allow-batch'], { cwd: dir }).stdout).toMatch(/allows: batch\n$/);
    const second = path.join(drop, 'evil2.yaml');
    writeFileSync(second, attack(marker));
    expect((await nextEvent(engine, second)).error).toMatch(/may not choose what program runs .*--allow-command/);
    // A job of another DCC than the ones allowed is refused too.
    const other = path.join(drop, 'other.yaml');
    writeFileSync(other, 'jobs:\n  - name: pov\n    dcc: povray\n    scene: x.pov\n');
    expect((await nextEvent(engine, other)).error).toMatch(/^povray is not allowed in this watch folder \(allow it with `spool watch .* --allow-dcc povray`\)$/);

    expect(engine.listJobs()).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(marker)).toBe(false);
  }, 30_000);

  it('queues a dropped command template only where --allow-command says so, never with a risky env', async () => {
    const dir = tempDir('spool-sec-watch-');
    const drop = path.join(dir, 'DROP');
    mkdirSync(drop);
    const data = path.join(dir, 'data');
    const marker = path.join(dir, 'ran');
    expect(spoolSync(data, ['watch', 'DROP', '--allow-batch', '--allow-command'], { cwd: dir }).code).toBe(0);
    engine = await Engine.start({ dataDir: data, detect: false, killGraceMs: 500, watchPollMs: 100, watchStableMs: 200 });
    const risky = path.join(drop, 'preload.yaml');
    writeFileSync(risky, attack(marker, '    env:\n      LD_PRELOAD: /tmp/evil.so\n'));
    expect((await nextEvent(engine, risky)).error).toMatch(/LD_PRELOAD changes what a render runs or loads, so a watch folder may not set it/);
    const allowed = path.join(drop, 'allowed.yaml');
    writeFileSync(allowed, attack(marker));
    expect(await nextEvent(engine, allowed)).toMatchObject({ error: null, jobIds: [1] });
    await engine.untilIdle();
    expect(existsSync(marker)).toBe(true);
  }, 30_000);

  it('refuses risky environment names in a watch folder’s own defaults', () => {
    const dir = tempDir('spool-sec-watch-');
    const queue = StoreQueue.open(path.join(dir, 'data'));
    opened.push(queue);
    expect(() => queue.watchFolder(dir, { dcc: 'blender', env: { BASH_ENV: '/tmp/x' } })).toThrow(/env\.BASH_ENV: BASH_ENV changes what a render runs or loads/);
    expect(() => queue.watchFolder(dir, {}, { dccs: ['nosuch'] })).toThrow('allow.dccs: Spool has no adapter "nosuch"');
  });
});

describe('batch files may not change what runs or is loaded', () => {
  const RISKY = ['LD_PRELOAD', 'LD_LIBRARY_PATH', 'DYLD_INSERT_LIBRARIES', 'PATH', 'Path', 'BASH_ENV', 'ENV', 'PYTHONPATH', 'PYTHONSTARTUP', 'NODE_OPTIONS', 'PERL5LIB', 'RUBYOPT'];

  it.each(RISKY)('refuses %s with its line, unless Settings allow risky variables', async (name) => {
    const dir = tempDir('spool-sec-env-');
    const queue = StoreQueue.open(path.join(dir, 'data'));
    opened.push(queue);
    const file = path.join(dir, 'b.yaml');
    writeFileSync(file, `jobs:\n  - name: a\n    template: 'true'\n    frames: 1\n    env:\n      OCIO: /ok/config.ocio\n      ${name}: /tmp/x\n`);
    const submission = { kind: 'batch' as const, batch: readBatchFile(file, { display: 'b.yaml' }) };
    await expect(queue.plan(submission)).rejects.toThrow(
      `b.yaml:7: jobs[0].env.${name}: ${name} changes what a render runs or loads, so a batch file may not set it (allow it in Settings → Security: security.allowRiskyEnv)`,
    );
    await expect(queue.submitBatch(submission.batch)).rejects.toThrow(name);
    expect(queue.listJobs()).toEqual([]);
    queue.writeSetting('security.allowRiskyEnv', true);
    expect(await queue.plan(submission)).toHaveLength(1);
  });
});

describe('the program is looked up on Spool’s own PATH', () => {
  it('ignores a PATH the job’s environment sets, for the template’s program and for a command step', async () => {
    const dir = tempDir('spool-sec-path-');
    const evil = path.join(dir, 'evil-bin');
    mkdirSync(evil);
    const marker = path.join(dir, 'pwned');
    // An `sh` of the attacker's, first on the job's PATH.
    writeFileSync(path.join(evil, 'sh'), `#!/bin/sh\necho pwned > '${marker}'\n`);
    chmodSync(path.join(evil, 'sh'), 0o755);
    engine = await Engine.start({ dataDir: path.join(dir, 'data'), detect: false, killGraceMs: 500, watchPollMs: 0 });
    const job = await engine.submit({
      dcc: 'command',
      frames: '1',
      overrides: { template: 'sh -c "exit 0"', env: { PATH: `${evil}:/usr/bin:/bin` } },
      steps: [{ kind: 'command', run: 'sh -c "exit 0"' }],
    });
    await engine.untilIdle();
    const detail = engine.jobDetail(job.id);
    expect(detail.job.status, detail.job.reason ?? '').toBe('succeeded');
    expect(existsSync(marker)).toBe(false);
  }, 30_000);
});

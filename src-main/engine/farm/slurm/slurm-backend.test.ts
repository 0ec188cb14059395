import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slurmAvailable, startTestCluster, type TestCluster } from '../../../../test/helpers/slurm-cluster';
import { FarmUnreachable, type FarmTask } from '../backend';
import type { SlurmProfile } from '../profile';
import { SlurmBackend } from './backend';

/**
 * The Slurm back-end against a real single-node Slurm 22.05 (Debian's slurm-wlm + munge, started
 * here from a temporary config). The farm sees the shared folder under another path (a symlink),
 * so every path crossing goes through the mapping.
 */
describe.skipIf(!slurmAvailable())('Slurm back-end on a real cluster', () => {
  let cluster: TestCluster;
  let root: string;
  let shared: string;
  let profile: SlurmProfile;
  let backend: SlurmBackend;

  beforeAll(async () => {
    cluster = await startTestCluster();
    root = mkdtempSync(path.join(os.tmpdir(), 'spool-farm-'));
    shared = path.join(root, 'shared dir ü');
    mkdirSync(shared);
    symlinkSync(shared, path.join(root, 'farm-view'));
    profile = { kind: 'slurm', name: 'lab', partition: cluster.partition, sbatchArgs: [], pathMap: [{ local: shared, farm: path.join(root, 'farm-view') }] };
    backend = new SlurmBackend(profile, cluster.env);
  });

  afterAll(async () => {
    await cluster?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  async function until(ref: { farmJobId: string; tag: string }, done: (tasks: readonly FarmTask[]) => boolean): Promise<readonly FarmTask[]> {
    for (;;) {
      const tasks = await backend.tasks(ref);
      if (done(tasks)) return tasks;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it('runs one array job whose elements get their argv byte for byte, logs and exit statuses, found again by tag', async () => {
    const odd = ['a b', '$HOME', "it's", '*', ';rm -rf x', 'ünï'];
    const tag = `spool-test-${Date.now()}`;
    const ref = await backend.submit({
      tag,
      name: 'argv',
      dcc: 'command',
      scene: '/dev/null',
      output: null,
      frames: [1, 2],
      slots: 2,
      chunks: [
        { index: 0, frames: [1], argv: ['/usr/bin/printf', '[%s]\\n', ...odd] },
        { index: 1, frames: [2], argv: ['/bin/bash', '-c', 'echo "env=$SPOOL_X"; exit 7'], env: { SPOOL_X: 'y z' } },
      ],
    });
    expect(ref.farmJobId).toMatch(/^\d+$/);
    expect(await backend.findByTag(tag)).toEqual(ref);
    const tasks = await until(ref, (t) => t.every((x) => x.state === 'done' || x.state === 'failed'));
    expect(tasks.map((t) => [t.farmId, t.state, t.exitCode])).toEqual([
      [`${ref.farmJobId}_0`, 'done', 0],
      [`${ref.farmJobId}_1`, 'failed', 7],
    ]);
    expect((await backend.logSince(ref, 0, null)).lines).toEqual(odd.map((a) => `[${a}]`));
    const second = await backend.logSince(ref, 1, null);
    expect(second.lines).toEqual(['env=y z']);
    expect((await backend.logSince(ref, 1, second.cursor)).lines).toEqual([]);
    expect(readFileSync(backend.logFile(tag, 0), 'utf8')).toContain('[a b]');
  });

  it('holds pending elements, releases them, and cancels so nothing is left running or pending', async () => {
    const tag = `spool-hold-${Date.now()}`;
    const sleep = { argv: ['/bin/sleep', '30'] };
    const ref = await backend.submit({ tag, name: 'hold', dcc: 'command', scene: '/dev/null', output: null, frames: [1, 2, 3], slots: 1, chunks: [0, 1, 2].map((i) => ({ index: i, frames: [i + 1], ...sleep })) });
    await until(ref, (t) => t[0]!.state === 'running');
    await backend.hold(ref);
    const held = await until(ref, (t) => t[1]!.state === 'held');
    expect(held.map((t) => t.state)).toEqual(['running', 'held', 'held']);
    await backend.release(ref);
    await until(ref, (t) => t[1]!.state === 'queued');
    await backend.cancel(ref);
    const after = await until(ref, (t) => t.every((x) => x.state === 'canceled' || x.state === 'unknown'));
    expect(after.filter((t) => t.state === 'running' || t.state === 'queued' || t.state === 'held')).toEqual([]);
  });

  it('checks the farm: the controller answers and each mapped folder is writable from the farm side', async () => {
    const good = await backend.check();
    expect(good.ok).toBe(true);
    expect(good.findings.join('\n')).toMatch(/ok: .*farm-view exists and is writable from the farm/);
    const broken = new SlurmBackend({ ...profile, pathMap: [...profile.pathMap, { local: path.join(root, 'nowhere'), farm: path.join(root, 'no-such-farm-dir') }] }, cluster.env);
    const bad = await broken.check();
    expect(bad.ok).toBe(false);
    expect(bad.findings.join('\n')).toMatch(/not ok: the farm could not write to .*no-such-farm-dir/);
  });

  it('says the farm is unreachable while slurmctld is down, and answers again once it is back', async () => {
    await cluster.stopController();
    try {
      await expect(backend.findByTag('anything')).rejects.toBeInstanceOf(FarmUnreachable);
      const check = await backend.check();
      expect(check.ok).toBe(false);
      expect(check.findings[0]).toMatch(/unreachable/);
    } finally {
      await cluster.startController();
    }
    expect(await backend.findByTag('anything')).toBeNull();
  });
});

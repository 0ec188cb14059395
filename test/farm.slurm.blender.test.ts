import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src-main/engine/engine';
import { isCompleteImage } from '../src-main/engine/image-check';
import { BLENDER, makeBlenderScene } from './helpers/blender';
import { CLI, tempDir } from './helpers/fake-dcc';
import { slurmAvailable, startTestCluster, type TestCluster } from './helpers/slurm-cluster';

/**
 * Farm jobs through a real single-node Slurm 22.05 (Debian's slurm-wlm + munge, started here from
 * a temporary config) with real Blender. The farm sees the shared folder under another path (a
 * symlink), so scene, output, logs and `Saved:` lines all cross the path mapping.
 */
let cluster: TestCluster;
let dir: string;
let shared: string;
let farmView: string;
let scene: string;
let engine: Engine | null = null;

beforeAll(async () => {
  if (!slurmAvailable()) return;
  cluster = await startTestCluster();
  Object.assign(process.env, cluster.env);
  dir = tempDir('spool-farm-blender-');
  shared = path.join(dir, 'shared');
  farmView = path.join(dir, 'farm view');
  mkdirSync(shared);
  symlinkSync(shared, farmView);
  scene = await makeBlenderScene(shared, { file: 'shot.blend', start: 1, end: 12, resolution: [64, 36], samples: 4 });
}, 120_000);

afterEach(async () => {
  await engine?.stop();
  engine = null;
});

afterAll(async () => {
  await cluster?.stop();
});

async function startEngine(dataDir: string): Promise<Engine> {
  engine = await Engine.start({ dataDir, detect: false, watchPollMs: 0, killGraceMs: 1000, farmPollMs: 200, retryBaseMs: 10 });
  engine.saveFarm({ kind: 'slurm', name: 'lab', partition: cluster.partition, pathMap: [{ local: shared, farm: farmView }] });
  return engine;
}

async function until(what: string, test: () => boolean, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** How many times each frame was saved, by the `Saved:` lines of all the job's attempts' logs. */
function savedCounts(e: Engine, id: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (const attempt of e.jobDetail(id).attempts) {
    const text = existsSync(attempt.logPath) ? readFileSync(attempt.logPath, 'utf8') : '';
    for (const m of text.matchAll(/Saved: '.*?(\d+)\.png'/g)) counts.set(Number(m[1]), (counts.get(Number(m[1])) ?? 0) + 1);
  }
  return counts;
}

/** Elements of arrays this test's cluster still runs or holds. */
function liveElements(): string[] {
  const out = spawnSync('squeue', ['-h', '-r', '-t', 'PD,R,CG', '-o', '%i %T'], { encoding: 'utf8', env: { ...process.env, ...cluster.env } });
  return out.stdout.split('\n').filter(Boolean);
}

describe.skipIf(!slurmAvailable())('farm jobs on a real Slurm with real Blender', () => {
  it('renders 12 frames in 3 chunks as one array job: Saved: lines live, frames verified on disk, farm ids on attempts', async () => {
    const e = await startEngine(path.join(dir, 'data-main'));
    const live: string[] = [];
    e.on('log', (event) => {
      if (/Saved:/.test(event.line) && e.job(event.jobId).status === 'running') live.push(event.line);
    });
    const job = await e.submit({ scene, frames: '1-12', chunk: 4, slots: 3, retries: 0, farm: 'lab', output: path.join(shared, 'main', 'f_####') });
    await until('the job to finish', () => ['succeeded', 'failed'].includes(e.job(job.id).status));
    const detail = e.jobDetail(job.id);
    expect(detail.job.status).toBe('succeeded');
    expect(detail.job.framesDone).toBe(12);
    for (let f = 1; f <= 12; f++) expect(isCompleteImage(path.join(shared, 'main', `f_${String(f).padStart(4, '0')}.png`))).toBe(true);
    // Lines came while the job ran, with this machine's paths (the farm printed its own).
    expect(live.length).toBeGreaterThanOrEqual(1);
    expect(live[0]).toContain(shared);
    const subs = e.store.farms.submissionsOf(job.id);
    expect(subs).toHaveLength(1);
    expect(subs[0]!.taskIds).toHaveLength(3);
    expect(detail.attempts.map((a) => e.store.farms.farmIdOf(a.id))).toEqual([0, 1, 2].map((i) => `${subs[0]!.farmJobId}_${i}`));
    // The attempt's log keeps the farm's own bytes: the farm-side path.
    expect(readFileSync(detail.attempts[0]!.logPath, 'utf8')).toContain(`Saved: '${farmView}`);
    expect([...savedCounts(e, job.id).values()].every((n) => n === 1)).toBe(true);
  });
});

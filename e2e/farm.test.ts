import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveFarm } from '../src-main/engine/farm/profiles';
import { slurmAvailable, startTestCluster, type TestCluster } from '../test/helpers/slurm-cluster';
import { launchBrowser, openApp, poll, screenshot, startSpool, tinyScene, waitUntil, type Spool } from './helpers';

/**
 * A farm job watched in Chromium: real Blender through a real single-node Slurm (started here
 * from a temporary config), `spool serve` polling it. The farm sees the shared folder under
 * another path (a symlink), so every line and frame crosses the path mapping.
 */
describe.skipIf(!slurmAvailable())('a Slurm farm job in the browser', () => {
  let cluster: TestCluster;
  let browser: Browser;
  let spool: Spool;
  let dir: string;
  let shared: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'spool-e2e-farm-'));
    shared = path.join(dir, 'shared');
    const farmView = path.join(dir, 'farm view');
    mkdirSync(shared);
    symlinkSync(shared, farmView);
    [cluster, browser] = await Promise.all([startTestCluster(), launchBrowser()]);
    spool = await startSpool({
      env: cluster.env,
      seed: (store) => saveFarm(store, { kind: 'slurm', name: 'lab', partition: cluster.partition, pathMap: [{ local: shared, farm: farmView }] }),
    });
  });
  afterAll(async () => {
    await browser?.close();
    await spool?.stop();
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('12 frames in 3 chunks through Slurm: Saved: lines live, the grid fills, attempts carry the farm ids, the command to see it on the farm', async () => {
    const scene = await tinyScene(shared, { file: 'shot.blend', start: 1, end: 12, samples: 1 });
    // One element at a time: the job is still running on the farm when the first chunk's lines arrive.
    const job = await spool.api('jobs.submit', { scene, frames: '1-12', chunk: 4, slots: 1, retries: 0, farm: 'lab', output: path.join(shared, 'out', 'f_####.png') });
    const { page, problems } = await openApp(browser, spool, `#/job/${job.id}`);
    await page.getByTestId('job-view').waitFor();
    expect(await page.getByTestId('job-farm').textContent()).toBe('on farm lab');

    // A Saved: line in the live log while later chunks are still to come.
    await waitUntil('a Saved: line in the live log', () => page.locator('[data-testid=log-line]', { hasText: 'Saved:' }).count(), 60_000);
    const doneWhenSeen = await page.locator('[data-testid=frame-cell][data-state=done]').count();
    expect(doneWhenSeen).toBeGreaterThan(0);
    expect(doneWhenSeen).toBeLessThan(12);
    // The farm printed its own path; the live view shows this machine's.
    expect(await page.locator('[data-testid=log-line]', { hasText: 'Saved:' }).first().textContent()).toContain(path.join(shared, 'out'));

    await waitUntil('all twelve frames done', async () => (await page.locator('[data-testid=frame-cell][data-state=done]').count()) === 12, 90_000, 250);
    await page.locator('[data-testid=job-view] .pill-succeeded').waitFor();
    const detail = await spool.api('jobs.get', { id: job.id });
    const ids = detail.attempts.map((a) => a.farmId);
    expect(ids).toHaveLength(3);
    const array = /^(\d+)_0$/.exec(ids[0] ?? '')?.[1];
    expect(ids).toEqual([0, 1, 2].map((i) => `${array}_${i}`));
    await poll(() => page.getByTestId('attempt-farm-id').allTextContents()).toEqual([2, 1, 0].map((i) => `lab ${array}_${i}`));
    // And how to see it in Slurm's own tools.
    await poll(() => page.getByTestId('farm-see').textContent()).toBe(`squeue -r -j ${array}   (or: scontrol show job ${array})`);
    await screenshot(page, 'job-farm-slurm');
    expect(problems).toEqual([]);
    await page.close();
  });
});

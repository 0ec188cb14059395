import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandJobSpec } from '../test/helpers/store-seed';
import type { Store } from '../src-main/engine/store';
import { CLI } from '../test/helpers/fake-dcc';
import { launchBrowser, openApp, poll, startSpool, type Spool } from './helpers';

/** A paused farm job whose one chunk ran as Slurm element 4242_0: what the job view shows of it. */
function seedFarmJob(store: Store): void {
  store.farms.saveProfile({ name: 'hpc', kind: 'slurm', config: { kind: 'slurm', name: 'hpc', pathMap: [], partition: null, sbatchArgs: [] }, secretFile: null });
  const spec = commandJobSpec({ name: 'on the farm', framesText: '1-2', chunkSize: 2, overrides: { template: 'true {frame}' }, farm: 'hpc' });
  const job = store.jobs.insert(spec, [1, 2], [[1, 2]]);
  const task = store.work.tasksOf(job.id)[0]!;
  const attempt = store.work.startAttempt(task.id, ['true', '1'], { kind: 'cpu', threads: 1 }, (id) => `/nonexistent/${id}.log`);
  store.farms.recordFarmId(attempt.id, '4242_0');
  // Stopped by a pause: nothing runs or is handed off when the engine starts.
  store.rawHandleForTests().exec(`
    UPDATE attempts SET ended_at = started_at + 1000, outcome = 'paused' WHERE id = ${attempt.id};
    UPDATE tasks SET state = 'queued' WHERE id = ${task.id};
    UPDATE frames SET state = 'queued' WHERE job_id = ${job.id};
    UPDATE jobs SET intent = 'paused' WHERE id = ${job.id};
  `);
}

/**
 * "Render on" in the new-job form (issue 12): a farm profile added with the CLI is offered, and a
 * scene outside its shared folders is refused beside the scene field. No farm is needed: the
 * engine refuses before it would call one.
 */
describe('render on a farm, from the new-job form (browser mode)', () => {
  let browser: Browser;
  let spool: Spool;

  beforeAll(async () => {
    [browser, spool] = await Promise.all([launchBrowser(), startSpool()]);
    const shared = path.join(spool.tmp, 'shared');
    mkdirSync(shared, { recursive: true });
    const added = spawnSync(process.execPath, [CLI, '--data-dir', spool.dataDir, 'farm', 'add', 'slurm', 'hpc', '--path-map', `${shared}=/srv/shared`], { encoding: 'utf8', timeout: 30_000 });
    expect(added.status, added.stderr).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await spool?.stop();
  });

  it('lists the farm profile, and shows the mapping refusal on the scene field', async () => {
    const elsewhere = path.join(spool.tmp, 'elsewhere');
    mkdirSync(elsewhere, { recursive: true });
    const scene = path.join(elsewhere, 'ball.pov');
    writeFileSync(scene, 'sphere { <0, 0, 0>, 1 pigment { color rgb <1, 0, 0> } }\n');

    const { page, problems } = await openApp(browser, spool);
    await page.getByTestId('new-job').click();
    const renderOn = page.locator('#farm');
    await renderOn.waitFor();
    expect(await renderOn.locator('option').allTextContents()).toEqual(['This workstation', 'hpc (Slurm)']);
    expect(await renderOn.inputValue()).toBe('');

    await page.getByTestId('scene-input').fill(scene);
    await page.getByTestId('frames-input').fill('1-2');
    await renderOn.selectOption('hpc');
    await page.getByTestId('submit-job').click();
    await poll(() => page.getByTestId('scene-error').textContent()).toContain('is not under a path farm hpc shares');
    expect(await page.getByTestId('scene-error').textContent()).toContain(`/srv/shared`);
    // Refused, so nothing was queued.
    expect(await spool.api('jobs.list', {})).toEqual([]);
    expect(problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
  });

  it('shows a farm job\'s farm and the farm\'s ids of its attempts', async () => {
    const seeded = await startSpool({ seed: seedFarmJob });
    try {
      const [job] = await seeded.api('jobs.list', {});
      const { page, problems } = await openApp(browser, seeded, `#/job/${job!.id}`);
      await poll(() => page.getByTestId('job-farm').textContent()).toBe('on farm hpc');
      expect(await page.getByTestId('attempt-farm-id').textContent()).toBe('hpc 4242_0');
      expect(problems).toEqual([]);
    } finally {
      await seeded.stop();
    }
  });
});

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreQueue } from '../src-main/engine/queue-client';
import { browserAndSpool, openApp, poll, screenshot } from './helpers';

/** A Slurm config whose controller nobody runs: Test must say so, fast. No Slurm is started. */
function deadSlurmConf(): string {
  const conf = path.join(mkdtempSync(path.join(os.tmpdir(), 'spool-noslurm-')), 'slurm.conf');
  writeFileSync(conf, 'ClusterName=gone\nSlurmctldHost=localhost\nSlurmctldPort=1\nMessageTimeout=1\nNodeName=localhost\nPartitionName=render Nodes=localhost\n');
  return conf;
}

/**
 * Farm profiles in Settings and "Render on" in Modify (issue 12), in Chromium against a real
 * engine: add a Slurm profile, test it against a cluster that is not there, move a queued job onto
 * it and back (and not a job already handed to it), remove it. No farm runs: the engine never
 * hands the (blocked) jobs off; the hand-off that locks one is written to the store by the test.
 */
describe('farms in Settings and Modify (browser mode)', () => {
  const ctx = browserAndSpool({ env: { SLURM_CONF: deadSlurmConf() } });

  it('adds a Slurm profile, tests it, moves a queued job onto it and back (not once handed off), removes it', async () => {
    const { browser, spool } = ctx;
    const shared = path.join(spool.tmp, 'shared');
    mkdirSync(shared, { recursive: true });
    const { page, problems } = await openApp(browser, spool, '#/settings');
    // In-page navigation: the page keeps its connection (and its token).
    const go = (hash: string) => page.evaluate((h) => void ((globalThis as unknown as { location: { hash: string } }).location.hash = h), hash);
    const card = page.getByTestId('farms');
    await poll(() => card.textContent()).toContain('No farm yet');

    // A relative local folder is refused beside its row, with the CLI's words.
    await page.locator('#farm-name').fill('hpc');
    await page.locator('#farm-partition').fill('render');
    await page.getByLabel('Local folder 1').fill('shared');
    await page.getByLabel('Farm folder 1').fill('/srv/shared');
    await page.getByTestId('farm-add-submit').click();
    await poll(() => page.getByTestId('farm-map-error').textContent()).toBe('the local side of a path mapping must be an absolute path');
    await page.getByLabel('Local folder 1').fill(shared);
    await page.getByTestId('farm-add-submit').click();
    const item = page.getByTestId('farm-item');
    await poll(() => item.textContent()).toContain('hpc (Slurm) · partition render');
    expect(await item.textContent()).toContain(`${shared} = /srv/shared`);
    expect(await page.locator('#farm-name').inputValue()).toBe('');

    // Test: the controller is not there, and the check says so.
    await page.getByRole('button', { name: 'Test farm hpc' }).click();
    await poll(() => page.getByTestId('farm-test-verdict').textContent()).toBe('Farm hpc is not ready:');
    const check = page.getByTestId('farm-check').first();
    expect(await check.getAttribute('data-state')).toBe('problem');
    expect(await check.textContent()).toMatch(/not ok: farm hpc is unreachable: .*(Unable to contact slurm controller|not installed here)/);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-farms');

    // Modify: a blocked job (it waits for a paused one) moves onto the farm, then back.
    const gate = await spool.api('jobs.submit', { dcc: 'command', name: 'gate', frames: '1', overrides: { template: 'sleep 60 {frame}' } });
    await spool.api('jobs.pause', { ids: [gate.id], now: true });
    writeFileSync(path.join(shared, 'scene.txt'), 'x');
    const job = await spool.api('jobs.submit', {
      scene: path.join(shared, 'scene.txt'),
      dcc: 'command',
      name: 'moves',
      frames: '1-2',
      output: path.join(shared, 'out', 'f_####.png'),
      overrides: { template: 'true {scene} {frame} {output}' },
      after: [gate.id],
    });
    for (const [choice, farm] of [['hpc', 'hpc'], ['', null]] as const) {
      await go(`#/job/${job.id}`);
      await page.locator('[data-testid=job-view] [data-action=modify]').click();
      const renderOn = page.getByTestId('render-on');
      await renderOn.waitFor();
      expect(await renderOn.isDisabled()).toBe(false);
      await renderOn.selectOption(choice);
      await page.getByTestId('submit-job').click();
      await page.getByTestId('new-job-panel').waitFor({ state: 'detached' });
      expect((await spool.api('jobs.get', { id: job.id })).job.farm ?? null).toBe(farm);
    }

    // Once a hand-off is stored (the farm may have its chunks), Render on stays put and says why.
    const onFarm = await spool.api('jobs.submit', { scene: path.join(shared, 'scene.txt'), dcc: 'command', name: 'handed', frames: '1', farm: 'hpc', output: path.join(shared, 'out', 'h_####.png'), overrides: { template: 'true {frame}' }, after: [gate.id] });
    const queue = StoreQueue.open(spool.dataDir);
    try {
      queue.store.farms.recordIntent(onFarm.id, 'hpc', 'spool-e2e-tag', []);
    } finally {
      queue.close();
    }
    await go(`#/job/${onFarm.id}`);
    await page.locator('[data-testid=job-view] [data-action=modify]').click();
    await page.getByTestId('render-on').waitFor();
    expect(await page.getByTestId('render-on').isDisabled()).toBe(true);
    expect(await page.locator('#farm').locator('xpath=..').textContent()).toContain(`job ${onFarm.id} was already handed to farm hpc: cancel it and submit it again`);
    await page.keyboard.press('Escape');
    await page.getByTestId('new-job-panel').waitFor({ state: 'detached' });
    await spool.api('jobs.delete', { ids: [onFarm.id] });

    // Remove, after a confirmation.
    await go('#/settings');
    await page.getByRole('button', { name: 'Remove farm hpc' }).click();
    await page.getByTestId('confirm').click();
    await poll(() => card.textContent()).toContain('No farm yet');
    expect(await spool.api('farms.list', {})).toEqual([]);
    expect(problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
  }, 90_000);
});

import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserMode, type BrowserMode } from '../test/helpers/browser-mode';
import { launchBrowser, noisyTemplate, openApp, poll, screenshot, startSpool, writeNoisyRenderer, type Spool } from './helpers';

/** A stable address: the tab opened before a restart keeps working after it, with no new URL. */
describe('browser mode across a server restart', () => {
  let browser: Browser;
  let spool: Spool;
  let restarted: BrowserMode | undefined;

  beforeAll(async () => {
    [browser, spool] = await Promise.all([launchBrowser(), startSpool()]);
  });
  afterAll(async () => {
    await browser?.close();
    await restarted?.stop();
    await spool?.stop();
  });

  it('shows the server gone at once (banner, controls disabled, timer frozen) and reconnects by itself on the same port', async () => {
    const renderer = writeNoisyRenderer(spool.tmp);
    const job = await spool.api('jobs.submit', {
      dcc: 'command',
      name: 'long_one',
      frames: '1-400',
      chunk: 400,
      output: path.join(spool.tmp, 'out', 'long_one.####.png'),
      overrides: { template: noisyTemplate(renderer, '--ms 500') },
    });
    const { page } = await openApp(browser, spool);
    const row = page.locator(`[data-testid=job-row][data-job-id="${job.id}"]`);
    await poll(() => row.getAttribute('data-status')).toBe('running');
    await row.click();
    const pause = page.locator('.toolbar [data-action=pause]');
    await poll(() => pause.isEnabled()).toBe(true);
    // A mark only this page load has: a reload (or a new URL) would lose it.
    await page.evaluate('window.__samePage = true');

    const port = Number(new URL(spool.bm.origin).port);
    await spool.bm.stop();
    const banner = page.getByTestId('connection-banner').filter({ hasText: 'Reconnecting…' });
    await banner.waitFor({ timeout: 10_000 });
    expect(await pause.isDisabled()).toBe(true);
    const elapsed = row.locator('.qcell-num').nth(1);
    const frozenAt = await elapsed.textContent();
    await page.waitForTimeout(2_200);
    expect(await elapsed.textContent()).toBe(frozenAt);
    await screenshot(page, 'reconnect-banner');

    restarted = await startBrowserMode({ dataDir: spool.dataDir, port, timeoutMs: 30_000 });
    expect(restarted.url).toBe(spool.bm.url);
    await banner.waitFor({ state: 'detached', timeout: 20_000 });
    await page.locator('.conn-open').waitFor({ timeout: 5_000 });
    expect(await page.evaluate('window.__samePage')).toBe(true);
    await expect(page.getByTestId('connection-banner').count()).resolves.toBe(0);
    await poll(() => row.getAttribute('data-status')).toBe('running');
    await poll(() => pause.isEnabled()).toBe(true);
    await page.close();
  });
});

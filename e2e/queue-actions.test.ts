import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, noisyTemplate, openApp, poll, screenshot, startSpool, tinyScene, waitUntil, writeNoisyRenderer, type Spool } from './helpers';

/** The queue list as Deadline Monitor users expect it: context menus, sorting, clear finished, a safe cancel. */
describe('queue actions (browser mode)', () => {
  let browser: Browser;
  let spool: Spool;
  let renderer: string;

  beforeAll(async () => {
    [browser, spool] = await Promise.all([launchBrowser(), startSpool()]);
    renderer = writeNoisyRenderer(spool.tmp);
  });
  afterAll(async () => {
    await browser?.close();
    await spool?.stop();
  });

  const submitNoisy = (name: string, frames: string, ms: number, priority = 0) =>
    spool.api('jobs.submit', {
      dcc: 'command',
      name,
      frames,
      chunk: 100,
      priority,
      output: path.join(spool.tmp, 'out', name, `${name}.####.png`),
      overrides: { template: noisyTemplate(renderer, `--ms ${ms}`) },
    });
  const row = (page: Page, id: number) => page.locator(`[data-testid=job-row][data-job-id="${id}"]`);
  const status = async (id: number) => (await spool.api('jobs.get', { id })).job.status;
  const shownIds = (page: Page) => page.getByTestId('job-row').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-job-id'))));

  it('a context menu on two selected jobs pauses and resumes both; Esc closes it', async () => {
    const a = await submitNoisy('menu_a', '1-60', 300, 5);
    const b = await submitNoisy('menu_b', '1-60', 300, 4);
    const { page, problems } = await openApp(browser, spool);
    await poll(() => row(page, a.id).getAttribute('data-status')).toBe('running');

    await row(page, a.id).click();
    await row(page, b.id).click({ modifiers: ['Control'] });
    // Right-click on a selected row keeps the selection: the menu acts on both.
    await row(page, b.id).click({ button: 'right' });
    const menu = page.getByRole('menu');
    await menu.waitFor();
    expect(await menu.getAttribute('aria-label')).toBe('2 jobs: actions');
    // Focus starts on the first enabled item; the keyboard moves through the menu.
    expect(await page.evaluate("document.activeElement?.getAttribute('data-action')")).toBe('pause');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate("document.activeElement?.getAttribute('data-action')")).toBe('pauseNow');
    // Items the lifecycle refuses are there but disabled: neither job is paused, so no Resume.
    expect(await menu.locator('[data-action=resume]').getAttribute('aria-disabled')).toBe('true');
    expect(await menu.locator('[data-action=modify]').getAttribute('aria-disabled')).toBe('true');
    await screenshot(page, 'queue-context-menu');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });

    await row(page, a.id).click({ button: 'right' });
    await menu.locator('[data-action=pauseNow]').click();
    await waitUntil('both jobs paused', async () => (await status(a.id)) === 'paused' && (await status(b.id)) === 'paused');
    await poll(() => row(page, b.id).getAttribute('data-status')).toBe('paused');

    await row(page, b.id).click({ button: 'right' });
    expect(await menu.locator('[data-action=resume]').getAttribute('aria-disabled')).toBeNull();
    await menu.locator('[data-action=resume]').click();
    await waitUntil('both jobs live again', async () => (await status(a.id)) !== 'paused' && (await status(b.id)) !== 'paused');

    // Right-click on a row outside the selection selects it alone.
    await page.keyboard.press('Escape');
    await row(page, a.id).click({ button: 'right' });
    expect(await page.getByRole('menu').getAttribute('aria-label')).toBe(`Job ${a.id} actions`);
    await page.keyboard.press('Escape');
    // The same menu from the toolbar.
    await page.getByTestId('more-actions').click();
    await page.getByRole('menu').waitFor();
    await page.keyboard.press('Escape');

    // Cancel of running work asks first; "Keep rendering" (focused) leaves it running.
    await poll(() => row(page, a.id).getAttribute('data-status')).toBe('running');
    await page.keyboard.press('x');
    await page.getByRole('alertdialog').waitFor();
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Keep rendering');
    await page.keyboard.press('Enter');
    await page.getByRole('alertdialog').waitFor({ state: 'detached' });
    expect(await status(a.id)).toBe('running');
    await page.keyboard.press('x');
    await page.getByTestId('confirm').click();
    await waitUntil('the job canceled', async () => (await status(a.id)) === 'canceled');
    await spool.api('jobs.cancel', { ids: [b.id] });
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it('sorts by a column, groups finished jobs last, and clears finished ones to History', async () => {
    const done = await submitNoisy('zz_done', '1-2', 20, 9);
    await waitUntil('the job done', async () => (await status(done.id)) === 'succeeded');
    // A live job of lower priority: paused, it stays live (above the finished group).
    const queued = await submitNoisy('aa_waiting', '1-50', 300, -5);
    await spool.api('jobs.pause', { ids: [queued.id], now: true });
    const { page, problems } = await openApp(browser, spool);
    await row(page, done.id).waitFor();

    // Grouped by default: the live (paused) job above the finished ones, whatever their priority.
    const grouped = await shownIds(page);
    expect(grouped.indexOf(queued.id)).toBeLessThan(grouped.indexOf(done.id));

    const nameHeader = page.locator('[role=columnheader]').filter({ has: page.locator('[data-sort=name]') });
    await page.locator('[data-sort=name]').click();
    expect(await nameHeader.getAttribute('aria-sort')).toBe('ascending');
    await page.getByTestId('group-finished').uncheck();
    const names = async () => page.getByTestId('job-row').evaluateAll((els) => els.map((e) => e.querySelector('.qcell-name .truncate')!.textContent!));
    const byName = await names();
    expect(byName).toEqual([...byName].sort((x, y) => x.localeCompare(y, undefined, { numeric: true, sensitivity: 'base' })));
    await page.locator('[data-sort=name]').click();
    expect(await nameHeader.getAttribute('aria-sort')).toBe('descending');
    expect(await names()).toEqual([...byName].reverse());
    await page.locator('[data-sort=name]').click();
    expect(await nameHeader.getAttribute('aria-sort')).toBe('none');
    await page.getByTestId('group-finished').check();

    // Clear finished: done, failed and canceled jobs leave the queue for History; nothing is deleted.
    const finished = (await spool.api('jobs.list', {})).filter((j) => ['succeeded', 'failed', 'canceled'].includes(j.status));
    expect(finished.length).toBeGreaterThan(0);
    await page.getByTestId('clear-finished').click();
    await poll(() => row(page, done.id).count()).toBe(0);
    await row(page, queued.id).waitFor();
    expect((await spool.api('jobs.get', { id: done.id })).job.archivedAt).not.toBeNull();
    await page.goto(`${spool.bm.url}#/history`);
    await page.getByTestId('history-view').waitFor();
    await poll(() => page.locator('.hrow').filter({ hasText: 'zz_done' }).count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('History and the job page show the same average frame time: the median render time, not wall time over frames', async () => {
    const scene = await tinyScene(path.join(spool.tmp, 'scenes'), { start: 1, end: 4, file: 'median.blend' });
    const job = await spool.api('jobs.submit', { scene, frames: '1-4', chunk: 4, name: 'median', output: path.join(spool.tmp, 'renders', 'median_####.png') });
    await waitUntil('the Blender job done', async () => (await status(job.id)) === 'succeeded', 120_000, 250);
    const detail = await spool.api('jobs.get', { id: job.id });
    const times = detail.frames.map((f) => f.renderMs!).sort((x, y) => x - y);
    const median = Math.round((times[1]! + times[2]!) / 2);
    expect(detail.job.medianFrameMs).toBe(median);
    // What History used to divide: Blender's start-up makes wall time per frame larger.
    expect((detail.job.finishedAt! - detail.job.startedAt!) / 4).toBeGreaterThan(median);

    const { page, problems } = await openApp(browser, spool, '#/history');
    const cell = page.locator('.hrow').filter({ hasText: 'median' }).getByTestId('history-frame-time');
    await cell.waitFor();
    const inHistory = await cell.textContent();
    await page.goto(`${spool.bm.url}#/job/${job.id}`);
    await page.getByTestId('job-view').waitFor();
    await poll(() => page.getByTestId('job-frame-time').textContent()).toBe(inHistory);
    expect(inHistory).not.toBe('—');
    expect(problems).toEqual([]);
    await page.close();
  });
});

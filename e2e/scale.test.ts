import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobSpec } from '../src-main/engine/types';
import type { Store } from '../src-main/engine/store';
import { launchBrowser, noisyTemplate, openApp, poll, screenshot, startSpool, waitUntil, writeNoisyRenderer, type Spool } from './helpers';

const JOBS = 5000;
const SHOTS = ['sq010', 'sq020', 'sq030', 'sq045', 'sq050', 'sq060'];
const PASSES = ['beauty', 'fx_smoke', 'fx_dust', 'crowd', 'env_sky', 'char_hero', 'lookdev', 'layout'];

/**
 * 5,000 jobs straight into the store (the generic command adapter's spec, as a batch submit
 * would store them), with a realistic mix of states: most paused, some done, failed or canceled.
 */
function seed(store: Store, renderer: string, outDir: string): void {
  const specs = Array.from({ length: JOBS }, (_, i) => {
    const frames = Array.from({ length: 12 + ((i * 37) % 60) }, (_, f) => 1001 + f);
    const name = `${SHOTS[i % SHOTS.length]}_${PASSES[(i * 7) % PASSES.length]}_v${String((i % 23) + 1).padStart(3, '0')}`;
    const spec: JobSpec = {
      name,
      dcc: 'command',
      scene: null,
      framesText: `${frames[0]}-${frames[frames.length - 1]}`,
      chunkSize: 10,
      output: path.join(outDir, name, `${name}.####.png`),
      priority: (i * 13) % 7 === 0 ? 5 : (i % 11) - 5,
      slots: null,
      retries: 2,
      stallTimeoutSec: null,
      taskTimeoutSec: null,
      device: { kind: 'cpu' },
      overrides: { template: noisyTemplate(renderer, '--ms 100') },
    };
    const chunks: number[][] = [];
    for (let c = 0; c < frames.length; c += 10) chunks.push(frames.slice(c, c + 10));
    return { spec, frames, chunks };
  });
  store.jobs.insertMany(specs);
  // The states a long-lived queue has; set in bulk so seeding stays well under a second.
  const now = Date.now();
  const db = store.rawHandleForTests();
  db.exec(`
    UPDATE jobs SET intent = 'paused' WHERE id % 5 != 0;
    UPDATE jobs SET started_at = created_at - 3600000 + id * 500, finished_at = created_at - 1800000 + id * 700 WHERE id % 5 = 0;
    UPDATE tasks SET state = 'succeeded', finished_at = ${now} WHERE job_id % 5 = 0 AND job_id % 15 != 0;
    UPDATE frames SET state = 'done', render_ms = 20000 + (frame * 7919 % 40000) WHERE job_id % 5 = 0 AND job_id % 15 != 0;
    UPDATE tasks SET state = 'failed', reason = 'exit code 139 (SIGSEGV) in hdRender' , finished_at = ${now} WHERE job_id % 15 = 0 AND job_id % 2 = 0;
    UPDATE frames SET state = 'failed' WHERE job_id % 15 = 0 AND job_id % 2 = 0;
    UPDATE jobs SET intent = 'canceled' WHERE id % 15 = 0 AND id % 2 = 1;
    UPDATE tasks SET state = 'canceled', reason = 'canceled by user', finished_at = ${now} WHERE job_id % 15 = 0 AND job_id % 2 = 1;
    UPDATE frames SET state = 'canceled' WHERE job_id % 15 = 0 AND job_id % 2 = 1;
    UPDATE tasks SET state = 'succeeded' WHERE job_id % 5 != 0 AND job_id % 3 = 0 AND idx < 2;
    UPDATE frames SET state = 'done', render_ms = 31000 WHERE job_id % 5 != 0 AND job_id % 3 = 0 AND task_id IN (SELECT id FROM tasks WHERE job_id = frames.job_id AND idx < 2);
    UPDATE jobs SET started_at = created_at - 600000 WHERE id % 5 != 0 AND id % 3 = 0;
  `);
}

const FINAL = new Set(['succeeded', 'failed', 'canceled']);
/** The queue as shown by default: live jobs above finished ones, each group in queue order (priority, then age). */
function shownOrder<T extends { id: number; priority: number; status: string }>(jobs: readonly T[]): T[] {
  return [...jobs].sort((a, b) => Number(FINAL.has(a.status)) - Number(FINAL.has(b.status)) || b.priority - a.priority || a.id - b.id);
}

describe('a queue of 5,000 jobs', () => {
  let browser: Browser;
  let spool: Spool;

  beforeAll(async () => {
    browser = await launchBrowser();
    spool = await startSpool({
      seed: (store) => {
        const dir = path.dirname(path.dirname(store.rawHandleForTests().name));
        seed(store, writeNoisyRenderer(dir), path.join(dir, 'out'));
      },
    });
  });
  afterAll(async () => {
    await browser?.close();
    await spool?.stop();
  });

  it('renders the queue virtualized, scrolls to the end, selects and reorders', async () => {
    const t0 = Date.now();
    const { page, problems } = await openApp(browser, spool);
    await page.getByTestId('job-row').first().waitFor({ timeout: 20_000 });
    const firstPaint = Date.now() - t0;
    expect(await page.locator('[data-filter=all] .tab-count').textContent()).toBe(String(JOBS));
    // Virtualized: a screenful of rows in the DOM, not 5,000.
    const rows = await page.getByTestId('job-row').count();
    expect(rows).toBeGreaterThan(10);
    expect(rows).toBeLessThan(80);

    // Scrolling to the end shows the last job as shown: finished jobs grouped last, each group in queue order.
    const list = await spool.api('jobs.list', {});
    const ordered = shownOrder(list);
    const scroller = page.getByTestId('queue-scroll');
    await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    const last = page.locator(`[data-testid=job-row][data-job-id="${ordered.at(-1)!.id}"]`);
    await last.waitFor();
    expect(await last.isVisible()).toBe(true);
    await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight / 2 }));
    await poll(() => page.locator(`[data-testid=job-row][data-job-id="${ordered[JOBS / 2]!.id}"]`).count()).toBe(1);
    // Keyboard: Home goes back to the top, Ctrl+A selects every shown job.
    await page.keyboard.press('Home');
    await page.locator(`[data-testid=job-row][data-job-id="${ordered[0]!.id}"]`).waitFor();
    await page.keyboard.press('Control+a');
    await poll(() => page.locator('.toolbar-note').textContent()).toBe(`${JOBS} selected`);
    await page.keyboard.press('Escape');

    // Filter tabs count and filter by status.
    const failed = list.filter((j) => j.status === 'failed').length;
    expect(failed).toBeGreaterThan(0);
    await page.locator('[data-filter=failed]').click();
    expect(await page.locator('[data-filter=failed] .tab-count').textContent()).toBe(String(failed));
    await poll(async () => (await page.getByTestId('job-row').evaluateAll((els) => els.every((e) => e.getAttribute('data-status') === 'failed')))).toBe(true);
    await page.locator('[data-filter=all]').click();

    // Drag the third row above the first: it must then run before that job.
    const top = ordered.slice(0, 3);
    const dragged = page.locator(`[data-testid=job-row][data-job-id="${top[2]!.id}"]`);
    const target = page.locator(`[data-testid=job-row][data-job-id="${top[0]!.id}"]`);
    const box = (await target.boundingBox())!;
    await dragged.dragTo(target, { targetPosition: { x: box.width / 2, y: 4 } });
    await waitUntil('the dragged job first in line', async () => {
      const jobs = await spool.api('jobs.list', {});
      const order = [...jobs].sort((a, b) => b.priority - a.priority || a.id - b.id).map((j) => j.id);
      return order.indexOf(top[2]!.id) < order.indexOf(top[0]!.id);
    });
    await poll(() => page.getByTestId('job-row').first().getAttribute('data-job-id')).toBe(String(top[2]!.id));

    // Two live renders at the top make the screenshot honest about what a queue looks like.
    await page.locator(`[data-testid=job-row]`).first().click();
    await page.keyboard.press('r');
    await poll(() => page.getByTestId('job-row').first().getAttribute('data-status'), 20_000).toBe('running');
    await page.waitForTimeout(1200);
    await screenshot(page, 'queue');
    expect(firstPaint).toBeLessThan(15_000);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('drags several selected jobs to the top together, in their order', async () => {
    // The renders the first test started finish into the finished group: the order must be still
    // before it is read (a fresh clone once saw the top job leave the list mid-drag).
    await waitUntil('the live renders done', async () => (await spool.api('jobs.list', {})).every((j) => j.status !== 'running' && j.status !== 'queued'), 40_000, 250);
    const { page, problems } = await openApp(browser, spool);
    await page.getByTestId('job-row').first().waitFor({ timeout: 20_000 });
    const queueOrder = async () => shownOrder(await spool.api('jobs.list', {})).map((j) => j.id);
    const before = await queueOrder();
    const [first, second] = [before[6]!, before[9]!];
    const row = (id: number) => page.locator(`[data-testid=job-row][data-job-id="${id}"]`);
    await row(first).click();
    await row(second).click({ modifiers: ['Control'] });
    await poll(() => page.locator('.toolbar-note').textContent()).toBe('2 selected');
    const top = row(before[0]!);
    const box = (await top.boundingBox())!;
    await row(second).dragTo(top, { targetPosition: { x: box.width / 2, y: 4 } });
    await waitUntil('both selected jobs first in line', async () => {
      const after = await queueOrder();
      return after[0] === first && after[1] === second && after[2] === before[0];
    });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('History exports the jobs it shows as one HTML report', async () => {
    const { page, problems } = await openApp(browser, spool, '#/history');
    await page.getByTestId('history-view').waitFor();
    const list = await spool.api('jobs.list', {});
    const query = list.find((j) => j.status === 'succeeded')!.name.replace(/_v\d+$/, '');
    await page.getByLabel('Search history').fill(query);
    const shown = list.filter((j) => ['succeeded', 'failed', 'canceled'].includes(j.status) && j.name.includes(query));
    const hidden = list.find((j) => j.status === 'succeeded' && !j.name.includes(query))!;
    expect(shown.length).toBeGreaterThan(0);
    await poll(() => page.getByTestId('history-view').locator('.page-head .muted').textContent()).toMatch(new RegExp(`^${shown.length} jobs `));

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-report').click()]);
    expect(download.suggestedFilename()).toMatch(/^spool-report-\d{4}-\d\d-\d\d\.html$/);
    const html = readFileSync((await download.path())!, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    for (const job of shown) expect(html).toContain(`<a href="#job-${job.id}">${job.name}</a>`);
    expect(html).not.toContain(`href="#job-${hidden.id}"`);
    expect(problems).toEqual([]);
    await page.close();
  });
});

import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { launchBrowser, noisyTemplate, openApp, poll, screenshot, startSpool, waitUntil, writeNoisyRenderer, type Spool } from './helpers';

// Page-side snippets are strings: this file is typechecked for Node, without the DOM's types.

/** Where the caret's mark is, and where column 3 of the input's text is (canvas-measured). */
const CARET_GEOMETRY = `(() => {
  const input = document.querySelector('[data-testid=frames-input]');
  const mark = document.querySelector('[data-testid=frames-caret] .caret-mark');
  const style = getComputedStyle(input);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = style.fontSize + ' ' + style.fontFamily;
  const textLeft = input.getBoundingClientRect().left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft);
  return { expected: textLeft + ctx.measureText('1-').width, actual: mark.getBoundingClientRect().left, char: ctx.measureText('x').width };
})()`;

/** Records the longest main-thread task from now on: a frozen page shows up as one long task. */
const WATCH_LONG_TASKS = `(() => {
  window.__longestTask = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longestTask = Math.max(window.__longestTask, e.duration);
  }).observe({ type: 'longtask', buffered: true });
})()`;

/** The queue, the new-job form, the live log and browser mode's gate, with a stand-in renderer. */
describe('queue, form, log and auth (browser mode)', () => {
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

  const submitNoisy = (name: string, frames: string, extra: string, priority = 0) =>
    spool.api('jobs.submit', {
      dcc: 'command',
      name,
      frames,
      chunk: 100,
      priority,
      output: path.join(spool.tmp, 'out', name, `${name}.####.png`),
      overrides: { template: noisyTemplate(renderer, extra) },
    });

  const rowStatus = (page: Page, id: number): Promise<string | null> => page.locator(`[data-testid=job-row][data-job-id="${id}"]`).getAttribute('data-status');

  it('refuses a request without the token (401)', async () => {
    const api = await fetch(`${spool.bm.origin}/api/jobs.list`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(api.status).toBe(401);
    const page = await fetch(`${spool.bm.origin}/`);
    expect(page.status).toBe(401);
    const wrong = await fetch(`${spool.bm.origin}/api/jobs.list`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer not-the-token' },
      body: '{}',
    });
    expect(wrong.status).toBe(401);
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${spool.bm.origin.replace('http', 'ws')}/ws`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => reject(new Error('the socket opened without a token')));
      ws.on('error', () => undefined);
    });
    expect(status).toBe(401);
  });

  it('validates the frame range as you type, with a caret under the bad column', async () => {
    const { page, problems } = await openApp(browser, spool);
    // The token left the address bar once read (the cookie carries it from here on).
    expect(page.url()).not.toContain('token=');
    await page.keyboard.press('n');
    const frames = page.getByTestId('frames-input');
    await frames.fill('1-100x5');
    expect(await page.getByTestId('frames-parsed').textContent()).toBe('1-100x5 → 20 frames: 1, 6, 11, … 96');
    expect(await frames.getAttribute('aria-invalid')).toBe('false');

    await frames.fill('1-x');
    const error = page.getByTestId('frames-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('"1-x": expected a frame number at column 3');
    expect(await error.getAttribute('data-column')).toBe('3');
    expect(await frames.getAttribute('aria-invalid')).toBe('true');
    // The caret sits under the third character of what was typed: measured, not assumed.
    const geometry = (await page.evaluate(CARET_GEOMETRY)) as { expected: number; actual: number; char: number };
    expect(Math.abs(geometry.actual - geometry.expected)).toBeLessThan(geometry.char / 3);

    // Submitting anyway is stopped here; a scene main cannot find comes back next to its field.
    await page.getByTestId('scene-input').fill(path.join(spool.tmp, 'nowhere', 'missing.blend'));
    await page.getByTestId('submit-job').click();
    expect(await error.isVisible()).toBe(true);
    await screenshot(page, 'new-job-invalid-range');
    await frames.fill('1-10');
    await page.getByTestId('submit-job').click();
    await page.getByTestId('scene-error').filter({ hasText: 'scene file not found' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('new-job-panel').waitFor({ state: 'detached' });
    expect(problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
    await page.close();
  });

  it('pauses, resumes and cancels from the queue', async () => {
    const a = await submitNoisy('pause_me', '1-40', '--ms 300', 5);
    const b = await submitNoisy('waits', '1-5', '--ms 50', 1);
    const { page, problems } = await openApp(browser, spool);
    await poll(() => rowStatus(page, a.id)).toBe('running');

    // Keyboard: select the row, P pauses, R resumes.
    await page.locator(`[data-testid=job-row][data-job-id="${a.id}"]`).click();
    await page.keyboard.press('p');
    await poll(() => rowStatus(page, a.id)).toBe('paused');
    expect((await spool.api('jobs.get', { id: a.id })).job.intent).toBe('paused');
    // With the first paused, the next job in line gets the CPU and finishes.
    await poll(() => rowStatus(page, b.id), 30_000).toBe('succeeded');
    await page.keyboard.press('r');
    await poll(() => rowStatus(page, a.id)).toBe('running');

    // Toolbar: Cancel. The job is rendering, so it asks first.
    await page.locator('[data-action=cancel]').first().click();
    await page.getByTestId('confirm').click();
    await poll(() => rowStatus(page, a.id)).toBe('canceled');
    const after = await spool.api('jobs.get', { id: a.id });
    expect(after.job.status).toBe('canceled');
    expect(after.frames.some((f) => f.state === 'canceled')).toBe(true);
    // The status filter shows it under Canceled only.
    await page.locator('[data-filter=canceled]').click();
    await poll(() => page.getByTestId('job-row').count()).toBe(1);
    await page.locator('[data-filter=all]').click();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('streams a 100,000-line log without freezing: follows the tail, search finds a line', async () => {
    const job = await submitNoisy('flood', '1-12', '--ms 500 --flood 100000', 10);
    const { page, problems } = await openApp(browser, spool, `#/job/${job.id}`);
    await page.evaluate(WATCH_LONG_TASKS);
    const scroller = page.getByTestId('log-scroll');
    const atBottom = () => scroller.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 30);
    const lineCount = async () => Number(((await page.locator('.log-count').textContent()) ?? '0').replace(/,/g, '').replace(/\D.*$/, ''));

    // While the flood arrives the view keeps to the tail, and the page answers quickly.
    await waitUntil('a few thousand lines', async () => (await lineCount()) > 3000, 60_000);
    for (let i = 0; i < 5; i++) {
      const t0 = Date.now();
      await page.evaluate('document.title');
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(await atBottom()).toBe(true);
      await page.waitForTimeout(150);
    }

    // Scrolling up stops following and offers the way back.
    await scroller.hover();
    await page.mouse.wheel(0, -2000);
    await page.getByTestId('jump-latest').waitFor();
    const held = await scroller.evaluate((el) => el.scrollTop);
    await page.waitForTimeout(400);
    expect(Math.abs((await scroller.evaluate((el) => el.scrollTop)) - held)).toBeLessThan(2);
    await page.getByTestId('jump-latest').click();
    await poll(atBottom).toBe(true);

    // The screenshot while it renders: grid half done, log following the live tail.
    await waitUntil('a few frames done', async () => (await page.locator('[data-testid=frame-cell][data-state=done]').count()) >= 4, 60_000, 100);
    await screenshot(page, 'live-log');

    // Search: count, highlighted match, next. Error lines are flagged; ANSI colours are spans.
    await waitUntil('the job to finish', async () => (await spool.api('jobs.get', { id: job.id })).job.status === 'succeeded', 120_000, 250);
    await page.getByTestId('log-search').fill('glass_v2');
    await poll(() => page.getByTestId('log-search-count').textContent()).toBe('1/4');
    await page.getByTestId('log-next').click();
    await poll(() => page.getByTestId('log-search-count').textContent()).toBe('2/4');
    await poll(() => page.locator('.log-line-current mark.log-match').textContent()).toBe('glass_v2');
    expect(await page.locator('.log-line-current').getAttribute('data-error')).toBe('true');
    await page.getByTestId('log-search').fill('');
    await page.getByTestId('jump-latest').click();
    await poll(() => page.locator('.log-line', { hasText: 'Render complete' }).count()).toBe(1);
    const colour = await page.locator('.log-line', { hasText: 'Render complete' }).locator('span[style]').first().getAttribute('style');
    expect(colour).toContain('--ansi-green');
    expect(colour).toContain('font-weight: 600');
    // 100,000 flood lines went through; the view holds at most its cap and never froze for long.
    const longest = (await page.evaluate('window.__longestTask')) as number;
    expect(longest).toBeLessThan(1500);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows "Reconnecting…" when the server goes away', async () => {
    const { page } = await openApp(browser, spool);
    await spool.bm.stop();
    await page.getByTestId('connection-banner').filter({ hasText: 'Reconnecting…' }).waitFor({ timeout: 20_000 });
    await page.close();
  });
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserAndSpool, noisyTemplate, poll, VIEWPORT, writeNoisyRenderer } from './helpers';

/**
 * Records what the page asks of the Notification API. The context granted the permission, but the
 * page sees "default" (never asked) until it asks: how a first visit looks.
 */
const RECORD_NOTIFICATIONS = `(() => {
  const Real = window.Notification;
  window.__asked = 0;
  window.__shown = [];
  class Recorded extends Real {
    constructor(title, options) {
      super(title, options);
      window.__shown.push({ title, body: options && options.body });
    }
    static get permission() { return window.__asked > 0 ? Real.permission : 'default'; }
    static requestPermission() { window.__asked++; return Real.requestPermission(); }
  }
  window.Notification = Recorded;
})()`;

describe('staying informed in browser mode', () => {
  const ctx = browserAndSpool();

  it('shows progress and failures in the title and favicon; notifies only once turned on, asking on that click', async () => {
    const context = await ctx.browser.newContext({ viewport: VIEWPORT });
    await context.grantPermissions(['notifications'], { origin: ctx.spool.bm.origin });
    await context.addInitScript(RECORD_NOTIFICATIONS);
    const page = await context.newPage();
    await page.goto(ctx.spool.bm.url);
    await page.locator('.conn-open').waitFor({ timeout: 15_000 });
    expect(await page.title()).toBe('Spool');
    expect(await page.evaluate('window.__asked')).toBe(0);

    await page.getByTestId('notify-toggle').click();
    await poll(() => page.getByTestId('notify-toggle').getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate('window.__asked')).toBe(1);

    const renderer = writeNoisyRenderer(ctx.spool.tmp);
    const slow = await ctx.spool.api('jobs.submit', {
      dcc: 'command',
      name: 'slow_one',
      frames: '1-8',
      chunk: 8,
      output: path.join(ctx.spool.tmp, 'out', 'slow.####.png'),
      overrides: { template: noisyTemplate(renderer, '--ms 400') },
    });
    await poll(() => page.title()).toMatch(/^▶ 1 running · \d+% — Spool$/);
    expect(await page.locator('link[rel=icon]').getAttribute('href')).toContain(encodeURIComponent('#3fb950'));

    await ctx.spool.api('jobs.submit', {
      dcc: 'command',
      name: 'broken_one',
      frames: '1',
      chunk: 1,
      retries: 0,
      output: path.join(ctx.spool.tmp, 'out', 'broken.####.png'),
      overrides: { template: `'${process.execPath}' -e 'process.exit(3)'` },
    });
    await poll(() => page.title(), 30_000).toBe('✖ 1 failed — Spool');
    expect(await page.locator('link[rel=icon]').getAttribute('href')).toContain(encodeURIComponent('#e5534b'));
    const shown = (await page.evaluate('window.__shown')) as { title: string; body: string }[];
    expect(shown.map((n) => n.title).sort()).toEqual(['broken_one failed', 'slow_one finished']);
    expect((await ctx.spool.api('jobs.get', { id: slow.id })).job.status).toBe('succeeded');
    await context.close();
  });
});

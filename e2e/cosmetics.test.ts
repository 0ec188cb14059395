import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, noisyTemplate, openApp, poll, startSpool, writeNoisyRenderer, type Spool } from './helpers';

// Page-side snippets are strings: this file is typechecked for Node, without the DOM's types.

/** How wide the scene field's placeholder is drawn, and how much room the field has for text. */
const PLACEHOLDER_FIT = `(() => {
  const input = document.querySelector('[data-testid=scene-input]');
  const style = getComputedStyle(input);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = style.fontSize + ' ' + style.fontFamily;
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return { text: ctx.measureText(input.placeholder).width, room };
})()`;

describe('small things a new user notices (browser mode)', () => {
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

  it('shows the whole scene placeholder, and moves focus to the bad field after an invalid submit', async () => {
    const { page, problems } = await openApp(browser, spool);
    await page.keyboard.press('n');
    const fit = (await page.evaluate(PLACEHOLDER_FIT)) as { text: number; room: number };
    expect(fit.text).toBeLessThanOrEqual(fit.room);
    expect(await page.locator('#scene-how').textContent()).toBe('Paste a path or drop a file here.');

    await page.getByTestId('scene-input').fill(path.join(spool.tmp, 'shot.blend'));
    await page.getByTestId('frames-input').fill('1-x');
    await page.getByTestId('submit-job').click();
    await poll(() => page.evaluate('document.activeElement && document.activeElement.dataset.testid')).toBe('frames-input');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('says "1 job" in History', async () => {
    const job = await spool.api('jobs.submit', {
      dcc: 'command',
      name: 'one_frame',
      frames: '1',
      output: path.join(spool.tmp, 'out', 'one.####.png'),
      overrides: { template: noisyTemplate(renderer, '--ms 20') },
    });
    await poll(async () => (await spool.api('jobs.get', { id: job.id })).job.status, 30_000).toBe('succeeded');
    const { page } = await openApp(browser, spool, '#/history');
    await poll(() => page.getByText(/^1 job · 1 frame · /).count()).toBe(1);
    await page.close();
  });

  it('tells that the frame grid has more rows below, until scrolled to the end', async () => {
    const job = await spool.api('jobs.submit', {
      dcc: 'command',
      name: 'many_frames',
      frames: '1-3000',
      output: path.join(spool.tmp, 'out', 'many.####.png'),
      overrides: { template: noisyTemplate(renderer, '--ms 1000') },
    });
    await spool.api('jobs.pause', { ids: [job.id] });
    const { page } = await openApp(browser, spool, `#/job/${job.id}`);
    const more = page.getByTestId('frame-grid-more');
    await more.waitFor({ timeout: 15_000 });
    expect(await more.textContent()).toMatch(/^\d+ more rows below ↓$/);
    await page.evaluate("document.querySelector('[data-testid=frame-grid]').scrollTop = 1e9");
    await more.waitFor({ state: 'detached', timeout: 5_000 });
    await spool.api('jobs.cancel', { ids: [job.id] });
    await page.close();
  });
});

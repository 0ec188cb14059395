import { statSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserAndSpool, openApp, poll, screenshot, tinyScene, waitUntil } from './helpers';

/** Frame actions and the truthful grid, in Chromium against a real engine rendering with real Blender. */
describe('frame actions (browser mode, real Blender)', () => {
  const ctx = browserAndSpool();

  const cell = (page: Page, frame: number) => page.locator(`[data-testid=frame-cell][data-frame="${frame}"]`);
  const kinds = (page: Page): Promise<string[]> => page.getByTestId('frame-cell').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind') ?? ''));
  // Each test renders with Blender two or three times: on two busy cores that can pass a minute.
  const succeeded = (id: number) => waitUntil(`job ${id} to succeed`, async () => (await ctx.spool.api('jobs.get', { id })).job.status === 'succeeded', 120_000, 250);

  it('requeue frames 3-4 of a finished job from the context menu: it asks with the overwrite count, and only they render again', async () => {
    const scene = await tinyScene(path.join(ctx.spool.tmp, 'requeue'), { start: 1, end: 6 });
    const output = path.join(ctx.spool.tmp, 'requeue-out', 'f_####.png');
    const job = await ctx.spool.api('jobs.submit', { scene, frames: '1-6', chunk: 6, output });
    await succeeded(job.id);
    const file = (f: number) => output.replace('####', String(f).padStart(4, '0'));
    const before = [1, 2, 5, 6].map((f) => statSync(file(f)).mtimeMs);
    const { page, problems } = await openApp(ctx.browser, ctx.spool, `#/job/${job.id}`);

    await poll(() => kinds(page)).toEqual(['done', 'done', 'done', 'done', 'done', 'done']);
    await cell(page, 3).click();
    await cell(page, 4).click({ modifiers: ['Shift'] });
    await poll(() => page.getByTestId('frames-selected').textContent()).toBe('2 selected');
    await cell(page, 4).click({ button: 'right' });
    const menu = page.getByTestId('frame-menu');
    await menu.waitFor();
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual(['Requeue…', 'Suspend', 'Resume', 'Mark complete', 'Open image', 'Open log']);
    expect(await page.getByTestId('frame-menu-resume').getAttribute('aria-disabled')).toBe('true');
    await screenshot(page, 'frame-actions-menu');
    // Keyboard: the first enabled entry has focus; Enter picks it.
    await poll(() => page.evaluate('document.activeElement && document.activeElement.textContent')).toBe('Requeue…');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Requeue 2 frames 3,4?2 rendered files will be overwritten when they render again.');
    await dialog.getByTestId('confirm').click();

    await waitUntil('frames 3-4 rendered again', async () => {
      const d = await ctx.spool.api('jobs.get', { id: job.id });
      return d.job.status === 'succeeded' && d.attempts.length === 2 && d;
    }, 120_000, 250);
    const detail = await ctx.spool.api('jobs.get', { id: job.id });
    expect(detail.attempts.map((a) => a.frames)).toEqual(['1,2,5,6', '3,4']);
    const log = await ctx.spool.api('jobs.log', { id: job.id, attemptId: detail.attempts[1]!.id });
    expect(log.text.split('\n').filter((l) => l.startsWith('Saved:')).map((l) => path.basename(l.replace(/^Saved: '|'$/g, '')))).toEqual(['f_0003.png', 'f_0004.png']);
    expect([1, 2, 5, 6].map((f) => statSync(file(f)).mtimeMs)).toEqual(before);
    await poll(() => kinds(page)).toEqual(['done', 'done', 'done', 'done', 'done', 'done']);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('suspend 5-8 by dragging: the job finishes "done with 4 suspended"; resume renders them', async () => {
    const scene = await tinyScene(path.join(ctx.spool.tmp, 'suspend'), { start: 1, end: 8 });
    const output = path.join(ctx.spool.tmp, 'suspend-out', 'f_####.png');
    const job = await ctx.spool.api('jobs.submit', { scene, frames: '1-8', chunk: 4, slots: 1, output });
    // Held while the frames are chosen: a chunk that is rendering is left alone by frame actions.
    await ctx.spool.api('jobs.pause', { ids: [job.id], now: true });
    await waitUntil('the job to stand paused', async () => (await ctx.spool.api('jobs.get', { id: job.id })).job.status === 'paused');
    const { page, problems } = await openApp(ctx.browser, ctx.spool, `#/job/${job.id}`);
    await poll(() => page.getByTestId('frame-cell').count()).toBe(8);

    const box = async (f: number) => (await cell(page, f).boundingBox())!;
    const [from, to] = [await box(5), await box(8)];
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 6 });
    await page.mouse.up();
    await poll(() => page.getByTestId('frames-selected').textContent()).toBe('4 selected');
    await page.getByTestId('frames-suspend').click();
    await poll(() => kinds(page)).toEqual(['queued', 'queued', 'queued', 'queued', 'suspended', 'suspended', 'suspended', 'suspended']);

    await ctx.spool.api('jobs.resume', { ids: [job.id] });
    await succeeded(job.id);
    await page.getByTestId('job-reason').filter({ hasText: 'done with 4 suspended' }).waitFor();
    await poll(() => page.getByTestId('job-frame-counts').textContent()).toBe('4/8 done · 4 suspended');

    // Still selected: Resume from the toolbar, and they render.
    await page.getByTestId('frames-resume').click();
    await waitUntil('frames 5-8 rendered', async () => (await kinds(page)).every((k) => k === 'done'), 120_000, 250);
    await succeeded(job.id);
    expect(statSync(output.replace('####', '0008')).size).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('shows exactly one frame rendering now for a one-process Blender chunk, the rest waiting in it', async () => {
    // Big enough to be caught mid-frame (about a second a frame here), short enough for the suite.
    const scene = await tinyScene(path.join(ctx.spool.tmp, 'slow'), { start: 1, end: 2, resolution: [320, 180], samples: 16 });
    const job = await ctx.spool.api('jobs.submit', { scene, frames: '1-2', chunk: 2, output: path.join(ctx.spool.tmp, 'slow-out', 'f_####.png') });
    const { page, problems } = await openApp(ctx.browser, ctx.spool, `#/job/${job.id}`);
    const seen = await waitUntil('a frame rendering now', async () => {
      const k = await kinds(page);
      return k.includes('rendering') && k;
    }, 60_000, 50);
    expect(seen.filter((k) => k === 'rendering')).toHaveLength(1);
    expect(seen.filter((k) => k === 'waiting').length + seen.filter((k) => k === 'done').length).toBe(1);
    await poll(() => page.getByTestId('job-frame-counts').textContent()).toMatch(/· 1 rendering( · 1 waiting in chunk)?$/);
    // Never more than one, however often it is looked at while the chunk renders.
    while ((await ctx.spool.api('jobs.get', { id: job.id })).job.status === 'running') {
      expect((await kinds(page)).filter((k) => k === 'rendering').length).toBeLessThanOrEqual(1);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await page.locator('.legend').textContent()).toContain('waiting in chunk');
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});

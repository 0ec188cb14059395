import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserAndSpool, openApp, poll, screenshot, tinyScene, waitUntil } from './helpers';

/**
 * What the viewer's image shows, read back from its pixels (drawn into a canvas: same origin, so
 * readable): how many are not near black, and how many distinct colours. Page code as text, since
 * the tests' TypeScript has no DOM types.
 */
const SAMPLE_PIXELS = new Function(
  'img',
  `
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let lit = 0;
  const colours = new Set();
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] + data[i + 1] + data[i + 2] > 30) lit++;
    colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
  }
  return { width: img.naturalWidth, lit, colours: colours.size };`,
) as (img: unknown) => { width: number; lit: number; colours: number };

function samplePixels(page: Page): Promise<{ width: number; lit: number; colours: number }> {
  return page.getByTestId('viewer-image').evaluate(SAMPLE_PIXELS);
}

/** Real Blender renders OpenEXR frames; the viewer shows them through the engine's previews. */
describe('frame viewer (browser mode, real Blender, OpenEXR)', () => {
  const ctx = browserAndSpool();

  it('opens frame 3 of an EXR render full size, not blank, and the arrow key flips to frame 4', async () => {
    const scene = await tinyScene(path.join(ctx.spool.tmp, 'scenes'), { start: 1, end: 4, file: 'exr shot.blend', resolution: [128, 72] });
    const output = path.join(ctx.spool.tmp, 'renders', 'exr_####');
    const job = await ctx.spool.api('jobs.submit', { scene, frames: '1-4', chunk: 4, output, overrides: { format: 'OPEN_EXR' } });
    const { page, problems } = await openApp(ctx.browser, ctx.spool, `#/job/${job.id}`);
    await waitUntil('all four frames done', async () => (await page.locator('[data-testid=frame-cell][data-state=done]').count()) === 4, 120_000, 250);

    // The thumbnail of an EXR job is a picture now (the engine's PNG preview).
    await waitUntil('thumbnail', () => page.getByTestId('thumbnail').evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth === 128));

    await page.locator('[data-testid=frame-cell][data-frame="3"]').dblclick();
    const viewer = page.getByTestId('frame-viewer');
    await viewer.waitFor();
    expect(await viewer.getAttribute('role')).toBe('dialog');
    await page.locator('[data-testid=viewer-image][data-frame="3"]').waitFor();
    await poll(() => viewer.locator('#viewer-title').textContent()).toContain('EXR (preview)');
    const pixels = await samplePixels(page);
    expect(pixels.width).toBe(128);
    // A lit cube and a grey world: most pixels are not black and there are many shades.
    expect(pixels.lit).toBeGreaterThan(128 * 72 * 0.5);
    expect(pixels.colours).toBeGreaterThan(20);
    // Its log sits beside it; the path is there to copy.
    await poll(() => page.getByTestId('viewer-log').textContent()).toContain('exr_0003.exr');
    await screenshot(page, 'frame-viewer-exr');

    // Zoom by key, then back to fit.
    const fitZoom = await page.getByTestId('viewer-zoom').textContent();
    await page.keyboard.press('+');
    await poll(() => page.getByTestId('viewer-zoom').textContent()).not.toBe(fitZoom);
    await page.keyboard.press('0');
    await poll(() => page.getByTestId('viewer-zoom').textContent()).toBe(fitZoom);

    await page.keyboard.press('ArrowRight');
    await page.locator('[data-testid=viewer-image][data-frame="4"]').waitFor();
    expect(await viewer.getAttribute('data-frame')).toBe('4');
    expect((await samplePixels(page)).lit).toBeGreaterThan(128 * 72 * 0.5);

    // Tab stays inside the dialog; Esc closes it and leaves the job open.
    for (let i = 0; i < 20; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate("!!document.activeElement?.closest('[data-testid=frame-viewer]')")).toBe(true);
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
    await page.getByTestId('job-view').waitFor();
    expect(problems).toEqual([]);
    await page.close();
    // About 30 s on two idle cores; the limit is for a busy machine, as the frame wait's is.
  }, 150_000);
});

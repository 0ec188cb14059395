import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, poll, screenshot, startSpool, tinyScene, waitUntil, type Spool } from './helpers';

/**
 * Finding a scene in browser mode with real Blender: the engine's file browser, path completion,
 * and a probe that follows the scene field (issue 14, findings 2 and 3).
 */
describe('scene finding (browser mode, real Blender)', () => {
  let browser: Browser;
  let spool: Spool;
  let project: string;
  let long: string;
  let single: string;

  beforeAll(async () => {
    [browser, spool] = await Promise.all([launchBrowser(), startSpool()]);
    project = path.join(spool.tmp, 'project ☃');
    [long, single] = await Promise.all([
      tinyScene(path.join(project, 'shots', 'sq010'), { file: 'long.blend', start: 1, end: 24 }),
      tinyScene(path.join(project, 'shots'), { file: 'single.blend', start: 1, end: 1 }),
    ]);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await spool?.stop();
  });

  it('picks a scene through the file browser, by keyboard, and submits it', async () => {
    const { page, problems } = await openApp(browser, spool);
    // The dialog's first listing answers late (as under CI load): it must not replace the folder typed meanwhile.
    let late: Request | null = null;
    await page.route('**/api/files.list', async (route) => {
      if (!late) {
        late = route.request();
        await new Promise((resolve) => setTimeout(resolve, 1500));
      }
      await route.continue();
    });
    await page.getByTestId('new-job').click();
    await page.getByTestId('browse-scene').click();
    const dialog = page.getByTestId('file-browser');
    await dialog.waitFor();
    await page.getByTestId('file-browser-dir').fill(project);
    await page.getByTestId('file-browser-dir').press('Enter');
    await poll(() => dialog.getByTestId('file-browser-item').allTextContents()).toEqual(['shots/']);
    await (late as Request | null)?.response();
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    expect(await dialog.getByTestId('file-browser-item').allTextContents()).toEqual(['shots/']);
    await page.unroute('**/api/files.list');
    await dialog.getByTestId('file-browser-item').click();
    await poll(() => dialog.getByTestId('file-browser-item').allTextContents()).toEqual(['sq010/', 'single.blend']);
    await screenshot(page, 'file-browser');
    // Keyboard: the list holds focus; down to the scene, Enter picks it.
    await dialog.getByTestId('file-browser-list').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByTestId('scene-input').inputValue()).toBe(single);
    // The probe ran by itself: the one-frame scene's range.
    await poll(() => page.getByTestId('frames-input').inputValue(), 45_000).toBe('1-1');
    await page.getByTestId('submit-job').click();
    await page.getByTestId('new-job-panel').waitFor({ state: 'detached' });
    const jobs = await waitUntil('the job', async () => {
      const list = await spool.api('jobs.list', {});
      return list.length === 1 && list[0]!.status === 'succeeded' ? list : null;
    }, 60_000, 250);
    expect(jobs[0]).toMatchObject({ scene: single, frameCount: 1 });
    expect(existsSync(path.join(project, 'shots', 'render', 'frame_0001.png'))).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('completes a folder while the path is typed', async () => {
    const { page, problems } = await openApp(browser, spool);
    await page.getByTestId('new-job').click();
    const input = page.getByTestId('scene-input');
    await input.fill(path.join(project, 'sh'));
    await poll(() => page.getByTestId('scene-suggestion').allTextContents()).toEqual(['shots/']);
    await input.press('Tab');
    expect(await input.inputValue()).toBe(`${path.join(project, 'shots')}/`);
    // The folder's own contents are offered next (folders first); arrows and Enter take one.
    await poll(async () => (await page.getByTestId('scene-suggestion').allTextContents()).filter((t) => t !== 'render/')).toEqual(['sq010/', 'single.blend']);
    await input.press('End');
    await input.type('s');
    await poll(() => page.getByTestId('scene-suggestion').allTextContents()).toEqual(['sq010/', 'single.blend']);
    await input.press('ArrowDown');
    await input.press('Enter');
    expect(await input.inputValue()).toBe(`${path.join(project, 'shots', 'sq010')}/`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('replaces what the probe filled when the scene changes, keeps what the user typed, and warns outside the range', async () => {
    const { page, problems } = await openApp(browser, spool);
    await page.getByTestId('new-job').click();
    const input = page.getByTestId('scene-input');
    const frames = page.getByTestId('frames-input');
    await input.fill(long);
    // The first probe may wait for the warm Blender the form started to finish starting.
    await poll(() => frames.inputValue(), 45_000).toBe('1-24');
    await poll(() => page.getByTestId('output-input').inputValue()).toBe(path.join(project, 'shots', 'sq010', 'render', 'frame_####'));
    // A different scene: the old range and output never stay.
    await input.fill(single);
    await poll(() => frames.inputValue()).toBe('1-1');
    await poll(() => page.getByTestId('output-input').inputValue()).toBe(path.join(project, 'shots', 'render', 'frame_####'));
    // Typed frames survive a scene change and are marked as the user's.
    await frames.fill('1001-1100');
    await page.getByTestId('frames-range-warning').waitFor();
    expect(await page.getByTestId('frames-range-warning').textContent()).toMatch(/100 frames \(1001–1100\) lie outside the scene’s range 1–1/);
    await input.fill(long);
    await page.getByTestId('frames-yours').waitFor();
    expect(await frames.inputValue()).toBe('1001-1100');
    await poll(() => page.getByTestId('output-input').inputValue()).toBe(path.join(project, 'shots', 'sq010', 'render', 'frame_####'));
    expect(await page.getByTestId('frames-range-warning').textContent()).toMatch(/range 1–24/);
    expect(problems).toEqual([]);
    await page.close();
  });
});

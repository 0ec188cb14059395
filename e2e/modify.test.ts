import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, poll, screenshot, startSpool, tinyScene, waitUntil, type Spool } from './helpers';

/**
 * Modify a queued job, dependencies chosen in the form and batch files dropped on it, in Chromium
 * against a real engine with real Blender (issue 13).
 */
describe('modify and the form’s parity with the CLI (browser mode, real Blender)', () => {
  let browser: Browser;
  let spool: Spool;
  let scene: string;
  /** A job that never finishes by itself (paused): what others wait for while the test works. */
  let gate: number;

  beforeAll(async () => {
    [browser, spool] = await Promise.all([launchBrowser(), startSpool()]);
    scene = await tinyScene(path.join(spool.tmp, 'scenes'), { start: 1, end: 4, file: 'shot 030.blend' });
    const job = await spool.api('jobs.submit', { dcc: 'command', name: 'gate', frames: '1', overrides: { template: 'sleep 60 {frame}' } });
    await spool.api('jobs.pause', { ids: [job.id], now: true });
    gate = job.id;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await spool?.stop();
  });

  const frameFile = (pattern: string, f: number): string => pattern.replace('####', String(f).padStart(4, '0'));

  it('modifies a queued job’s frames, output and dependency in the dialog, and the new values render', async () => {
    const oldOut = path.join(spool.tmp, 'old', 'm_####.png');
    const newOut = path.join(spool.tmp, 'new', 'm_####.png');
    const job = await spool.api('jobs.submit', { scene, name: 'modify me', frames: '1-2', chunk: 1, output: oldOut, after: [gate] });
    const { page, problems } = await openApp(browser, spool, `#/job/${job.id}`);
    // It waits for the paused gate: shown Blocked, and it can be modified.
    await page.locator('[data-testid=job-view] .pill-blocked').waitFor();
    await page.locator('[data-testid=job-view] [data-action=modify]').click();
    const dialog = page.getByTestId('new-job-panel');
    await dialog.waitFor();
    expect(await page.locator('#new-job-title').textContent()).toBe(`Modify job #${job.id}`);
    expect(await page.getByTestId('frames-input').inputValue()).toBe('1-2');
    expect(await page.getByTestId('output-input').inputValue()).toBe(oldOut);
    expect(await page.getByTestId('modify-notice').textContent()).toContain('Nothing of this job is rendering');

    // Refused like a new job would be, beside the field.
    await page.locator('#chunk').fill('0');
    await page.getByTestId('submit-job').click();
    await poll(() => page.getByTestId('chunk-error').textContent()).toContain('chunk size is between 1 and');
    await page.locator('#chunk').fill('1');
    await page.getByTestId('frames-input').fill('3-4');
    await page.getByTestId('output-input').fill(newOut);
    await page.getByTestId('after-select').selectOption([]);
    await screenshot(page, 'modify-dialog');
    await page.getByTestId('submit-job').click();
    await dialog.waitFor({ state: 'detached' });

    const done = await waitUntil('the modified job to succeed', async () => {
      const d = await spool.api('jobs.get', { id: job.id });
      return d.job.status === 'succeeded' && d;
    }, 120_000, 250);
    expect(done.frames.map((f) => f.frame)).toEqual([3, 4]);
    expect(done.deps ?? []).toEqual([]);
    for (const f of [3, 4]) expect(existsSync(frameFile(newOut, f))).toBe(true);
    for (const f of [1, 2]) expect(existsSync(frameFile(oldOut, f))).toBe(false);
    await page.locator('[data-testid=job-view] .pill-succeeded').waitFor();
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);

  it('a dependency chosen in the form shows Blocked until its parent is done', async () => {
    // The parent itself waits for the paused gate until the test lets it go.
    const parent = await spool.api('jobs.submit', { scene, name: 'parent', frames: '1', output: path.join(spool.tmp, 'parent', 'p_####.png'), after: [gate] });
    const { page, problems } = await openApp(browser, spool);
    await page.getByTestId('new-job').click();
    await page.getByTestId('scene-input').fill(scene);
    await page.locator('#name').fill('child');
    await page.getByTestId('frames-input').fill('1');
    await page.getByTestId('output-input').fill(path.join(spool.tmp, 'child', 'c_####.png'));
    await page.getByTestId('after-select').selectOption(String(parent.id));
    await page.getByTestId('submit-job').click();
    await page.getByTestId('new-job-panel').waitFor({ state: 'detached' });

    const row = page.getByTestId('job-row').filter({ hasText: 'child' });
    await row.locator('.pill-blocked').waitFor();
    // The parent is let go (its own wait removed): once it is done, the child renders.
    await spool.api('jobs.modify', { id: parent.id, after: [] });
    await row.locator('.pill-succeeded').waitFor({ timeout: 120_000 });
    const parentDone = await spool.api('jobs.get', { id: parent.id });
    expect(parentDone.job.status).toBe('succeeded');
    const child = (await spool.api('jobs.list', {})).find((j) => j.name === 'child')!;
    expect(child.startedAt).toBeGreaterThanOrEqual(parentDone.job.finishedAt!);
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);

  it('a batch file dropped on the form is previewed, then queues all its jobs', async () => {
    const out = path.join(spool.tmp, 'batch');
    const yaml = `defaults:\n  frames: "1"\n  chunk: 1\njobs:\n  - name: batch_a\n    scene: ${JSON.stringify(scene)}\n    output: ${JSON.stringify(path.join(out, 'a_####.png'))}\n  - name: batch_b\n    scene: ${JSON.stringify(scene)}\n    frames: "2"\n    output: ${JSON.stringify(path.join(out, 'b_####.png'))}\n    after: [batch_a]\n`;
    writeFileSync(path.join(spool.tmp, 'shots.yaml'), yaml);
    const { page, problems } = await openApp(browser, spool);
    await page.getByTestId('new-job').click();
    await page.getByTestId('batch-drop').waitFor();
    await page.getByTestId('batch-drop').evaluate((el, text) => {
      // Runs in the page, whose DOM types this Node-typed file does not have.
      type Ctor<T> = new (...args: never[]) => T;
      const dom = globalThis as unknown as {
        DataTransfer: Ctor<{ items: { add(file: unknown): void } }>;
        File: new (parts: string[], name: string, options: { type: string }) => unknown;
        DragEvent: new (type: string, init: { dataTransfer: unknown; bubbles: boolean; cancelable: boolean }) => Event;
      };
      const data = new dom.DataTransfer();
      data.items.add(new dom.File([text], 'shots.yaml', { type: 'application/yaml' }));
      (el as unknown as { dispatchEvent(event: Event): boolean }).dispatchEvent(new dom.DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, yaml);
    await poll(() => page.getByTestId('batch-job').count()).toBe(2);
    expect(await page.getByTestId('batch-preview').textContent()).toContain('2 jobs, 2 frames');
    // Nothing is queued before the user says so.
    expect((await spool.api('jobs.list', {})).some((j) => j.name.startsWith('batch_'))).toBe(false);
    await page.getByTestId('batch-queue-all').click();
    await page.getByTestId('new-job-panel').waitFor({ state: 'detached' });
    await page.getByTestId('job-row').filter({ hasText: 'batch_b' }).locator('.pill-succeeded').waitFor({ timeout: 120_000 });
    expect(existsSync(path.join(out, 'a_0001.png'))).toBe(true);
    expect(existsSync(path.join(out, 'b_0002.png'))).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);
});

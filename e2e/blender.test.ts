import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserAndSpool, makeFailingFromScene, openApp, poll, screenshot, tinyScene, waitUntil } from './helpers';

/** Real Blender renders driven through the UI: the form, the frame grid, the log, retry. */
describe('renderer with real Blender (browser mode)', () => {
  const ctx = browserAndSpool();

  it('submits a Blender job through the form and watches the frame grid reach all done', async () => {
    const scene = await tinyScene(path.join(ctx.spool.tmp, 'scenes'), { start: 1, end: 4, file: 'shot 010.blend' });
    const { page, problems } = await openApp(ctx.browser, ctx.spool);

    await page.getByTestId('new-job').click();
    await page.getByTestId('scene-input').fill(scene);
    await poll(() => page.getByTestId('dcc-select').locator('option').first().textContent()).toBe('Auto (Blender)');
    await page.getByTestId('probe').click();
    await page.getByTestId('probe-summary').waitFor();
    expect(await page.getByTestId('probe-summary').textContent()).toContain('32×18');
    // The probe filled the scene's range; the parser describes it as you read it.
    expect(await page.getByTestId('frames-input').inputValue()).toBe('1-4');
    expect(await page.getByTestId('frames-parsed').textContent()).toContain('4 frames: 1, 2, 3, 4');
    const output = path.join(ctx.spool.tmp, 'renders', 'shot_####.png');
    await page.getByTestId('output-input').fill(output);
    await page.locator('#chunk').fill('2');
    await page.getByTestId('submit-job').click();
    await page.getByTestId('new-job-panel').waitFor({ state: 'detached' });

    const row = page.getByTestId('job-row').filter({ hasText: 'shot 010' });
    await row.waitFor();
    // The new job is selected; Enter opens it.
    await page.keyboard.press('Enter');
    await page.getByTestId('job-view').waitFor();
    const cells = page.getByTestId('frame-cell');
    await poll(() => cells.count()).toBe(4);
    await waitUntil('all four frames done', async () => (await page.locator('[data-testid=frame-cell][data-state=done]').count()) === 4, 120_000, 250);
    expect(await cells.evaluateAll((els) => els.map((e) => e.getAttribute('data-frame')))).toEqual(['1', '2', '3', '4']);
    for (const f of [1, 2, 3, 4]) expect(statSync(output.replace('####', String(f).padStart(4, '0'))).size).toBeGreaterThan(0);

    // The latest frame's thumbnail really loads (served by /files/frame), and the chart has bars.
    await waitUntil('thumbnail', () => page.getByTestId('thumbnail').evaluate((el) => { const img = el as unknown as { complete: boolean; naturalWidth: number }; return img.complete && img.naturalWidth === 32; }));
    await page.getByTestId('render-chart').locator('rect').first().waitFor();
    // Hover shows render time and attempts.
    await cells.nth(2).hover();
    const tip = await page.getByTestId('frame-tooltip').textContent();
    expect(tip).toMatch(/Frame 3 · done/);
    expect(tip).toMatch(/Render time: \d/);
    expect(tip).toContain('Attempts: 1');
    await page.locator('[data-testid=job-view] .pill-succeeded').waitFor();
    await screenshot(page, 'job-frame-grid');

    // Clicking a frame shows its chunk's log; searching finds the Saved lines of both chunks.
    await cells.nth(2).click();
    await page.locator('.log-filter-note', { hasText: "frame 3's attempts" }).waitFor();
    await page.getByText('Show all attempts').click();
    await page.getByTestId('log-search').fill('Saved:');
    await poll(() => page.getByTestId('log-search-count').textContent()).toBe('1/4');
    await page.getByTestId('log-search').press('Enter');
    await poll(() => page.getByTestId('log-search-count').textContent()).toBe('2/4');
    await poll(() => page.locator('.log-line-current mark.log-match').first().textContent()).toBe('Saved:');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows why a scene failed, then retry after the fix re-renders only the failed frames', async () => {
    const dir = path.join(ctx.spool.tmp, 'failing');
    // Frames 1-2 render, from frame 3 on Cycles wants OpenImageDenoise, which this Blender lacks.
    const scene = await makeFailingFromScene(dir, 'shot_020.blend', 1, 4, 3);
    const output = path.join(ctx.spool.tmp, 'renders-fail', 'f_####.png');
    const job = await ctx.spool.api('jobs.submit', { scene, frames: '1-4', chunk: 4, retries: 0, output });
    const { page, problems } = await openApp(ctx.browser, ctx.spool, `#/job/${job.id}`);

    await page.getByTestId('job-reason').filter({ hasText: /OpenImageDenoise/ }).waitFor({ timeout: 90_000 });
    await page.locator('[data-testid=job-view] .pill-failed').waitFor();
    const states = (): Promise<string[]> => page.getByTestId('frame-cell').evaluateAll((els) => els.map((e) => e.getAttribute('data-state') ?? ''));
    // Frame 4 was never reached (Blender stopped at 3): queued again, not failed (issue 13, finding 6).
    await poll(states).toEqual(['done', 'done', 'failed', 'queued']);
    await page.getByTestId('attempt-row').filter({ hasText: /OpenImageDenoise/ }).waitFor();
    const frameFile = (f: number): string => output.replace('####', String(f).padStart(4, '0'));
    const before = [1, 2].map((f) => statSync(frameFile(f)).mtimeMs);
    expect(existsSync(frameFile(3))).toBe(false);

    // The fix: the same scene saved again without denoising. Then Retry from the job's header.
    await tinyScene(dir, { file: 'shot_020.blend', start: 1, end: 4 });
    await page.locator('[data-testid=job-view] [data-action=retry]').click();
    await waitUntil('all frames done after the retry', async () => (await states()).every((s) => s === 'done'), 120_000, 250);

    // Frames turn done as Blender saves them; the job succeeds once its process has exited.
    const detail = await waitUntil('the job to succeed', async () => {
      const d = await ctx.spool.api('jobs.get', { id: job.id });
      return d.job.status === 'succeeded' && d;
    });
    expect(detail.attempts).toHaveLength(2);
    const [first, second] = detail.attempts;
    const byFrame = new Map(detail.frames.map((f) => [f.frame, f]));
    expect(byFrame.get(1)!.attemptId).toBe(first!.id);
    expect(byFrame.get(2)!.attemptId).toBe(first!.id);
    expect(byFrame.get(3)!.attemptId).toBe(second!.id);
    expect(byFrame.get(4)!.attemptId).toBe(second!.id);
    // The retry's Blender saved frames 3 and 4 and nothing else; frames 1-2 were not touched.
    const log = await ctx.spool.api('jobs.log', { id: job.id, attemptId: second!.id });
    const saved = log.text.split('\n').filter((l) => l.startsWith('Saved:'));
    expect(saved.map((l) => path.basename(l.replace(/^Saved: '|'$/g, '')))).toEqual(['f_0003.png', 'f_0004.png']);
    expect([1, 2].map((f) => statSync(frameFile(f)).mtimeMs)).toEqual(before);
    await page.locator('[data-testid=job-view] .pill-succeeded').waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });
});

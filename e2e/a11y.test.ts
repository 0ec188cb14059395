import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, noisyTemplate, poll, REPO, startSpool, VIEWPORT, waitUntil, writeNoisyRenderer, type Spool } from './helpers';

const AXE = readFileSync(path.join(REPO, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/**
 * Moderate findings left as they are, each with its reason. Critical and serious ones must be 0.
 * (Spool has one theme, dark: there is no theme switch to audit twice.)
 */
const ACCEPTED_MODERATE: Record<string, string> = {};

interface Finding {
  id: string;
  impact: string;
  nodes: number;
  where: string[];
}

/** axe-core run in the page (CSP bypassed for its inline script only in this test's context). */
async function audit(page: Page): Promise<Finding[]> {
  // A view that opens with a fade (the drawer's slide-in) has dimmer colours until it ends: under load axe could
  // measure contrast mid-fade. Wait for every finite animation; the endless ones (spinner, pulse) never finish.
  await page.evaluate(`Promise.all(document.getAnimations()
    .filter((a) => a.effect && a.effect.getComputedTiming().iterations !== Infinity)
    .map((a) => a.finished.catch(() => undefined)))`);
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.addScriptTag({ content: AXE });
  return (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
    id: v.id, impact: v.impact, nodes: v.nodes.length,
    where: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + (v.id === 'color-contrast' && n.any[0] ? ' ' + n.any[0].data.fgColor + '/' + n.any[0].data.bgColor + '=' + n.any[0].data.contrastRatio : '')),
  })))`)) as Finding[];
}

describe('accessibility (axe-core over every view)', () => {
  let browser: Browser;
  let spool: Spool;
  let jobId: number;

  beforeAll(async () => {
    [browser, spool] = await Promise.all([launchBrowser(), startSpool()]);
    const renderer = writeNoisyRenderer(spool.tmp);
    const job = await spool.api('jobs.submit', {
      dcc: 'command',
      name: 'a11y',
      frames: '1-6',
      chunk: 3,
      output: path.join(spool.tmp, 'out', 'a11y.####.png'),
      overrides: { template: noisyTemplate(renderer, '--ms 40') },
    });
    jobId = job.id;
    await waitUntil('the job done', async () => (await spool.api('jobs.get', { id: jobId })).job.status === 'succeeded');
    // A live one too, so the queue shows both groups and a progress bar in flight.
    await spool.api('jobs.submit', { dcc: 'command', name: 'a11y waiting', frames: '1-3', chunk: 3, output: path.join(spool.tmp, 'out', 'w.####.png'), overrides: { template: noisyTemplate(renderer, '--ms 40') }, priority: -1 });
  });
  afterAll(async () => {
    await browser?.close();
    await spool?.stop();
  });

  async function open(hash: string): Promise<Page> {
    const context = await browser.newContext({ viewport: VIEWPORT, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(spool.bm.url + hash);
    await page.getByTestId('topbar-status').waitFor();
    await page.locator('.conn-open').waitFor({ timeout: 15_000 });
    return page;
  }

  it('finds no critical or serious problem in queue, new job, job, log, history, devices and settings', async () => {
    // One page, moved between views by its hash as a user would: axe is injected once.
    const page = await open('#/queue');
    const go = async (hash: string): Promise<void> => {
      await page.keyboard.press('Escape');
      await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
    };
    const views: [string, (page: Page) => Promise<void>][] = [
      ['queue', (p) => p.getByTestId('job-row').first().waitFor()],
      ['queue context menu', async (p) => {
        await p.getByTestId('job-row').first().click({ button: 'right' });
        await p.getByRole('menu').waitFor();
      }],
      ['new job', async (p) => {
        await p.keyboard.press('Escape');
        await p.getByTestId('new-job').click();
        await p.getByTestId('new-job-panel').waitFor();
      }],
      ['new job, refused', async (p) => {
        await p.getByTestId('scene-input').fill('/nowhere/missing.blend');
        await p.getByTestId('submit-job').click();
        await p.getByTestId('scene-error').waitFor();
      }],
      ['job', async (p) => {
        await go(`#/job/${jobId}`);
        await p.locator('[data-testid=frame-cell][data-state=done]').first().waitFor();
      }],
      ['log of a frame', async (p) => {
        await go(`#/job/${jobId}/frame/2`);
        await p.locator('.log-row, [data-testid=log-line]').first().waitFor({ timeout: 15_000 });
      }],
      ['history', async (p) => {
        await go('#/history');
        await p.getByTestId('history-view').waitFor();
      }],
      ['devices', async (p) => {
        await go('#/devices');
        await p.locator('h1', { hasText: 'Devices' }).waitFor();
      }],
      ['settings', async (p) => {
        await go('#/settings');
        await p.locator('h1', { hasText: 'Settings' }).waitFor();
      }],
    ];
    const report: Record<string, Finding[]> = {};
    for (const [name, ready] of views) {
      await ready(page);
      report[name] = await audit(page);
    }
    await page.context().close();
    const all = Object.entries(report).flatMap(([view, findings]) => findings.map((f) => ({ view, ...f })));
    // The rules that fail and where, printed for the record (the README's axe counts come from here).
    const rules = new Map<string, string>();
    for (const f of all) rules.set(f.id, f.impact);
    console.log(`axe: ${[...rules].map(([id, impact]) => `${id} (${impact})`).join(', ') || 'no violations'}`);
    for (const f of all) console.log(`  ${f.view}: ${f.id} [${f.impact}] ×${f.nodes} ${f.where.join(' | ')}`);
    expect(all.filter((f) => f.impact === 'critical' || f.impact === 'serious')).toEqual([]);
    expect(all.filter((f) => f.impact === 'moderate' && !(f.id in ACCEPTED_MODERATE))).toEqual([]);
  }, 120_000);

  it('Tab reaches the job list; the New-job drawer keeps focus inside until closed', async () => {
    const page = await open('#/queue');
    await page.getByTestId('job-row').first().waitFor();
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await page.evaluate(`document.activeElement && document.activeElement.getAttribute('data-testid')`)) === 'queue-table';
    }
    expect(reached).toBe(true);
    // In the list, arrows move the cursor row.
    await page.keyboard.press('ArrowDown');
    await poll(() => page.locator('.qrow-focused').count()).toBe(1);

    await page.getByTestId('new-job').click();
    await page.getByTestId('new-job-panel').waitFor();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press(i % 7 === 6 ? 'Shift+Tab' : 'Tab');
      const inside = await page.evaluate(`!!document.activeElement && !!document.activeElement.closest('[data-testid=new-job-panel]')`);
      expect(inside, `focus left the drawer after ${i + 1} presses`).toBe(true);
    }
    await page.keyboard.press('Escape');
    await page.getByTestId('new-job-panel').waitFor({ state: 'detached' });
    await page.context().close();
  });
});

/**
 * latency: frames on screen at once (issue 16). `spool serve` renders a job through a tiny
 * adapter-style renderer (workers/frame-printer) while Chromium shows the job's view; the renderer
 * stamps the moment it prints each `Saved:` line, and the page stamps the moment that frame's grid
 * cell turns done and the moment the thumbnail shows it. Both clocks are this machine's.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { WORKERS, expectOk, limitRow, log, percentile, removeDir, spoolArgs, tempDir, timeChild, type Bench } from './lib';
import { CHROMIUM, CHROMIUM_ARGS, buildRenderer, startServe } from './ui';
import { existsSync } from 'node:fs';

const FRAMES = 30;
const FRAME_MS = 400;
/** Time for the page to load and open the job's view before the first frame. */
const STARTUP_MS = 4000;

/** Set before the app's scripts run: when each frame's cell turned done, and when the thumbnail first showed each frame. */
const PROBE = `
  window.__cellDone = {};
  window.__thumbShown = {};
  new MutationObserver(() => {
    for (const cell of document.querySelectorAll('[data-testid="frame-cell"][data-state="done"]')) {
      const f = cell.getAttribute('data-frame');
      if (!(f in window.__cellDone)) window.__cellDone[f] = Date.now();
    }
    const img = document.querySelector('[data-testid="thumbnail"]');
    const f = img && img.getAttribute('data-frame');
    if (f && !(f in window.__thumbShown)) window.__thumbShown[f] = Date.now();
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-state', 'data-frame'] });
`;

export const latency: Bench = async ({ rounds, notes }) => {
  if (!existsSync(CHROMIUM)) {
    notes.push(`latency: skipped, no Chromium at ${CHROMIUM} (set SPOOL_BENCH_CHROMIUM).`);
    return [];
  }
  const root = tempDir('latency');
  let browser: Browser | null = null;
  try {
    const rendererDir = await buildRenderer('latency');
    const cells: number[] = [];
    const thumbs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const dataDir = path.join(root, `data-${round}`);
      const stamps = path.join(root, `stamps-${round}.txt`);
      const serve = await startServe(dataDir, rendererDir);
      try {
        browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        await page.addInitScript(PROBE);
        const template = `${process.execPath} ${path.join(WORKERS, 'frame-printer.mjs')} {start} {end} {output} ${FRAME_MS} ${STARTUP_MS} ${stamps}`;
        const out = path.join(root, `out-${round}`, 'f_####.png');
        const submitted = expectOk(
          'spool submit',
          await timeChild(process.execPath, spoolArgs(dataDir, 'submit', '--dcc', 'command', '--template', template, '--frames', `1-${FRAMES}`, '--chunk', String(FRAMES), '--output', out)),
        );
        const id = /job (\d+)/.exec(submitted.stdout)?.[1] ?? '1';
        await page.goto(`${serve.url}#/job/${id}`, { waitUntil: 'commit' });
        // A function, not a string: the page's CSP refuses eval.
        await page.waitForFunction((n) => Object.keys((globalThis as unknown as { __cellDone: object }).__cellDone).length >= n, FRAMES, { timeout: 120_000, polling: 200 });
        await page.waitForTimeout(2000);
        const cellDone = (await page.evaluate('window.__cellDone')) as Record<string, number>;
        const thumbShown = (await page.evaluate('window.__thumbShown')) as Record<string, number>;
        const saved = new Map(readFileSync(stamps, 'utf8').trim().split('\n').map((l) => l.split(' ').map(Number) as [number, number]));
        const roundCells = [...saved].filter(([f]) => f in cellDone).map(([f, at]) => cellDone[f]! - at);
        const roundThumbs = [...saved].filter(([f]) => f in thumbShown).map(([f, at]) => thumbShown[f]! - at);
        cells.push(...roundCells);
        thumbs.push(...roundThumbs);
        log(
          `  latency round ${round + 1}: cell p50 ${percentile(roundCells, 50).toFixed(0)} ms p95 ${percentile(roundCells, 95).toFixed(0)} ms; thumbnail showed ${roundThumbs.length}/${FRAMES} frames, p95 ${percentile(roundThumbs, 95).toFixed(0)} ms`,
        );
        await browser.close();
        browser = null;
      } finally {
        await serve.stop();
      }
    }
    notes.push(
      `latency: a frame every ${FRAME_MS} ms; the thumbnail swaps at most every 250 ms (Thumbnail.tsx MIN_SWAP_MS), so it is timed over the frames it showed (${thumbs.length} of ${FRAMES * rounds}).`,
    );
    const p95 = (values: number[]): number => percentile(values, 95);
    return [
      limitRow({ bench: 'latency', figure: "renderer's Saved: → the frame's grid cell done, p95", unit: 'ms', values: cells, max: 250, summary: p95 }),
      limitRow({ bench: 'latency', figure: "renderer's Saved: → its thumbnail showing, p95 (frames shown)", unit: 'ms', values: thumbs, max: 250, summary: p95 }),
    ];
  } finally {
    await browser?.close();
    removeDir(root);
  }
};

/**
 * ui: browser mode (`spool serve`) over a big store — 5,000 jobs, 250,000 frames — in Chromium:
 * navigation to the queue's first rows, the page's JS heap once loaded, and frame times while the
 * queue is scrolled to its end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CLI, REPO, expectOk, limitRow, log, percentile, removeDir, tempDir, timeChild, type Bench } from './lib';
import { seedStore } from './seed';
import { traceWanted } from './page-trace';

const JOBS = 5000;
const FRAMES_PER_JOB = 50;
export const CHROMIUM = process.env.SPOOL_BENCH_CHROMIUM ?? '/usr/bin/chromium';
const ROW = '[data-testid="job-row"]';
const SCROLLER = '[data-testid="queue-scroll"]';

/** Set before the app's own scripts run, so the first row is timed by the page's clock, not by polling. */
const FIRST_ROW_PROBE = `
  window.__spoolFirstRow = null;
  new MutationObserver((_, observer) => {
    if (document.querySelector(${JSON.stringify(ROW)})) {
      window.__spoolFirstRow = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
`;

/**
 * Scrolls the queue to its end in ~4 s of frames, one step per animation frame, recording the
 * time between frames: what a user dragging the scrollbar down would see.
 */
const SCROLL_TO_END = `(async () => {
  const el = document.querySelector(${JSON.stringify(SCROLLER)});
  if (!el) throw new Error('no queue scroller');
  const step = Math.max(30, (el.scrollHeight - el.clientHeight) / 240);
  const deltas = [];
  await new Promise((resolve) => {
    let last = 0;
    const tick = (now) => {
      if (last) deltas.push(now - last);
      last = now;
      if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1 || deltas.length > 3000) return resolve();
      el.scrollTop += step;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const rows = [...document.querySelectorAll(${JSON.stringify(ROW)})].map((r) => Number(r.getAttribute('data-job-id')));
  return { deltas, atEnd: el.scrollTop + el.clientHeight >= el.scrollHeight - 1, rows };
})()`;

interface Serve {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function startServe(dataDir: string, rendererDir: string): Promise<Serve> {
  const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SPOOL_RENDERER_DIR: rendererDir },
  });
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await closed;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`spool serve printed no address in 30 s\n${out}\n${err}`));
    }, 30_000);
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const url = /^(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, child, stop });
      }
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`spool serve exited (${code}) before it was ready\n${out}\n${err}`));
    });
  });
}

/** A build of our own, so the renderer measured is this tree's and nobody else's out/renderer is touched. */
export async function buildRenderer(bench: string): Promise<string> {
  const rendererDir = path.join(REPO, 'out', 'bench', 'renderer');
  log(`  ${bench}: building the renderer…`);
  expectOk(
    'vite build',
    await timeChild(process.execPath, [path.join(REPO, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'vite.renderer.config.ts', '--outDir', rendererDir, '--logLevel', 'warn', ...(traceWanted() ? ['--minify', 'false'] : [])], { cwd: REPO }),
  );
  return rendererDir;
}

/** Chromium as every browser bench starts it. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const ui: Bench = async ({ rounds, notes }) => {
  if (!existsSync(CHROMIUM)) {
    notes.push(`ui: skipped, no Chromium at ${CHROMIUM} (set SPOOL_BENCH_CHROMIUM).`);
    return [];
  }
  if (!existsSync(path.join(REPO, 'src-renderer', 'index.html')) || !existsSync(path.join(REPO, 'src-main', 'server', 'server.ts'))) {
    notes.push('ui: skipped, browser mode (src-main/server, src-renderer) is not in this tree yet.');
    return [];
  }
  const root = tempDir('ui');
  let browser: Browser | null = null;
  try {
    const rendererDir = await buildRenderer('ui');
    const dataDir = path.join(root, 'data');
    log(`  ui: seeding ${JOBS.toLocaleString('en-US')} jobs, ${(JOBS * FRAMES_PER_JOB).toLocaleString('en-US')} frames…`);
    seedStore(dataDir, { jobs: JOBS, framesPerJob: FRAMES_PER_JOB, chunk: 10, pausedEvery: 50, failedEvery: 40 });

    const firstRows: number[] = [];
    const heaps: number[] = [];
    const p95s: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const serve = await startServe(dataDir, rendererDir);
      try {
        // A fresh browser each round: nothing cached from the last load.
        browser = await chromium.launch({
          executablePath: CHROMIUM,
          args: CHROMIUM_ARGS,
        });
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        await page.addInitScript(FIRST_ROW_PROBE);
        await page.goto(serve.url, { waitUntil: 'commit' });
        await page.waitForSelector(ROW, { timeout: 60_000 });
        const firstRow = (await page.evaluate('window.__spoolFirstRow')) as number;
        // Where the time went: the server's answer to jobs.list, or the page after it.
        const lists = (await page.evaluate(
          `performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/jobs.list')).map((e) => [e.startTime, e.responseStart, e.responseEnd, e.transferSize])`,
        )) as [number, number, number, number][];
        const listPx = (await page.evaluate(`document.querySelector(${JSON.stringify(SCROLLER)})?.scrollHeight ?? 0`)) as number;

        // Settled: the first paint is not the end of loading (events, detail fetches).
        await page.waitForTimeout(1500);
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('HeapProfiler.collectGarbage');
        await cdp.send('Performance.enable');
        const { metrics } = await cdp.send('Performance.getMetrics');
        const heap = (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN) / 2 ** 20;

        const scroll = (await page.evaluate(SCROLL_TO_END)) as { deltas: number[]; atEnd: boolean; rows: number[] };
        if (!scroll.atEnd) throw new Error('the queue did not scroll to its end');
        const p95 = percentile(scroll.deltas, 95);
        firstRows.push(firstRow);
        heaps.push(heap);
        p95s.push(p95);
        const listText = lists.map(([start, first, end, bytes]) => `${start.toFixed(0)}→${first.toFixed(0)}→${end.toFixed(0)} ms (${(bytes / 1e6).toFixed(1)} MB)`).join(', ');
        log(
          `  ui round ${round + 1}: first rows ${firstRow.toFixed(0)} ms (jobs.list asked→answered→done: ${listText}), heap ${heap.toFixed(1)} MB, scroll ${scroll.deltas.length} frames p95 ${p95.toFixed(1)} ms (max ${Math.max(...scroll.deltas).toFixed(0)} ms), list ${listPx} px tall`,
        );
        await browser.close();
        browser = null;
      } finally {
        await serve.stop();
      }
    }
    const store = `${JOBS.toLocaleString('en-US')} jobs / ${(JOBS * FRAMES_PER_JOB).toLocaleString('en-US')} frames`;
    return [
      limitRow({ bench: 'ui', figure: `navigation to the queue's first rows, ${store}`, unit: 'ms', values: firstRows, max: 1500 }),
      limitRow({ bench: 'ui', figure: 'JS heap after load (after GC)', unit: 'MB', values: heaps, max: 200 }),
      limitRow({ bench: 'ui', figure: 'frame time scrolling the queue to its end, p95', unit: 'ms', values: p95s, max: 33 }),
    ];
  } finally {
    await browser?.close();
    removeDir(root);
  }
};

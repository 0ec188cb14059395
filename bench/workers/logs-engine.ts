/**
 * The engine side of the logs benchmark, in a process of its own so that its event-loop delay
 * and memory are the engine's alone: starts an Engine, runs one flooding task to the end and
 * prints what it measured as one JSON line.
 *
 *   node logs-engine.mjs DATA_DIR OUT_DIR LINES FAKE_DCC
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Engine } from '../../src-main/engine/engine';

const [dataDir, outDir, lines, fakeDcc] = process.argv.slice(2);
if (!dataDir || !outDir || !lines || !fakeDcc) throw new Error('usage: logs-engine DATA_DIR OUT_DIR LINES FAKE_DCC');

const engine = await Engine.start({ dataDir });
// A running engine has long finished its start-up detection (probing Blender alone takes a second
// of CPU); measured during it, the flood would share two cores with that instead.
await new Promise<void>((resolve) => engine.once('detected', () => resolve()));
const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const template = `${quote(process.execPath)} ${quote(fakeDcc)} --frame {frame} --out ${quote(path.join(outDir, 'f_####.png'))} --mode flood --lines ${lines}`;

// Settled before the baseline, so start-up garbage is not counted as growth.
await new Promise((resolve) => setTimeout(resolve, 100));
const rssBefore = process.memoryUsage().rss;
let rssPeak = rssBefore;
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 10);
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();

const started = performance.now();
const job = await engine.submit({ dcc: 'command', frames: '1', chunk: 1, overrides: { template } });
await engine.untilIdle();
const wallMs = performance.now() - started;

delay.disable();
clearInterval(sampler);
// maxRSS also catches a peak between two samples (or while the loop was blocked).
rssPeak = Math.max(rssPeak, process.resourceUsage().maxRSS * 1024);
const detail = engine.jobDetail(job.id);
const logBytes = detail.attempts.reduce((n, a) => n + statSync(a.logPath).size, 0);
await engine.stop();

process.stdout.write(
  `${JSON.stringify({
    status: detail.job.status,
    reason: detail.job.reason,
    wallMs,
    logBytes,
    delayP99Ms: delay.percentile(99) / 1e6,
    delayMaxMs: delay.max / 1e6,
    rssGrowthMB: (rssPeak - rssBefore) / 2 ** 20,
  })}\n`,
);

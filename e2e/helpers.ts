import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { CommandInput, CommandName, CommandOutput, CommandResult } from '../src-preload/contract';
import { storeFile } from '../src-main/engine/paths';
import { Store } from '../src-main/engine/store';
import { BLENDER, makeBlenderScene } from '../test/helpers/blender';
import { startBrowserMode, type BrowserMode } from '../test/helpers/browser-mode';

export const REPO = fileURLToPath(new URL('..', import.meta.url));
/**
 * Screenshots go to an ignored folder, so a test run leaves the tree as it found it; the
 * committed pictures in e2e/screenshots are refreshed only when asked (SPOOL_UPDATE_SCREENSHOTS=1).
 */
export const SCREENSHOTS = process.env.SPOOL_UPDATE_SCREENSHOTS === '1' ? path.join(REPO, 'e2e', 'screenshots') : path.join(REPO, 'test-results', 'screenshots');
export const VIEWPORT = { width: 1280, height: 800 };

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.SPOOL_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface Spool {
  bm: BrowserMode;
  dataDir: string;
  /** A scratch folder for scenes and renders, removed by stop(). */
  tmp: string;
  /** Calls a command the way the page does (HTTP + bearer token), for setup and assertions. */
  api<C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>>;
  stop(): Promise<void>;
}

/**
 * `spool serve` on its own temp data dir. `seed` runs against the store before the server
 * starts (the engine then owns the data dir), for states that would be slow to reach by rendering.
 * `env` is added to the server's environment (a PATH with fake DCCs on it).
 */
export async function startSpool(opts: { seed?: (store: Store) => void; env?: NodeJS.ProcessEnv } = {}): Promise<Spool> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'spool-e2e-'));
  const dataDir = path.join(tmp, 'data');
  mkdirSync(dataDir, { recursive: true });
  if (opts.seed) {
    const store = Store.open(storeFile(dataDir));
    try {
      opts.seed(store);
    } finally {
      store.close();
    }
  }
  const bm = await startBrowserMode({ dataDir, env: opts.env, timeoutMs: 30_000 });
  return {
    bm,
    dataDir,
    tmp,
    async api(command, input) {
      const response = await fetch(`${bm.origin}/api/${command}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${bm.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      });
      const result = (await response.json()) as CommandResult<CommandOutput<typeof command>>;
      if (!result.ok) throw new Error(`${command}: ${result.error.message}`);
      return result.value;
    },
    async stop() {
      await bm.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/**
 * One Chromium and one engine for the describe block it is called in, started together before its
 * tests and stopped after them (read `ctx.browser` and `ctx.spool` inside the tests). `opts`: as
 * startSpool takes them.
 */
export function browserAndSpool(opts: Parameters<typeof startSpool>[0] = {}): { readonly browser: Browser; readonly spool: Spool } {
  let browser: Browser | undefined;
  let spool: Spool | undefined;
  beforeAll(async () => {
    [browser, spool] = await Promise.all([launchBrowser(), startSpool(opts)]);
  });
  afterAll(async () => {
    await browser?.close();
    await spool?.stop();
  });
  return {
    get browser() {
      if (!browser) throw new Error('the browser is not started (use it inside a test)');
      return browser;
    },
    get spool() {
      if (!spool) throw new Error('spool is not started (use it inside a test)');
      return spool;
    },
  };
}

export interface OpenedPage {
  page: Page;
  /** Console errors, page errors and CSP violations seen so far: a healthy page has none. */
  problems: string[];
}

export async function openApp(browser: Browser, spool: Spool, hash = ''): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(spool.bm.url + hash);
  await page.getByTestId('topbar-status').waitFor();
  await page.locator('.conn-open').waitFor({ timeout: 15_000 });
  return { page, problems };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  // Hover effects and the blinking caret make screenshots differ run to run for no reason.
  await page.mouse.move(VIEWPORT.width - 2, VIEWPORT.height - 2);
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  return file;
}

export async function waitUntil<T>(what: string, check: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A tiny Blender scene (32×18, 4 samples), as the task asks for: renders in well under a second a frame. */
export function tinyScene(dir: string, opts: Parameters<typeof makeBlenderScene>[1] = {}): Promise<string> {
  return makeBlenderScene(dir, { resolution: [32, 18], samples: 4, ...opts });
}

/**
 * A scene whose frames from `failFrom` on fail the way the denoise scene does ("Build without
 * OpenImageDenoiser": this Blender lacks it): Cycles denoising is keyframed on at that frame. One
 * render then leaves earlier frames done and later ones failed, which is what a retry must tell apart.
 */
export async function makeFailingFromScene(dir: string, file: string, start: number, end: number, failFrom: number): Promise<string> {
  const scene = await tinyScene(dir, { file, start, end });
  const script = path.join(dir, 'keyframe_denoise.py');
  writeFileSync(
    script,
    `import bpy, sys
s = bpy.context.scene
s.cycles.use_denoising = False
s.cycles.keyframe_insert('use_denoising', frame=${start})
s.cycles.use_denoising = True
s.cycles.keyframe_insert('use_denoising', frame=${failFrom})
bpy.ops.wm.save_as_mainfile(filepath=sys.argv[-1], compress=False)
`,
  );
  await promisify(execFile)(BLENDER, ['-b', scene, '--factory-startup', '--python-exit-code', '1', '--python', script, '--', scene], { timeout: 60_000 });
  return scene;
}

/**
 * A stand-in renderer for the generic command adapter that prints like a real one: ANSI colours,
 * warnings, "Error:" lines, Blender-style `Fra:`/`Saved:` lines, optionally a flood of lines, and a
 * real 1×1 PNG per frame so frames verify as done.
 */
export function writeNoisyRenderer(dir: string): string {
  const file = path.join(dir, 'noisy-render.mjs');
  writeFileSync(
    file,
    `import fs from 'node:fs';
import path from 'node:path';
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, v, i, all) => (v.startsWith('--') ? [...acc, [v.slice(2), all[i + 1]]] : acc), []));
const start = Number(args.start), end = Number(args.end), ms = Number(args.ms ?? 200), flood = Number(args.flood ?? 0);
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const sleep = (t) => new Promise((r) => setTimeout(r, t));
const out = (f) => args.out.replace(/#+/, (m) => String(f).padStart(m.length, '0'));
console.log('\\x1b[1;36mNoisyRender 2.1\\x1b[0m  (c) Spool tests — \\x1b[32mlicence OK\\x1b[0m');
console.log('\\x1b[90mLoading scene… 12 objects, 3 lights, 2 cameras\\x1b[0m');
console.log('\\x1b[33mWARNING\\x1b[0m: texture \\x1b[4mwood_diffuse.tx\\x1b[24m is not mip-mapped');
for (let i = 0; i < flood; i++) {
  const line = 'trace ' + String(i).padStart(6, '0') + ' \\x1b[34mbvh\\x1b[0m node=' + (i * 7919 % 100003) + ' leaf=' + (i % 17) + ' cost=' + (i % 1000) / 10;
  if (!process.stdout.write(line + '\\n')) await new Promise((r) => process.stdout.once('drain', r));
}
for (let f = start; f <= end; f++) {
  for (let s = 1; s <= 4; s++) {
    console.log('Fra:' + f + ' Mem:12.0M (Peak 14.2M) | Time:00:00.' + String(s * 5).padStart(2, '0') + ' | Sample ' + s + '/4');
    await sleep(ms / 4);
  }
  if (f % 3 === 0) console.log('\\x1b[31mError: shader "glass_v2" compiled with warnings (ignored)\\x1b[0m');
  fs.mkdirSync(path.dirname(out(f)), { recursive: true });
  fs.writeFileSync(out(f), PNG);
  console.log("Saved: '" + out(f) + "'");
  console.log(' Time: 00:00.' + String(ms).padStart(2, '0').slice(0, 2) + ' (Saving: 00:00.00)');
}
console.log('\\x1b[1;32mRender complete\\x1b[0m');
`,
  );
  chmodSync(file, 0o755);
  return file;
}

export function noisyTemplate(script: string, extra = ''): string {
  const q = (w: string): string => `'${w.replace(/'/g, `'\\''`)}'`;
  return `${q(process.execPath)} ${q(script)} --start {start} --end {end} --out {output} ${extra}`.trim();
}

/** expect.poll with a timeout that suits a UI fed by a render engine (its default is 1 s). */
export function poll<T>(fn: () => Promise<T> | T, timeoutMs = 15_000) {
  return expect.poll(fn, { timeout: timeoutMs, interval: 100 });
}

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/fake-dcc';
import type { SpoolBridge } from '../../src-preload/contract';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** The Electron binary, when its download succeeded (`require('electron')` is its path). */
function electronBinary(): { path: string | null; why: string } {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown;
    if (typeof binary === 'string' && existsSync(binary)) return { path: binary, why: '' };
    return { path: null, why: `the Electron binary ${String(binary)} does not exist` };
  } catch (error) {
    return { path: null, why: `Electron is not installed here (${(error as Error).message.split('\n')[0]})` };
  }
}

const electron = electronBinary();
if (!electron.path) console.log(`Electron smoke test skipped: ${electron.why}. It runs where the binary could be downloaded.`);

describe('Electron app (real binary)', () => {
  it.skipIf(!electron.path)('opens its window on app://spool, exposes only window.spool, and answers commands', async () => {
    if (!existsSync(path.join(REPO, 'out', 'main', 'index.js')) || !existsSync(path.join(REPO, 'out', 'preload', 'index.cjs'))) {
      execFileSync(process.execPath, [path.join(REPO, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: REPO, stdio: 'inherit' });
    }
    const dir = tempDir('spool-electron-');
    // Chromium refuses its sandbox to root; CI containers often run as root.
    const noSandbox = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
    const app = await _electron.launch({
      executablePath: electron.path!,
      args: [REPO, ...noSandbox, '--data-dir', path.join(dir, 'data'), '--user-data-dir', path.join(dir, 'profile')],
      env: { ...process.env, SPOOL_HOME: '' },
      timeout: 60_000,
    });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      expect(page.url()).toBe('app://spool/index.html');
      const globals = await page.evaluate(() => ({
        require: typeof (globalThis as Record<string, unknown>).require,
        process: typeof (globalThis as Record<string, unknown>).process,
        spool: Object.keys((globalThis as unknown as { spool: object }).spool).sort(),
      }));
      expect(globals).toEqual({ require: 'undefined', process: 'undefined', spool: ['invoke', 'on'] });
      const info = await page.evaluate(() => (globalThis as unknown as { spool: SpoolBridge }).spool.invoke('app.info', {}));
      expect(info).toMatchObject({ ok: true, value: { mode: 'electron', dataDir: path.join(dir, 'data') } });
      const unknown = await page.evaluate(() => (globalThis as unknown as { spool: SpoolBridge }).spool.invoke('nope' as 'app.info', {}));
      expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid' } });
    } finally {
      await app.close();
    }
  });
});

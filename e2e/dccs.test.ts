import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSetting } from '../src-main/engine/settings';
import { launchBrowser, openApp, poll, startSpool, type Spool } from './helpers';

function fakeProgram(file: string, body: string): void {
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
}

/**
 * A renderer found on PATH with no adapter (V-Ray and Redshift standalone, as fakes) is shown in
 * Devices as "found, not supported yet" and never offered as a DCC by the new-job form, whose
 * choices and template hint come from the adapters' descriptors (`dccs.registry`).
 */
describe('DCCs found without an adapter (browser mode)', () => {
  let browser: Browser;
  let spool: Spool;
  const bin = mkdtempSync(path.join(os.tmpdir(), 'spool-e2e-bin-'));

  beforeAll(async () => {
    mkdirSync(bin, { recursive: true });
    // `vray -version` is the flag detection runs; redshiftCmdLine is never run (no verified flag).
    fakeProgram(path.join(bin, 'vray'), 'echo "V-Ray 6.20.01 (core 6.20.01)"');
    fakeProgram(path.join(bin, 'redshiftCmdLine'), 'exit 1');
    [browser, spool] = await Promise.all([launchBrowser(), startSpool({ env: { PATH: `${bin}:${process.env.PATH ?? ''}` } })]);
  });
  afterAll(async () => {
    await browser?.close();
    await spool?.stop();
    rmSync(bin, { recursive: true, force: true });
  });

  it('lists them in Devices as found, not supported yet', async () => {
    const { page, problems } = await openApp(browser, spool, '#/devices');
    const vray = page.locator('[data-testid=dcc-row][data-dcc=vray]');
    await vray.waitFor({ timeout: 30_000 });
    expect(await vray.getAttribute('data-supported')).toBe('false');
    expect(await vray.getByTestId('not-supported').textContent()).toBe('found, not supported yet');
    expect(await vray.locator('td').first().textContent()).toContain('V-Ray Standalone 6.20.01');
    expect(await vray.getByTestId('not-supported').getAttribute('title')).toBe(
      'Spool renders its scenes through Autodesk Maya, Houdini (hython, ROP), Maxon Cinema 4D',
    );
    const redshift = page.locator('[data-testid=dcc-row][data-dcc=redshift]');
    expect(await redshift.getByTestId('not-supported').textContent()).toBe('found, not supported yet');
    // Debian's Blender here has an adapter: no such note.
    const blender = page.locator('[data-testid=dcc-row][data-dcc=blender]').first();
    expect(await blender.getAttribute('data-supported')).toBe('true');
    expect(await blender.getByTestId('not-supported').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('offers only DCCs an adapter renders with in the new-job form', async () => {
    const { page, problems } = await openApp(browser, spool);
    await page.keyboard.press('n');
    const options = page.getByTestId('dcc-select').locator('option');
    const registry = await spool.api('dccs.registry', {});
    // "Auto" first, then every adapter in the registry's order, and nothing else.
    await poll(() => options.count()).toBe(registry.length + 1);
    const values = await options.evaluateAll((all) => all.map((o) => (o as { value: string }).value));
    expect(values).toEqual(['', ...registry.map((d) => d.id)]);
    expect(values).not.toContain('vray');
    expect(values).not.toContain('redshift');

    // The generic command's hint names every token its template accepts.
    await page.getByTestId('dcc-select').selectOption('command');
    expect(await page.getByTestId('template-tokens').textContent()).toBe('Placeholders: {scene} {frame} {start} {end} {step} {output} {threads}');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('still refuses a job for a program no adapter runs', async () => {
    await expect(spool.api('jobs.submit', { dcc: 'vray', scene: path.join(spool.tmp, 'a.vrscene'), frames: '1' })).rejects.toThrow(/unknown DCC "vray"/);
  });
});

/** Devices shows the program renders run: a Blender wrapper chosen in Settings, with its own version. */
describe('the executable renders use (browser mode)', () => {
  let browser: Browser;
  let spool: Spool;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spool-e2e-wrap-'));
  const wrapper = path.join(dir, 'studio-blender.sh');

  beforeAll(async () => {
    fakeProgram(wrapper, 'if [ "$1" = --version ]; then echo "Blender 4.2.9 (studio wrapper)"; exit 0; fi\nexec /usr/bin/blender "$@"');
    [browser, spool] = await Promise.all([launchBrowser(), startSpool({ seed: (store) => writeSetting(store, 'dccs.user', [{ dcc: 'blender', executable: wrapper }]) })]);
  });
  afterAll(async () => {
    await browser?.close();
    await spool?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('marks the wrapper chosen in Settings as used, not /usr/bin/blender', async () => {
    const { page, problems } = await openApp(browser, spool, '#/devices');
    const rows = page.locator('[data-testid=dcc-row][data-dcc=blender]');
    await rows.first().waitFor({ timeout: 30_000 });
    const used = page.locator('[data-testid=dcc-row][data-dcc=blender][data-used=true]');
    await poll(() => used.count()).toBe(1);
    expect(await used.locator('td').nth(2).textContent()).toBe(wrapper);
    expect(await used.locator('td').nth(1).textContent()).toBe('4.2.9');
    expect(await used.getByTestId('dcc-used').textContent()).toBe('used');
    const system = page.locator('[data-testid=dcc-row][data-dcc=blender][data-used=false]');
    expect(await system.count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});

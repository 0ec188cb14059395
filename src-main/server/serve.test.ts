import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBrowserMode, type BrowserMode } from '../../test/helpers/browser-mode';
import { CLI, tempDir } from '../../test/helpers/fake-dcc';

/** `spool serve` as users run it: the CLI bundle in its own process. */
let running: BrowserMode | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

describe('spool serve', () => {
  it('prints a ready-to-open address, serves with its token, and stops cleanly on SIGTERM', async () => {
    const dataDir = path.join(tempDir('spool-serve-'), 'data');
    running = await startBrowserMode({ dataDir });
    expect(running.url).toBe(`${running.origin}/?token=${running.token}`);
    expect(running.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const list = await fetch(`${running.origin}/api/jobs.list`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${running.token}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(await list.json()).toEqual({ ok: true, value: [] });
    expect((await fetch(`${running.origin}/`)).status).toBe(401);

    const { process: child, token } = running;
    await running.stop();
    const why = JSON.stringify(running.output());
    expect(child.signalCode, why).toBeNull();
    expect(child.exitCode, why).toBe(0);
    running = null;
    // The token stays for the next start (open tabs reconnect with it); the lock goes.
    expect(readFileSync(path.join(dataDir, 'browser-token'), 'utf8').trim()).toBe(token);
    expect(existsSync(path.join(dataDir, 'engine.lock'))).toBe(false);
  });

  it('keeps its address across a restart on the same port; --new-token replaces it; --print-url prints it and starts nothing', async () => {
    const dataDir = path.join(tempDir('spool-serve-'), 'data');
    const first = await startBrowserMode({ dataDir });
    const port = Number(new URL(first.origin).port);
    await first.stop();

    running = await startBrowserMode({ dataDir, port });
    expect(running.url).toBe(first.url);
    const printed = spawnSync(process.execPath, [CLI, '--data-dir', dataDir, 'serve', '--print-url', '--port', String(port)], { encoding: 'utf8', timeout: 30_000 });
    expect(printed.status, printed.stderr).toBe(0);
    expect(printed.stdout.trim()).toBe(first.url);
    await running.stop();

    running = await startBrowserMode({ dataDir, port, args: ['--new-token'] });
    expect(running.token).not.toBe(first.token);
    const old = await fetch(`${running.origin}/api/jobs.list`, { method: 'POST', headers: { Authorization: `Bearer ${first.token}` }, body: '{}' });
    expect(old.status).toBe(401);
    expect(readFileSync(path.join(dataDir, 'browser-token'), 'utf8').trim()).toBe(running.token);
  });

  it('refuses --print-url without a fixed port, or with --new-token', () => {
    const dataDir = path.join(tempDir('spool-serve-'), 'data');
    const anyPort = spawnSync(process.execPath, [CLI, '--data-dir', dataDir, 'serve', '--print-url', '--port', '0'], { encoding: 'utf8', timeout: 30_000 });
    expect(anyPort.status).toBe(2);
    expect(anyPort.stderr).toMatch(/--print-url needs the port/);
    const rotate = spawnSync(process.execPath, [CLI, '--data-dir', dataDir, 'serve', '--print-url', '--new-token'], { encoding: 'utf8', timeout: 30_000 });
    expect(rotate.status).toBe(2);
    expect(rotate.stderr).toMatch(/spool serve --new-token/);
  });

  it('says clearly when another engine owns the data dir, and exits 2', async () => {
    const dataDir = path.join(tempDir('spool-serve-'), 'data');
    running = await startBrowserMode({ dataDir });
    const second = spawnSync(process.execPath, [CLI, '--data-dir', dataDir, 'serve', '--port', '0'], { encoding: 'utf8', timeout: 30_000 });
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(/another Spool \(pid \d+\) already runs the queue/);
    expect(second.stdout).not.toMatch(/token=/);
  });

  it('refuses a bad --port', () => {
    const dataDir = path.join(tempDir('spool-serve-'), 'data');
    const result = spawnSync(process.execPath, [CLI, '--data-dir', dataDir, 'serve', '--port', 'abc'], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--port/);
  });
});

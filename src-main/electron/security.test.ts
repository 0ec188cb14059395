import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/fake-dcc';
import type { JobSummary } from '../../src-preload/contract';
import { contentSecurityPolicy } from '../api/csp';
import { noticeWatcher } from '../../src-preload/job-feedback';
import { isRendering, queueProgress } from './desktop-signals';
import { dataDirArgument, sceneArgument, userArgs } from './launch-args';
import { electronSqliteBinding } from './native-binding';
import { isAllowedPermission, isAppUrl, isTrustedSender } from './trust';
import { windowOptions } from './window-options';

describe('window options', () => {
  it('isolate the page from Node and Electron', () => {
    const options = windowOptions('/app/out/preload/index.cjs');
    const prefs = options.webPreferences!;
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('partition');
  });
});

describe('trusted IPC senders', () => {
  it('accepts only pages of app://spool', () => {
    expect(isTrustedSender('app://spool/index.html')).toBe(true);
    expect(isTrustedSender('app://spool/')).toBe(true);
    expect(isTrustedSender('app://spool/index.html#/jobs/3?x=1')).toBe(true);
  });

  it('rejects everything else', () => {
    for (const url of [
      null,
      undefined,
      '',
      'not a url',
      'file:///app/out/renderer/index.html',
      'http://127.0.0.1:7878/',
      'http://localhost:5173/',
      'https://spool/',
      'app://evil/index.html',
      'app://spool.evil/index.html',
      'app://spool@evil/index.html',
      'app://evil@spool/index.html',
      'app://spool:8080/index.html',
      'APP://evil/',
      'devtools://devtools/bundled/index.html',
      'about:blank',
      'data:text/html,<script>1</script>',
    ]) {
      expect(isTrustedSender(url), String(url)).toBe(false);
    }
  });

  it('grants no permission but clipboard writes from the app', () => {
    expect(isAllowedPermission('clipboard-sanitized-write', 'app://spool/index.html')).toBe(true);
    expect(isAllowedPermission('clipboard-sanitized-write', 'app://spool')).toBe(true);
    expect(isAllowedPermission('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem']) {
      expect(isAllowedPermission(permission, 'app://spool/index.html'), permission).toBe(false);
    }
  });

  it('allows navigation only within the app', () => {
    expect(isAppUrl('app://spool/index.html')).toBe(true);
    expect(isAppUrl('https://example.com/')).toBe(false);
    expect(isAppUrl('app://spoolx/')).toBe(false);
  });
});

describe('content security policy', () => {
  it('allows scripts only from the app, never eval or inline', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(contentSecurityPolicy(['ws://127.0.0.1:7878'])).toContain("connect-src 'self' ws://127.0.0.1:7878");
  });
});

describe('launch arguments', () => {
  it('finds a scene to pre-fill, skipping flags and their values', () => {
    const dir = tempDir('spool-args-');
    writeFileSync(path.join(dir, 'shot.blend'), 'x');
    mkdirSync(path.join(dir, 'data'));
    const argv = ['/opt/Spool/spool', '--data-dir', 'data', '--no-sandbox', 'shot.blend'];
    expect(sceneArgument(userArgs(argv, false), dir)).toBe(path.join(dir, 'shot.blend'));
    expect(sceneArgument(userArgs(['/usr/bin/electron', 'out/main/index.js', 'data'], true), dir)).toBeNull();
    expect(sceneArgument(['missing.blend'], dir)).toBeNull();
  });

  it('takes the data dir from --data-dir, then SPOOL_HOME', () => {
    expect(dataDirArgument(['--data-dir', 'q'], {}, '/home/a')).toBe(path.resolve('/home/a', 'q'));
    expect(dataDirArgument(['--data-dir=/x/y'], { SPOOL_HOME: '/z' }, '/')).toBe(path.resolve('/x/y'));
    expect(dataDirArgument([], { SPOOL_HOME: '/z' }, '/')).toBe(path.resolve('/z'));
    expect(dataDirArgument([], {}, '/')).toBeNull();
  });
});

describe('native better-sqlite3 for Electron', () => {
  it('is used only when native/electron holds a build', () => {
    const app = tempDir('spool-app-');
    expect(electronSqliteBinding(app)).toBeNull();
    mkdirSync(path.join(app, 'native', 'electron'), { recursive: true });
    writeFileSync(path.join(app, 'native', 'electron', 'better_sqlite3.node'), '');
    expect(electronSqliteBinding(app)).toBe(path.join(app, 'native', 'electron', 'better_sqlite3.node'));
  });
});

describe('desktop signals', () => {
  const job = (id: number, status: JobSummary['status'], framesDone: number, frameCount: number) =>
    ({ id, status, framesDone, frameCount }) as JobSummary;

  it('shows overall progress of unfinished jobs, or none', () => {
    expect(queueProgress([])).toBe(-1);
    expect(queueProgress([job(1, 'succeeded', 10, 10), job(2, 'paused', 0, 5)])).toBe(-1);
    expect(queueProgress([job(1, 'running', 5, 10), job(2, 'queued', 0, 10), job(3, 'succeeded', 100, 100)])).toBe(0.25);
    expect(isRendering([job(1, 'queued', 0, 1)])).toBe(false);
    expect(isRendering([job(1, 'running', 0, 1)])).toBe(true);
  });

  it('announces each finish once, and not for jobs finished before start-up', () => {
    const notices = noticeWatcher([job(1, 'succeeded', 1, 1), job(2, 'running', 0, 1)]);
    const finished = (j: JobSummary) => notices(j)?.outcome ?? null;
    expect(finished(job(1, 'succeeded', 1, 1))).toBeNull();
    expect(finished(job(2, 'running', 1, 2))).toBeNull();
    expect(finished(job(2, 'failed', 1, 2))).toBe('failed');
    expect(finished(job(2, 'failed', 1, 2))).toBeNull();
    expect(finished(job(3, 'succeeded', 1, 1))).toBe('succeeded');
  });
});

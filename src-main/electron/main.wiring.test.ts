import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeFrameTemplate, tempDir } from '../../test/helpers/fake-dcc';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../src-preload/contract';

/**
 * main.ts against a stand-in for the `electron` module, in plain Node: there is no Electron
 * binary on this machine, but the wiring (scheme before ready, single-instance lock, window
 * options, the protocol's confinement and CSP, the IPC sender check, events to the page, the
 * scene hand-over and a clean stop on quit) is ours and can be checked without one.
 */
const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown;
  const state = {
    appPath: '',
    order: [] as string[],
    appListeners: new Map<string, Listener[]>(),
    protocolHandler: null as null | ((request: { url: string; method: string }) => Promise<Response>),
    ipcHandler: null as null | Listener,
    windows: [] as { options: Record<string, unknown>; loadURL: ReturnType<typeof vi.fn>; send: ReturnType<typeof vi.fn> }[],
    resolveReady: () => undefined as void,
  };
  const ready = new Promise<void>((resolve) => (state.resolveReady = resolve));
  const on = (map: Map<string, Listener[]>) => (event: string, listener: Listener) => {
    map.set(event, [...(map.get(event) ?? []), listener]);
  };

  class BrowserWindow {
    readonly listeners = new Map<string, Listener[]>();
    readonly loadURL = vi.fn(async () => undefined);
    readonly send = vi.fn();
    readonly webContents = { send: this.send, on: vi.fn(), isLoading: () => false, setWindowOpenHandler: vi.fn() };
    constructor(readonly options: Record<string, unknown>) {
      state.windows.push(this);
    }
    once() {}
    on(event: string, listener: Listener) {
      on(this.listeners)(event, listener);
    }
    show() {}
    hide() {}
    focus() {}
    restore() {}
    isMinimized() {
      return false;
    }
    isDestroyed() {
      return false;
    }
    setProgressBar = vi.fn();
  }

  const electron = {
    app: {
      setPath: vi.fn(),
      getPath: vi.fn(() => '/nonexistent/userData'),
      getAppPath: () => state.appPath,
      enableSandbox: vi.fn(() => state.order.push('enableSandbox')),
      requestSingleInstanceLock: vi.fn(() => (state.order.push('requestSingleInstanceLock'), true)),
      on: on(state.appListeners),
      whenReady: () => ready,
      isReady: () => true,
      setAppUserModelId: vi.fn(),
      quit: vi.fn(),
      exit: vi.fn(),
    },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(() => state.order.push('registerSchemesAsPrivileged')),
      handle: vi.fn((_scheme: string, handler: typeof state.protocolHandler) => (state.protocolHandler = handler)),
    },
    ipcMain: { handle: vi.fn((_channel: string, handler: Listener) => (state.ipcHandler = handler)) },
    session: { defaultSession: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() } },
    dialog: { showErrorBox: vi.fn(), showMessageBox: vi.fn(), showOpenDialog: vi.fn() },
    Notification: Object.assign(vi.fn(), { isSupported: () => false }),
    powerSaveBlocker: { start: vi.fn(() => 1), stop: vi.fn() },
    Tray: vi.fn(),
    Menu: { buildFromTemplate: vi.fn() },
    nativeImage: { createFromPath: vi.fn() },
    BrowserWindow,
  };
  return { state, electron };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

const { state } = fake;
const SECRET = 'NOT-FOR-THE-PAGE';
let dir = '';
const savedHome = process.env.SPOOL_HOME;

beforeAll(async () => {
  dir = tempDir('spool-electron-main-');
  state.appPath = path.join(dir, 'app');
  mkdirSync(path.join(state.appPath, 'out', 'renderer'), { recursive: true });
  writeFileSync(path.join(state.appPath, 'out', 'renderer', 'index.html'), '<!doctype html><title>Spool</title>');
  writeFileSync(path.join(state.appPath, 'out', 'secret.txt'), SECRET);
  process.env.SPOOL_HOME = path.join(dir, 'data');
  await import('./main');
  state.order.push('ready');
  state.resolveReady();
  await vi.waitFor(() => expect(state.ipcHandler).not.toBeNull(), { timeout: 10_000 });
});

afterAll(async () => {
  await quit();
  if (savedHome === undefined) delete process.env.SPOOL_HOME;
  else process.env.SPOOL_HOME = savedHome;
});

let quitDone: Promise<void> | null = null;
function quit(): Promise<void> {
  quitDone ??= (async () => {
    const event = { preventDefault: vi.fn() };
    for (const listener of state.appListeners.get('before-quit') ?? []) listener(event);
    await vi.waitFor(() => expect(fake.electron.app.quit).toHaveBeenCalled(), { timeout: 15_000 });
  })();
  return quitDone;
}

const invoke = (frame: unknown, command: unknown, input: unknown) =>
  state.ipcHandler!({ senderFrame: frame }, command, input) as Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
const ourFrame = { url: 'app://spool/index.html', parent: null };

describe('Electron main process wiring (stubbed electron module)', () => {
  it('privileges the app scheme and takes the single-instance lock before the app is ready', () => {
    const order = state.order;
    expect(order.indexOf('registerSchemesAsPrivileged')).toBeLessThan(order.indexOf('ready'));
    expect(order.indexOf('requestSingleInstanceLock')).toBeLessThan(order.indexOf('ready'));
    expect(order.indexOf('enableSandbox')).toBeLessThan(order.indexOf('ready'));
    expect(fake.electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
    expect(fake.electron.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
  });

  it('opens one sandboxed window on app://spool with the preload', () => {
    expect(state.windows).toHaveLength(1);
    const win = state.windows[0]!;
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String(prefs.preload)).toMatch(/preload[\\/]index\.cjs$/);
    expect(win.loadURL).toHaveBeenCalledWith('app://spool/index.html');
  });

  it('serves the renderer from app:// with the CSP, and nothing outside its folder', async () => {
    const get = (url: string) => state.protocolHandler!({ url, method: 'GET' });
    const page = await get('app://spool/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<title>Spool</title>');
    for (const url of ['app://spool/%2e%2e/secret.txt', 'app://spool/..%2fsecret.txt', 'app://evil/index.html', 'app://spool/files/frame?job=1&frame=1']) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(await res.text(), url).not.toContain(SECRET);
    }
  });

  it('answers IPC only from the top frame of app://spool', async () => {
    expect(fake.electron.ipcMain.handle).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL, expect.any(Function));
    expect(await invoke(ourFrame, 'app.info', {})).toMatchObject({ ok: true, value: { mode: 'electron', dataDir: path.join(dir, 'data') } });
    for (const frame of [null, { url: 'http://127.0.0.1:7878/', parent: null }, { url: 'file:///x/index.html', parent: null }, { url: 'app://spool/index.html', parent: {} }]) {
      const result = await invoke(frame, 'app.info', {});
      expect(result, JSON.stringify(frame)).toMatchObject({ ok: false, error: { code: 'invalid' } });
      expect(result.error!.message).toMatch(/refused/);
    }
    expect(await invoke(ourFrame, 42, {})).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await invoke(ourFrame, 'jobs.get', { id: -1 })).toMatchObject({ ok: false, error: { code: 'invalid', field: 'id' } });
  });

  it('sends batched engine events to the page', async () => {
    const submitted = await invoke(ourFrame, 'jobs.submit', {
      dcc: 'command',
      frames: '1',
      output: path.join(dir, 'out', 'f_####.png'),
      overrides: { template: fakeFrameTemplate() },
    });
    expect(submitted.ok).toBe(true);
    const send = state.windows[0]!.send;
    await vi.waitFor(
      () => expect(send).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, { event: 'job', payload: expect.objectContaining({ status: 'succeeded' }) }),
      { timeout: 20_000 },
    );
  });

  it('hands a scene from a second launch to the open window', () => {
    const scene = path.join(dir, 'shot.blend');
    for (const listener of state.appListeners.get('second-instance') ?? []) listener({}, ['spool', scene], dir, { scene });
    expect(state.windows[0]!.send).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, { event: 'openScene', payload: { scene } });
  });

  it('stops the engine cleanly before quitting', async () => {
    await quit();
    expect(fake.electron.app.quit).toHaveBeenCalled();
    // The engine released the data dir's lock: it stopped, it was not just abandoned.
    expect(existsSync(path.join(dir, 'data', 'engine.lock'))).toBe(false);
  });
});

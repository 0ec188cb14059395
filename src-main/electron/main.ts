import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, type Tray } from 'electron';
import { IPC_EVENT_CHANNEL } from '../../src-preload/contract';
import { createDispatcher } from '../api/dispatch';
import { createEventBatcher } from '../api/event-batcher';
import { Engine } from '../engine/engine';
import { DataDirLockedError } from '../engine/lock';
import { handleAppScheme, registerAppScheme } from './app-protocol';
import { askOnClose, showTray } from './background';
import { desktopFeedback } from './desktop-feedback';
import { nativeDialogs } from './dialogs';
import { hardenContents } from './hardening';
import { handleInvoke } from './ipc';
import { dataDirArgument, flagValue, sceneArgument, userArgs } from './launch-args';
import { electronSqliteBinding } from './native-binding';
import { APP_URL } from './trust';
import { windowOptions } from './window-options';
import { defaultDataDir } from '../engine/paths';

/**
 * The desktop face: one window over the engine, which runs here in the main process. Everything
 * the window can ask goes through the dispatcher; everything it hears comes from the batcher.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const args = userArgs(process.argv, Boolean(process.defaultApp));
// A test (or a second profile) passes --user-data-dir: its own userData also means its own single-instance lock.
const userDataDir = flagValue(args, '--user-data-dir');
if (userDataDir) app.setPath('userData', path.resolve(userDataDir));

app.enableSandbox();
registerAppScheme();

let win: BrowserWindow | null = null;
let engine: Engine | null = null;
let tray: Tray | null = null;
let quitting = false;
let engineStopped = false;
/** A scene to pre-fill in the new-job form once the page can hear it. */
let pendingScene = sceneArgument(args, process.cwd());

if (!app.requestSingleInstanceLock({ scene: pendingScene })) {
  // Another Spool window is open: it gets our scene (second-instance) and we leave.
  app.quit();
} else {
  app.on('second-instance', (_event, argv, workingDirectory, additionalData) => {
    const data = additionalData as { scene?: unknown } | null;
    const scene = typeof data?.scene === 'string' ? data.scene : sceneArgument(userArgs(argv, Boolean(process.defaultApp)), workingDirectory);
    showWindow();
    if (scene) offerScene(scene);
  });
  app.whenReady().then(start).catch(fail);
}

async function start(): Promise<void> {
  const binding = electronSqliteBinding(app.getAppPath());
  if (binding) process.env.SPOOL_SQLITE_BINDING = binding;
  // The same default as the CLI's, so `spool submit` and `spool jobs` act on the app's queue;
  // a --user-data-dir profile (tests, a second profile) keeps its queue inside that profile.
  const dataDir = dataDirArgument(args, process.env, process.cwd()) ?? (userDataDir ? app.getPath('userData') : defaultDataDir());
  try {
    engine = await Engine.start({ dataDir });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      dialog.showErrorBox(
        'Spool is already running',
        `Another Spool (pid ${error.owner.pid}, for example \`spool serve\` or \`spool run\`) already runs the queue in ${dataDir}. Close it and start the app again.`,
      );
      app.exit(2);
      return;
    }
    throw error;
  }
  const running = engine;

  app.setAppUserModelId('dev.spool.app');
  hardenContents();
  handleAppScheme(path.join(app.getAppPath(), 'out', 'renderer'), () => (engineStopped ? null : running));
  let deliverGathered = (): void => {};
  const dispatch = createDispatcher(running, { mode: 'electron', dialogs: nativeDialogs(() => win), beforeLogRead: () => deliverGathered() });
  handleInvoke(dispatch);

  const feedback = desktopFeedback(running.listJobs(), () => win);
  const batcher = createEventBatcher(running, (event, payload) => {
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, { event, payload });
    if (event === 'job') feedback.jobChanged(payload as Parameters<typeof feedback.jobChanged>[0]);
    if (event === 'job' || event === 'jobRemoved' || event === 'changed') feedback.queueChanged(running.listJobs());
  });
  deliverGathered = () => batcher.flush();

  app.on('before-quit', (event) => {
    quitting = true;
    if (engineStopped) return;
    // Renders are stopped (and requeued) before the process goes, never killed mid-write.
    event.preventDefault();
    engineStopped = true;
    batcher.close();
    feedback.dispose();
    running.stop().finally(() => app.quit());
  });
  app.on('window-all-closed', () => {
    if (!tray) app.quit();
  });
  app.on('activate', showWindow);

  createWindow();
}

function createWindow(): void {
  const window = new BrowserWindow(windowOptions(path.join(here, '..', 'preload', 'index.cjs')));
  win = window;
  window.once('ready-to-show', () => window.show());
  window.webContents.on('did-finish-load', () => {
    if (pendingScene) offerScene(pendingScene);
  });
  window.on('close', (event) => {
    if (quitting || !engine || !engine.listJobs().some((job) => job.status === 'running')) return;
    event.preventDefault();
    void askOnClose(window).then((choice) => {
      if (choice === 'background') {
        window.hide();
        tray ??= showTray(path.join(app.getAppPath(), 'assets', 'icon.png'), { show: showWindow, quit: () => app.quit() });
      } else if (choice === 'stop') {
        app.quit();
      }
    });
  });
  window.on('closed', () => {
    if (win === window) win = null;
  });
  void window.loadURL(`${APP_URL}index.html`);
}

function showWindow(): void {
  if (!app.isReady() || !engine) return;
  if (!win) createWindow();
  else {
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  }
}

/** The page opens its new-job form on the scene (contract event `openScene`). Kept pending until a page loaded. */
function offerScene(scene: string): void {
  pendingScene = scene;
  if (!win || win.isDestroyed() || win.webContents.isLoading()) return;
  win.webContents.send(IPC_EVENT_CHANNEL, { event: 'openScene', payload: { scene } });
  pendingScene = null;
}

function fail(error: unknown): void {
  dialog.showErrorBox('Spool could not start', error instanceof Error ? error.message : String(error));
  app.exit(1);
}

import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The one window's options: the renderer is a web page with no Node in it, isolated from the
 * preload, in Chromium's sandbox. Every item of Electron's security checklist that is a window
 * option is stated here explicitly, so a test can hold it and a default changing cannot loosen it.
 */
export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 560,
    title: 'Spool',
    backgroundColor: '#16181d',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

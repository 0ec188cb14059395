import { app, dialog, Menu, nativeImage, Tray, type BrowserWindow } from 'electron';

export type CloseChoice = 'background' | 'stop' | 'cancel';

/** Closing the window while renders run: keep them going (tray), or stop them cleanly and quit. */
export async function askOnClose(win: BrowserWindow): Promise<CloseChoice> {
  const { response } = await dialog.showMessageBox(win, {
    type: 'question',
    title: 'Renders are running',
    message: 'Renders are still running.',
    detail:
      'Keep rendering in the background (Spool stays in the system tray), or stop the renders and quit? ' +
      'Stopped renders go back to the queue; frames already finished are kept.',
    buttons: ['Keep rendering in the background', 'Stop renders and quit', 'Cancel'],
    defaultId: 0,
    cancelId: 2,
    noLink: true,
  });
  return (['background', 'stop', 'cancel'] as const)[response] ?? 'cancel';
}

/** The tray icon while the window is hidden; Quit stops renders cleanly (they are requeued). */
export function showTray(iconPath: string, actions: { show(): void; quit(): void }): Tray {
  const icon = nativeImage.createFromPath(iconPath).resize({ width: 16, height: 16 });
  const tray = new Tray(icon);
  tray.setToolTip('Spool: rendering in the background');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Show Spool', click: actions.show },
      { type: 'separator' },
      { label: 'Quit Spool (stops renders)', click: actions.quit },
    ]),
  );
  tray.on('click', actions.show);
  app.on('before-quit', () => tray.destroy());
  return tray;
}

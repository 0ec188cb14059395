import { BrowserWindow, dialog, shell } from 'electron';
import type { Dialogs } from '../api/dispatch';
import { allAdapters } from '../engine/adapters/registry';

/** Native open dialogs for the dispatcher; null when the user cancels. */
export function nativeDialogs(window: () => BrowserWindow | null): Dialogs {
  const open = async (options: Electron.OpenDialogOptions): Promise<string | null> => {
    const win = window();
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
  const sceneExtensions = [...new Set(allAdapters().flatMap((a) => a.extensions.map((ext) => ext.replace(/^\./, ''))))];
  return {
    openScene: () =>
      open({
        title: 'Choose a scene to render',
        properties: ['openFile'],
        filters: [...(sceneExtensions.length ? [{ name: 'Scenes', extensions: sceneExtensions }] : []), { name: 'All files', extensions: ['*'] }],
      }),
    openFolder: () => open({ title: 'Choose a folder', properties: ['openDirectory', 'createDirectory'] }),
    // openPath answers an error message, empty on success.
    showFolder: async (folder) => (await shell.openPath(folder)) === '',
    revealFile: (file) => shell.showItemInFolder(file),
  };
}

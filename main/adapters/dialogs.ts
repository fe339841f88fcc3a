/**
 * Native dialogs for the `os:*` channels. Receives Electron's `dialog` module and a way to get the focused window
 * (types only from `electron`). Calls `dialog.showOpenDialog` / `showSaveDialog` at call time, so the Electron e2e
 * suite can stub them with `electronApp.evaluate`.
 */
import path from 'node:path';
import type { BaseWindow, Dialog } from 'electron';
import type { Dialogs } from '../ipc/os';

export function createElectronDialogs(dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>, getWindow: () => BaseWindow | null): Dialogs {
  return {
    async chooseFolder({ title, create }) {
      const properties: Array<'openDirectory' | 'createDirectory' | 'promptToCreate'> = ['openDirectory'];
      if (create) properties.push('createDirectory', 'promptToCreate');
      const win = getWindow();
      const options = { title, properties };
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return { path: result.canceled ? null : (result.filePaths[0] ?? null) };
    },
    async chooseSavePath({ defaultName }) {
      const win = getWindow();
      const options = { defaultPath: path.basename(defaultName), properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const] };
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return { path: result.canceled || !result.filePath ? null : result.filePath };
    },
  };
}

/**
 * Electron composition root: single-instance lock, the app:// scheme, the window with the security baseline of
 * main/windows/options.ts and its guards, IPC wiring, and the core utilityProcess. Nothing else: every decision lives
 * in a pure module tested in tests/unit/electron/. Bundled to dist/main/index.cjs (CommonJS), next to preload.cjs and
 * core.cjs; the renderer is served from dist/renderer.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, utilityProcess } from 'electron';
import {
  APP_START_URL,
  buildWindowOptions,
  isAllowedNavigation,
  permissionCheckHandler,
  permissionRequestHandler,
  windowOpenHandler,
} from './windows/options';
import { registerAppScheme, serveAppProtocol } from './windows/protocol';
import { applicationMenuTemplate } from './windows/menu';
import { registerIpc } from './ipc/register';
import { IPC_EVENT } from './preload/ipcNames';
import { eventFilter } from './ipc/invoke';
import { createCoreProcess } from './corehost/spawn';
import { createElectronDialogs } from './adapters/dialogs';
import { createElectronStorePrefs } from './adapters/prefs';
import { SavePathGrants } from './ipc/grants';

const bundleDir = __dirname; // dist/main
const rendererRoot = path.join(bundleDir, '..', 'renderer');

// Test hook for tests/e2e-electron: an isolated profile per run.
if (process.env.SOLIDARICIEL_USER_DATA) app.setPath('userData', process.env.SOLIDARICIEL_USER_DATA);

registerAppScheme(protocol);
app.enableSandbox(); // every renderer sandboxed, whatever its options

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Every web contents (including any the page might try to create): no webviews, no navigation, no new windows.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.on('will-navigate', (e, url) => {
      if (!isAllowedNavigation(url)) e.preventDefault();
    });
    contents.on('will-redirect', (e, url) => {
      if (!isAllowedNavigation(url)) e.preventDefault();
    });
    contents.setWindowOpenHandler(windowOpenHandler);
    // The page that held the session goes away (a reload, a crash): lock at once, whatever the new page does
    // (the new page's `session:start` locks too). docs/ui.md « Session and locking ».
    contents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) lockCore();
    });
    contents.on('render-process-gone', () => lockCore());
  });

  function lockCore(): void {
    void core.request('session:lock', { reason: 'user' }).catch(() => undefined);
  }

  const core = createCoreProcess({
    fork: (modulePath, args, options) => utilityProcess.fork(modulePath, args, options),
    modulePath: path.join(bundleDir, 'core.cjs'),
    prefs: createElectronStorePrefs(),
    // The contract has no 'crash' reason: 'user' shows the neutral "session is locked" notice.
    onCrash: () => broadcast('session:locked', { reason: 'user' }),
  });

  function broadcast(name: string, payload: unknown): void {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.webContents.isDestroyed()) win.webContents.send(IPC_EVENT, name, payload);
    }
  }

  void app.whenReady().then(async () => {
    // No default menu: it reloads with Ctrl+R and opens the developer tools (main/windows/menu.ts).
    Menu.setApplicationMenu(Menu.buildFromTemplate(applicationMenuTemplate(process.platform)));
    const ses = session.defaultSession;
    ses.setPermissionRequestHandler((_wc, permission, callback, details) => {
      callback(permissionRequestHandler(permission, details as Parameters<typeof permissionRequestHandler>[1]));
    });
    ses.setPermissionCheckHandler((_wc, permission, origin, details) => permissionCheckHandler(permission, origin, details.mediaType));
    ses.setDevicePermissionHandler(() => false);

    serveAppProtocol(protocol, rendererRoot);
    registerIpc(ipcMain, { dialogs: createElectronDialogs(dialog, () => mainWindow), core, grants: new SavePathGrants() });
    core.onEvent(eventFilter(broadcast));
    core.start();

    mainWindow = new BrowserWindow(buildWindowOptions(path.join(bundleDir, 'preload.cjs'), path.join(rendererRoot, 'icon.png')));
    mainWindow.once('ready-to-show', () => mainWindow?.show());
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
    await mainWindow.loadURL(APP_START_URL);
  });

  app.on('window-all-closed', () => app.quit());

  let coreClosed = false;
  app.on('before-quit', (event) => {
    if (coreClosed) return;
    event.preventDefault();
    void core.close().finally(() => {
      coreClosed = true;
      app.quit();
    });
  });
}

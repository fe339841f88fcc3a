/**
 * The composition root (main/index.ts) run against a fake `electron` module: it must apply the real options, CSP
 * protocol and guards of main/windows/, register the single IPC entry with its sender check, and start the core in a
 * utilityProcess. This is the closest to "running Electron" this machine allows.
 */
import { EventEmitter } from 'node:events';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { applicationMenuTemplate } from '../../../main/windows/menu';
import { APP_START_URL, CONTENT_SECURITY_POLICY, buildWindowOptions } from '../../../main/windows/options';
import { IPC_EVENT, IPC_INVOKE } from '../../../main/preload/ipcNames';

const fake = vi.hoisted(() => {
  // vi.hoisted runs before imports: only inline code here.
  const { EventEmitter: EE } = require('node:events') as typeof import('node:events');
  const app = Object.assign(new EE(), {
    paths: {} as Record<string, string>,
    sandboxed: false,
    enableSandbox() {
      this.sandboxed = true;
    },
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    setPath(name: string, p: string) {
      this.paths[name] = p;
    },
    quit: () => undefined,
  });
  const windows: Array<{ options: unknown; url?: string; webContents: InstanceType<typeof EE> & Record<string, unknown> }> = [];
  class BrowserWindow extends EE {
    options: unknown;
    url?: string;
    webContents = Object.assign(new EE(), { sent: [] as unknown[][], isDestroyed: () => false, send(...a: unknown[]) { this.sent.push(a); } });
    constructor(options: unknown) {
      super();
      this.options = options;
      windows.push(this as never);
    }
    async loadURL(url: string) {
      this.url = url;
    }
    static getAllWindows() {
      return windows;
    }
  }
  const children: Array<InstanceType<typeof EE> & { modulePath: string; posted: unknown[]; postMessage(m: unknown): void; kill(): boolean }> = [];
  const utilityProcess = {
    fork(modulePath: string) {
      const child = Object.assign(new EE(), {
        modulePath,
        posted: [] as unknown[],
        postMessage(m: unknown) {
          this.posted.push(m);
        },
        kill: () => true,
      });
      children.push(child);
      return child;
    },
  };
  const handlers = new Map<string, (...a: unknown[]) => unknown>();
  const ipcMain = { handle: (c: string, h: (...a: unknown[]) => unknown) => void handlers.set(c, h), removeHandler: (c: string) => void handlers.delete(c) };
  const schemes: unknown[] = [];
  const protocolHandlers = new Map<string, (req: { url: string; method: string }) => Promise<Response>>();
  const protocol = {
    registerSchemesAsPrivileged: (s: unknown[]) => void schemes.push(...s),
    handle: (scheme: string, h: (req: { url: string; method: string }) => Promise<Response>) => void protocolHandlers.set(scheme, h),
  };
  const perms: Record<string, (...a: unknown[]) => unknown> = {};
  const session = {
    defaultSession: {
      setPermissionRequestHandler: (h: (...a: unknown[]) => unknown) => (perms.request = h),
      setPermissionCheckHandler: (h: (...a: unknown[]) => unknown) => (perms.check = h),
      setDevicePermissionHandler: (h: (...a: unknown[]) => unknown) => (perms.device = h),
    },
  };
  const menus: { template: unknown[] | null; applied: unknown } = { template: null, applied: undefined };
  const Menu = {
    buildFromTemplate: (template: unknown[]) => ({ template }),
    setApplicationMenu: (menu: unknown) => void (menus.applied = menu),
  };
  const dialog = { showOpenDialog: async () => ({ canceled: false, filePaths: ['/chosen'] }), showSaveDialog: async () => ({ canceled: true }) };
  return { app, BrowserWindow, windows, utilityProcess, children, ipcMain, handlers, protocol, schemes, protocolHandlers, session, perms, dialog, Menu, menus };
});

vi.mock('electron', () => ({
  app: fake.app,
  BrowserWindow: fake.BrowserWindow,
  dialog: fake.dialog,
  ipcMain: fake.ipcMain,
  Menu: fake.Menu,
  protocol: fake.protocol,
  session: fake.session,
  utilityProcess: fake.utilityProcess,
}));
vi.mock('electron-store', () => ({
  default: class {
    store: Record<string, unknown> = { recent: ['/a'] };
    set(k: string, v: unknown) {
      this.store[k] = v;
    }
    delete(k: string) {
      delete this.store[k];
    }
  },
}));

const flush = () => new Promise((r) => setTimeout(r, 0));

beforeAll(async () => {
  await import('../../../main/index');
  await flush();
});

function webContents() {
  const wc = Object.assign(new EventEmitter(), { openHandler: null as null | (() => unknown), setWindowOpenHandler(h: () => unknown) { this.openHandler = h; } });
  fake.app.emit('web-contents-created', {}, wc);
  return wc;
}
const navEvent = () => ({ preventDefault: vi.fn() });

describe('main/index.ts', () => {
  it('declares the app scheme as privileged before ready, and serves it with the CSP', async () => {
    expect(fake.schemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    const res = await fake.protocolHandlers.get('app')!({ url: 'app://solidariciel/../../etc/passwd', method: 'GET' });
    expect(res.status).not.toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('opens one window with the baseline options and the bundled preload, on the app scheme', () => {
    expect(fake.windows).toHaveLength(1);
    const win = fake.windows[0]!;
    const options = win.options as ReturnType<typeof buildWindowOptions>;
    expect(options).toEqual(buildWindowOptions(options.webPreferences!.preload!, options.icon as string));
    expect(options.icon).toMatch(/renderer[/\\]icon\.png$/);
    expect(options.webPreferences!.preload).toMatch(/preload\.cjs$/);
    expect(win.url).toBe(APP_START_URL);
    expect(fake.app.sandboxed).toBe(true);
  });

  it('guards every web contents: navigation, redirects, webviews, window.open', () => {
    const wc = webContents();
    for (const url of ['https://evil.org/', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x']) {
      const e = navEvent();
      wc.emit('will-navigate', e, url);
      expect(e.preventDefault, url).toHaveBeenCalled();
      const r = navEvent();
      wc.emit('will-redirect', r, url);
      expect(r.preventDefault, url).toHaveBeenCalled();
    }
    const ok = navEvent();
    wc.emit('will-navigate', ok, 'app://solidariciel/index.html');
    expect(ok.preventDefault).not.toHaveBeenCalled();
    const wv = navEvent();
    wc.emit('will-attach-webview', wv);
    expect(wv.preventDefault).toHaveBeenCalled();
    expect(wc.openHandler?.()).toEqual({ action: 'deny' });
  });

  it('denies permissions except the camera for the app', () => {
    const ask = (permission: string, details: unknown) => {
      let granted: boolean | undefined;
      fake.perms.request!({}, permission, (g: boolean) => (granted = g), details);
      return granted;
    };
    expect(ask('geolocation', { requestingUrl: 'app://solidariciel/', isMainFrame: true })).toBe(false);
    expect(ask('media', { requestingUrl: 'app://solidariciel/', isMainFrame: true, mediaTypes: ['audio'] })).toBe(false);
    expect(ask('media', { requestingUrl: 'app://solidariciel/', isMainFrame: true, mediaTypes: ['video'] })).toBe(true);
    expect(fake.perms.check!({}, 'hid', 'app://solidariciel', { isMainFrame: true })).toBe(false);
    expect(fake.perms.device!({})).toBe(false);
  });

  it('starts the core utilityProcess with the preference snapshot', () => {
    expect(fake.children).toHaveLength(1);
    expect(fake.children[0]!.modulePath).toMatch(/core\.cjs$/);
    expect(fake.children[0]!.posted[0]).toEqual({ type: 'init', prefs: { recent: ['/a'] } });
  });

  it('routes IPC through the sender check to the core and back', async () => {
    const handler = fake.handlers.get(IPC_INVOKE)!;
    expect([...fake.handlers.keys()]).toEqual([IPC_INVOKE]);
    const sender = { isDestroyed: () => false, send: vi.fn() };
    const denied = await handler({ senderFrame: { url: 'https://evil.org/' }, sender }, 'session:current', {});
    expect(denied).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const child = fake.children[0]!;
    child.emit('message', { type: 'ready' });
    const pending = handler({ senderFrame: { url: 'app://solidariciel/index.html' }, sender }, 'session:current', {}) as Promise<unknown>;
    await flush();
    const request = child.posted.find((m) => (m as { type: string }).type === 'request') as { id: number; channel: string };
    expect(request).toMatchObject({ channel: 'session:current' });
    child.emit('message', { type: 'event', requestId: request.id, name: 'imports:progress', payload: { done: 1, total: 1 } });
    child.emit('message', { type: 'response', id: request.id, envelope: { ok: true, value: null } });
    expect(await pending).toEqual({ ok: true, value: null });
    expect(sender.send).toHaveBeenCalledWith(IPC_EVENT, 'imports:progress', { done: 1, total: 1 });

    const folder = await handler({ senderFrame: { url: 'app://solidariciel/index.html' }, sender }, 'os:chooseFolder', { title: 'x' });
    expect(folder).toEqual({ ok: true, value: { path: '/chosen' } });
  });

  it('broadcasts spontaneous core events (contract-checked) to the windows', () => {
    const child = fake.children[0]!;
    child.emit('message', { type: 'event', requestId: null, name: 'session:locked', payload: { reason: 'idle' } });
    child.emit('message', { type: 'event', requestId: null, name: 'not:inContract', payload: {} });
    const sent = (fake.windows[0]!.webContents as unknown as { sent: unknown[][] }).sent;
    expect(sent).toEqual([[IPC_EVENT, 'session:locked', { reason: 'idle' }]]);
  });

  it('replaces the default menu by one without reload nor developer tools', () => {
    expect(fake.menus.applied).toEqual({ template: applicationMenuTemplate(process.platform) });
  });

  it('locks the core when the page that held the session reloads or its renderer dies', async () => {
    const child = fake.children[0]!;
    const locks = () => child.posted.filter((m) => (m as { channel?: string }).channel === 'session:lock');
    const wc = webContents();
    wc.emit('did-start-navigation', { isMainFrame: true, isSameDocument: true, url: 'app://solidariciel/index.html#x' });
    wc.emit('did-start-navigation', { isMainFrame: false, isSameDocument: false, url: 'app://solidariciel/frame.html' });
    await flush();
    expect(locks()).toHaveLength(0);
    wc.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false, url: 'app://solidariciel/index.html' });
    await flush();
    expect(locks()).toHaveLength(1);
    wc.emit('render-process-gone', {}, { reason: 'crashed' });
    await flush();
    expect(locks()).toHaveLength(2);
    expect(locks()[0]).toMatchObject({ payload: { reason: 'user' } });
  });

  it('closes the core before quitting', async () => {
    const child = fake.children[0]!;
    const e = { preventDefault: vi.fn() };
    fake.app.emit('before-quit', e);
    expect(e.preventDefault).toHaveBeenCalled();
    await flush();
    const close = child.posted.find((m) => (m as { type: string }).type === 'close') as { id: number };
    expect(close).toBeDefined();
  });
});

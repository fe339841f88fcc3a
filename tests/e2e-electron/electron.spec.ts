/**
 * Electron e2e: the packaged-to-be app (dist/main/index.cjs) with its real preload, core utilityProcess and renderer.
 * Needs an Electron binary and a display (xvfb-run on a headless Linux). Start it with tests/e2e-electron/run.mjs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';

const root = fileURLToPath(new URL('../..', import.meta.url));
const mainEntry = join(root, 'dist', 'main', 'index.cjs');

let app: ElectronApplication;
let page: Page;
let userData: string;
let workDir: string;

test.beforeAll(async () => {
  userData = mkdtempSync(join(tmpdir(), 'solidariciel-e2e-profile-'));
  workDir = mkdtempSync(join(tmpdir(), 'solidariciel-e2e-assoc-'));
  const args = [mainEntry, '--lang=fr-FR'];
  // Chromium refuses to start as root without this (containers); the renderer stays `sandbox: true` (no Node).
  if (process.platform === 'linux' && process.getuid?.() === 0) args.push('--no-sandbox');
  app = await electron.launch({ args, cwd: root, env: { ...process.env, SOLIDARICIEL_USER_DATA: userData } as Record<string, string> });
  page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
});

test.afterAll(async () => {
  await app?.close();
  rmSync(userData, { recursive: true, force: true });
  rmSync(workDir, { recursive: true, force: true });
});

test('the unlock screen shows, served from app://solidariciel', async () => {
  expect(page.url()).toMatch(/^app:\/\/solidariciel\//);
  await expect(page.getByRole('heading', { level: 1, name: 'Ouvrir une association' })).toBeVisible();
  await expect(page.getByLabel('Mot de passe', { exact: true })).toBeVisible();
});

test('window options: sandboxed, isolated, no Node in the page, only the bridge exposed', async () => {
  // The preferences as the main process holds them (internal API: checked when present).
  const prefs = await app.evaluate(({ BrowserWindow }) => {
    const wc = BrowserWindow.getAllWindows()[0]!.webContents as unknown as { getLastWebPreferences?(): Record<string, unknown> | null };
    const p = wc.getLastWebPreferences?.();
    if (!p) return null;
    const { sandbox, contextIsolation, nodeIntegration, webSecurity, webviewTag, allowRunningInsecureContent } = p;
    return { sandbox, contextIsolation, nodeIntegration, webSecurity, webviewTag, allowRunningInsecureContent };
  });
  if (prefs) {
    expect(prefs).toEqual({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, webviewTag: false, allowRunningInsecureContent: false });
  }
  // Their effects, as the page sees them (always checked).
  const inPage = await page.evaluate(async () => {
    const g = globalThis as unknown as { require?: unknown; process?: unknown; module?: unknown; bridge: object };
    let fileRead = 'blocked';
    try {
      await fetch('file:///etc/hostname');
      fileRead = 'allowed';
    } catch {
      fileRead = 'blocked';
    }
    return {
      require: typeof g.require,
      process: typeof g.process,
      module: typeof g.module,
      bridgeKeys: Object.keys(g.bridge).sort(),
      webview: document.createElement('webview') instanceof HTMLUnknownElement,
      fileRead,
    };
  });
  expect(inPage).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined', bridgeKeys: ['invoke', 'on'], webview: true, fileRead: 'blocked' });
});

test('guards: CSP header, navigation and window.open denied, unknown channels refused', async () => {
  const csp = await page.evaluate(async () => (await fetch('/index.html')).headers.get('content-security-policy'));
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-eval');
  const opened = await page.evaluate(() => window.open('https://example.org/') === null);
  expect(opened).toBe(true);
  await page.evaluate(() => {
    window.location.href = 'https://example.org/';
  });
  await page.waitForTimeout(500);
  expect(page.url()).toMatch(/^app:\/\/solidariciel\//);
  const refused = await page.evaluate(() => (globalThis as unknown as { bridge: { invoke(c: string, p: unknown): Promise<unknown> } }).bridge.invoke('fs:readFile', {}));
  expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
});

test('create an association through the UI (native folder dialog stubbed)', async () => {
  const dir = join(workDir, 'Entraide-Test.solidariciel');
  await app.evaluate(({ dialog }, chosen) => {
    dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [chosen] })) as typeof dialog.showOpenDialog;
  }, dir);
  await page.getByRole('button', { name: 'Créer une association' }).click();
  await page.getByRole('button', { name: 'Parcourir…' }).click();
  await expect(page.getByLabel('Dossier où créer l’association')).toHaveValue(dir);
  await page.getByLabel('Nom de l’association').fill('Entraide Test');
  await page.getByLabel('Votre nom d’utilisateur').fill('admin');
  await page.getByLabel('Mot de passe', { exact: true }).fill('correct horse battery');
  await page.getByLabel('Confirmer le mot de passe').fill('correct horse battery');
  await page.getByRole('button', { name: 'Créer l’association' }).click();
  await expect(page.getByRole('button', { name: 'Verrouiller' })).toBeVisible({ timeout: 60_000 });
});

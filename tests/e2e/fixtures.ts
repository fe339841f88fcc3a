/**
 * Shared Playwright fixtures and helpers for the browser-host e2e suite.
 *
 * - `hostProcess`: a real browser host started for the test as a child process
 *   (`npx tsx main/host/index.ts --port 0 --prefs <tmp>`), killed afterwards; `baseURL` points to it. The `page`
 *   fixture has already opened the printed URL (`openApp`: its one-time code exchanged for the token, kept in the
 *   tab's sessionStorage), so `page.goto('/')` opens the app. The host's output is attached when a test fails.
 * - `associationDir`: an empty temporary folder for `association:create`, removed afterwards.
 * - `screenshot(page, name)`, `expectNoSeriousA11yViolations(page)`, `tempAssociationDir()`, `openApp(page, host)`
 *   for a page the fixture did not make.
 *
 * Usage: `import { test, expect, screenshot } from './fixtures';`
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Browser, type Page } from '@playwright/test';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Where the renderer build lives (`npm run build:renderer`); SOLIDARICIEL_E2E_STATIC overrides it (harness checks). */
export const RENDERER_DIR = process.env.SOLIDARICIEL_E2E_STATIC ?? join(ROOT, 'dist', 'renderer');
const SCREENSHOT_DIR = join(ROOT, 'test-results', 'screenshots');
/** The host's one stdout line: its base URL, then the one-time launch code in the fragment. */
const URL_LINE = /^SOLIDARICIEL_HOST_URL=(http:\/\/127\.0\.0\.1:\d+\/)#code=([A-Za-z0-9_-]{43})$/m;
/** Where renderer/api/hostSession.ts keeps the claimed token (sessionStorage). */
const TOKEN_KEY = 'solidariciel-host-token';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export interface HostProcess {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  /** The printed URL, `http://127.0.0.1:PORT/#code=<one-time code>`: good for one `openApp`. */
  launchUrl: string;
  process: ChildProcess;
  /** The host's preferences file (recent associations), in a temporary folder removed after the test. */
  prefsFile: string;
  /** Everything the host printed so far (stdout and stderr). */
  output(): string;
}

/**
 * Starts `npx tsx main/host/index.ts --port 0 --static dist/renderer --prefs <tmp>` in its own process group and
 * resolves once it printed its URL line. Rejects (with the host's output) if it exits first or takes over 60 s.
 * `options.exportDir` adds `--export-dir`: the only folder where the host writes a chosen file or backup folder.
 */
export async function startHostProcess(options: { exportDir?: string } = {}): Promise<HostProcess> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`${RENDERER_DIR}/index.html manque : lancez « npm run build:renderer » avant les tests e2e.`);
  }
  const prefsDir = await mkdtemp(join(tmpdir(), 'solidariciel-e2e-prefs-'));
  const prefsFile = join(prefsDir, 'preferences.json');
  const exportArgs = options.exportDir === undefined ? [] : ['--export-dir', options.exportDir];
  const child = spawn('npx', ['tsx', 'main/host/index.ts', '--port', '0', '--static', RENDERER_DIR, '--prefs', prefsFile, ...exportArgs], {
    cwd: ROOT,
    detached: true, // own process group: npx, tsx and node are stopped together
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c: string) => (output += c));
  const { url, launchUrl } = await new Promise<{ url: string; launchUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`l'hôte n'a pas donné son adresse en ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    function fail(error: Error): void {
      clearTimeout(timer);
      killGroup(child, 'SIGKILL');
      reject(new Error(`${error.message}\n--- sortie de l'hôte ---\n${output}`));
    }
    child.stdout.on('data', (c: string) => {
      output += c;
      const m = URL_LINE.exec(output);
      if (m?.[1] && m[2]) {
        clearTimeout(timer);
        resolve({ url: m[1], launchUrl: `${m[1]}#code=${m[2]}` });
      }
    });
    child.on('error', fail);
    child.on('exit', (code, signal) => fail(new Error(`l'hôte s'est arrêté (code ${code}, signal ${signal})`)));
  });
  const host: HostProcess = { url, launchUrl, process: child, prefsFile, output: () => output };
  prefsDirs.set(host, prefsDir);
  return host;
}

const prefsDirs = new WeakMap<HostProcess, string>();

/**
 * A host started with `--export-dir exportDir` and a page of its own (a new browser context) that has opened it; for
 * tests whose host needs options the `hostProcess` fixture does not give. `close()` closes the page's context and
 * stops the host.
 */
export async function openHostWithExportDir(browser: Browser, exportDir: string): Promise<{ host: HostProcess; page: Page; close(): Promise<void> }> {
  const host = await startHostProcess({ exportDir });
  const context = await browser.newContext({ baseURL: host.url });
  const page = await context.newPage();
  await openApp(page, host);
  return {
    host,
    page,
    async close() {
      await context.close();
      await stopHostProcess(host);
    },
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Sends SIGTERM to the host's process group (it closes the core), SIGKILL after 10 s; removes its temp folder. */
export async function stopHostProcess(host: HostProcess): Promise<void> {
  const child = host.process;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
  const dir = prefsDirs.get(host);
  if (dir) await rm(dir, { recursive: true, force: true });
}

/**
 * Opens the host's printed URL in `page` as the person who started it would, and waits until the page exchanged the
 * one-time code for the token (kept in the tab's sessionStorage, so later `page.goto('/')` stay signed in).
 * Once per host: the code is dead afterwards.
 */
export async function openApp(page: Page, host: HostProcess): Promise<void> {
  await page.goto(host.launchUrl);
  await page.waitForFunction((key) => !!window.sessionStorage.getItem(key), TOKEN_KEY);
  expect(new URL(page.url()).hash, 'the code leaves the address bar').toBe('');
}

/** An empty temporary folder to create an association in (`association:create` accepts an empty folder). */
export async function tempAssociationDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const parent = await mkdtemp(join(tmpdir(), 'solidariciel-e2e-assoc-'));
  const dir = join(parent, 'Entraide-Test.solidariciel');
  await mkdir(dir);
  return { dir, cleanup: () => rm(parent, { recursive: true, force: true }) };
}

/** Saves a full-page screenshot to `test-results/screenshots/<name>.png`, attaches it to the report, returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-');
  const path = join(SCREENSHOT_DIR, `${safe}.png`);
  await page.screenshot({ path, fullPage: true });
  await base.info().attach(safe, { path, contentType: 'image/png' });
  return path;
}

/**
 * Runs axe-core (WCAG 2.x A and AA rules) on the page and fails on any violation of impact serious or critical,
 * listing each rule, its help text and the first offending elements. The full result is attached to the report.
 */
export async function expectNoSeriousA11yViolations(page: Page, options: { exclude?: string[] } = {}): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']);
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  const results = await builder.analyze();
  await base.info().attach('axe-results', { body: JSON.stringify(results.violations, null, 2), contentType: 'application/json' });
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => {
      const targets = v.nodes
        .slice(0, 5)
        .map((n) => n.target.join(' '))
        .join(' | ');
      return `${v.id} (${v.impact}) : ${v.help} — ${targets}${v.nodes.length > 5 ? ` (+${v.nodes.length - 5})` : ''}`;
    });
  expect(serious, `violations d'accessibilité graves :\n${serious.join('\n')}`).toEqual([]);
}

interface Fixtures {
  hostProcess: HostProcess;
  associationDir: string;
}

export const test = base.extend<Fixtures>({
  hostProcess: async ({}, use, testInfo) => {
    const host = await startHostProcess();
    try {
      await use(host);
    } finally {
      await stopHostProcess(host);
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('host-output', { body: host.output(), contentType: 'text/plain' });
      }
    }
  },
  baseURL: async ({ hostProcess }, use) => {
    await use(hostProcess.url);
  },
  page: async ({ page, hostProcess }, use) => {
    await openApp(page, hostProcess);
    await use(page);
  },
  associationDir: async ({}, use) => {
    const { dir, cleanup } = await tempAssociationDir();
    try {
      await use(dir);
    } finally {
      await cleanup();
    }
  },
});

export { expect };

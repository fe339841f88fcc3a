/**
 * Playwright end-to-end tests of the real UI served by the browser host (main/host), in the system Chromium.
 * The renderer must be built first (`npm run build:renderer`; scripts/test-all.mjs does it). Browsers are never
 * downloaded: the Debian package's /usr/bin/chromium is used.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ci = !!process.env.CI;

/** Chromium flags for a container without a GPU, a user namespace sandbox or network access. */
export const CHROMIUM_ARGS = ['--lang=fr-FR', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export default defineConfig({
  testDir: fileURLToPath(new URL('.', import.meta.url)),
  testMatch: '**/*.spec.ts',
  outputDir: join(root, 'test-results', 'e2e'),
  // One worker: the machines have 2 cores, and each test starts its own host process.
  workers: 1,
  fullyParallel: false,
  forbidOnly: ci,
  retries: ci ? 1 : 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: join(root, 'test-results', 'e2e-results.json') }]],
  use: {
    headless: true,
    screenshot: 'on',
    trace: 'retain-on-failure',
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    viewport: { width: 1280, height: 800 },
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
      },
    },
  ],
});

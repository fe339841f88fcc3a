/**
 * The Electron end-to-end suite: Playwright `_electron.launch` on dist/main/index.cjs (the real main, preload, core
 * process and renderer). Run it through `node tests/e2e-electron/run.mjs`, which skips cleanly (and says so) when no
 * Electron binary is installed, and writes test-results/electron-summary.json for scripts/test-all.mjs.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  testDir: fileURLToPath(new URL('.', import.meta.url)),
  testMatch: '**/*.spec.ts',
  outputDir: join(root, 'test-results', 'e2e-electron'),
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list'], ['json', { outputFile: join(root, 'test-results', 'e2e-electron-results.json') }]],
});

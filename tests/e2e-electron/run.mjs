#!/usr/bin/env node
/**
 * Runs the Electron e2e suite when an Electron binary is installed; otherwise skips it honestly.
 * Always writes test-results/electron-summary.json: { "passed", "failed", "skipped", "ran", "reason"? }
 * (read by scripts/test-all.mjs). The number of tests is counted by `playwright test --list`, not hard-coded.
 * Exit code: 0 when skipped or all passed, 1 otherwise.
 * Builds dist/main first (scripts/build-main.mjs); the renderer must already be built (npm run build:renderer).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const config = path.join('tests', 'e2e-electron', 'playwright.config.ts');
const summaryFile = path.join(root, 'test-results', 'electron-summary.json');
const resultsFile = path.join(root, 'test-results', 'e2e-electron-results.json');
const require = createRequire(import.meta.url);
const playwrightCli = require.resolve('@playwright/test/cli');

/** Path of the Electron binary, or null when none is installed (node_modules/electron without dist/). */
export function electronBinary() {
  try {
    const p = require('electron');
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

/** Number of tests in the suite, from `playwright test --list` ("Total: N tests in M files"). */
export function countTests() {
  const r = spawnSync(process.execPath, [playwrightCli, 'test', '--list', '-c', config], { cwd: root, encoding: 'utf8' });
  const m = /Total:\s+(\d+)\s+tests?/.exec(r.stdout ?? '');
  if (!m) throw new Error(`cannot count the Electron tests (playwright --list):\n${r.stdout}\n${r.stderr}`);
  return Number(m[1]);
}

function writeSummary(summary) {
  mkdirSync(path.dirname(summaryFile), { recursive: true });
  writeFileSync(summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
}

function main() {
  const total = countTests();
  const binary = electronBinary();
  if (!binary) {
    console.log(`Electron suite skipped: no Electron binary on this machine (ELECTRON_SKIP_BINARY_DOWNLOAD); ${total} tests not run`);
    writeSummary({ passed: 0, failed: 0, skipped: total, ran: false, reason: 'no Electron binary on this machine' });
    return 0;
  }
  if (!existsSync(path.join(root, 'dist', 'renderer', 'index.html'))) {
    console.error('Electron suite: dist/renderer/index.html is missing — run `npm run build:renderer` first.');
    writeSummary({ passed: 0, failed: total, skipped: 0, ran: false, reason: 'renderer not built' });
    return 1;
  }
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-main.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    writeSummary({ passed: 0, failed: total, skipped: 0, ran: false, reason: 'build-main failed' });
    return 1;
  }
  // A headless Linux needs a display server for Electron.
  const needsXvfb = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
  const hasXvfb = needsXvfb && spawnSync('sh', ['-c', 'command -v xvfb-run'], { encoding: 'utf8' }).status === 0;
  const [cmd, args] = hasXvfb
    ? ['xvfb-run', ['-a', process.execPath, playwrightCli, 'test', '-c', config, ...process.argv.slice(2)]]
    : [process.execPath, [playwrightCli, 'test', '-c', config, ...process.argv.slice(2)]];
  rmSync(resultsFile, { force: true }); // never read a previous run's report
  const run = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  let summary;
  try {
    const stats = JSON.parse(readFileSync(resultsFile, 'utf8')).stats;
    summary = { passed: stats.expected + (stats.flaky ?? 0), failed: stats.unexpected, skipped: stats.skipped, ran: true };
  } catch {
    summary = { passed: 0, failed: total, skipped: 0, ran: true, reason: 'no Playwright JSON report' };
  }
  writeSummary(summary);
  console.log(`Electron suite: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
  return run.status === 0 && summary.failed === 0 ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main();
  } catch (error) {
    console.error(`Electron suite: ${error.message}`);
    writeSummary({ passed: 0, failed: 1, skipped: 0, ran: false, reason: String(error.message).split('\n')[0] });
    process.exitCode = 1;
  }
}

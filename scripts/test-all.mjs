#!/usr/bin/env node
/**
 * `npm test`: every suite of the project, in order, each streaming its own output:
 *   1. typecheck  — `npm run typecheck` (tsc per layer); counts as 1 passed or 1 failed check
 *   2. vitest     — unit, db and contract tests; JSON results in test-results/vitest.json
 *   3. e2e        — `npm run build:renderer`, then Playwright on the browser host; test-results/e2e-results.json
 *   4. electron   — `node tests/e2e-electron/run.mjs`; it writes test-results/electron-summary.json
 *                   `{ passed, failed, skipped }` (it skips where no Electron binary exists)
 * Then it prints a per-suite breakdown and, as the VERY LAST line, `N passed, N failed, N skipped`
 * (tests, not files). A suite that crashed before writing its JSON, exited non-zero without a recorded failure,
 * or ran past its time limit counts as 1 failed. Exit code 1 if anything failed.
 *
 * SOLIDARICIEL_SETUP_FAILURES (set by .ci/run) names setup problems, each counted as 1 failed.
 * SOLIDARICIEL_PACKAGE_SUMMARY (set by .ci/run after `npm run package:check`) is the package check's JSON summary
 * (test-results/package-summary.json): its checks are counted as a `package` suite; a missing or unreadable file
 * counts as 1 failed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = join(root, 'test-results');
const MINUTE = 60_000;

/** @type {{ name: string, passed: number, failed: number, skipped: number, notes: string[] }[]} */
const suites = [];
/** @type {import('node:child_process').ChildProcess | null} */
let current = null;

function banner(text) {
  process.stdout.write(`\n━━━ ${text} ━━━\n`);
}

function killGroup(child, signal) {
  if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Runs a command in its own process group with inherited stdout/stderr (no stdin).
 * Resolves `{ code, timedOut }`; past `timeoutMs` the group gets SIGTERM, then SIGKILL 10 s later.
 */
function run(command, args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], detached: true, env: process.env });
    current = child;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      process.stderr.write(`\n[test-all] ${command} ${args.join(' ')} : délai de ${timeoutMs / MINUTE} min dépassé, arrêt.\n`);
      killGroup(child, 'SIGTERM');
      setTimeout(() => killGroup(child, 'SIGKILL'), 10_000).unref();
    }, timeoutMs);
    child.on('error', (error) => {
      process.stderr.write(`[test-all] impossible de lancer ${command} : ${error.message}\n`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      current = null;
      resolve({ code: code ?? (signal ? 128 : 1), timedOut });
    });
  });
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

const nat = (v) => (Number.isInteger(v) && v >= 0 ? v : 0);

/** Records a suite; a non-zero exit or a time-out with no recorded failure adds one failure, with a note. */
function record(name, counts, outcome, notes = []) {
  const suite = { name, passed: counts.passed, failed: counts.failed, skipped: counts.skipped, notes: [...notes] };
  if (outcome?.timedOut) suite.notes.push('délai dépassé');
  if (outcome && (outcome.code !== 0 || outcome.timedOut) && suite.failed === 0) {
    suite.failed = 1;
    suite.notes.push(`code de sortie ${outcome.code} sans échec enregistré`);
  }
  suites.push(suite);
}

async function typecheck() {
  banner('1/4 typecheck (tsc)');
  const outcome = await run('npm', ['run', '-s', 'typecheck'], 10 * MINUTE);
  const ok = outcome.code === 0 && !outcome.timedOut;
  record('typecheck', { passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 }, outcome);
}

async function vitest() {
  banner('2/4 vitest (unit, db, contract)');
  const file = join(resultsDir, 'vitest.json');
  rmSync(file, { force: true });
  const outcome = await run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${file}`], 25 * MINUTE);
  const json = readJson(file);
  if (!json) {
    record('vitest', { passed: 0, failed: 1, skipped: 0 }, outcome, ['aucun résultat JSON (vitest a planté)']);
    return;
  }
  // Files that failed before running any test (import error, crash) count as one failure each.
  const crashedFiles = (json.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
  record(
    'vitest',
    {
      passed: nat(json.numPassedTests),
      failed: nat(json.numFailedTests) + crashedFiles,
      skipped: nat(json.numPendingTests) + nat(json.numTodoTests),
    },
    outcome,
    crashedFiles ? [`${crashedFiles} fichier(s) en échec avant tout test`] : [],
  );
}

async function e2e() {
  banner('3/4 e2e navigateur (build du renderer, puis Playwright + Chromium)');
  const file = join(resultsDir, 'e2e-results.json');
  rmSync(file, { force: true });
  const build = await run('npm', ['run', '-s', 'build:renderer'], 10 * MINUTE);
  if (build.code !== 0 || build.timedOut) {
    record('e2e', { passed: 0, failed: 1, skipped: 0 }, null, ['build du renderer en échec : tests e2e non lancés']);
    return;
  }
  const outcome = await run('npx', ['playwright', 'test', '-c', 'tests/e2e/playwright.config.ts'], 25 * MINUTE);
  const json = readJson(file);
  if (!json?.stats) {
    record('e2e', { passed: 0, failed: 1, skipped: 0 }, outcome, ['aucun résultat JSON (Playwright a planté)']);
    return;
  }
  const { expected, unexpected, flaky, skipped } = json.stats;
  const globalErrors = Array.isArray(json.errors) ? json.errors.length : 0;
  const notes = [];
  if (nat(flaky)) notes.push(`${flaky} instable(s), réussi(s) au 2e essai`);
  if (globalErrors) notes.push(`${globalErrors} erreur(s) hors test`);
  record(
    'e2e',
    { passed: nat(expected) + nat(flaky), failed: nat(unexpected) + (nat(unexpected) === 0 ? Math.min(globalErrors, 1) : 0), skipped: nat(skipped) },
    outcome,
    notes,
  );
}

async function electron() {
  banner('4/4 e2e Electron');
  const file = join(resultsDir, 'electron-summary.json');
  rmSync(file, { force: true });
  const script = join(root, 'tests', 'e2e-electron', 'run.mjs');
  if (!existsSync(script)) {
    process.stderr.write(`[test-all] ${script} introuvable : suite Electron comptée en échec.\n`);
    record('electron', { passed: 0, failed: 1, skipped: 0 }, null, ['tests/e2e-electron/run.mjs introuvable']);
    return;
  }
  const outcome = await run('node', [script], 10 * MINUTE);
  const json = readJson(file);
  if (!json || typeof json !== 'object') {
    process.stderr.write(`[test-all] ${file} absent ou illisible : suite Electron comptée en échec.\n`);
    record('electron', { passed: 0, failed: 1, skipped: 0 }, outcome, ['electron-summary.json absent']);
    return;
  }
  record('electron', { passed: nat(json.passed), failed: nat(json.failed), skipped: nat(json.skipped) }, outcome);
}

/** The package check already ran (.ci/run, before the tests): count its checks. */
function packageCheck() {
  const file = process.env.SOLIDARICIEL_PACKAGE_SUMMARY;
  if (!file) return;
  const json = readJson(file);
  if (!json || typeof json !== 'object') {
    record('package', { passed: 0, failed: 1, skipped: 0 }, null, [`${file} absent ou illisible (npm run package:check a planté)`]);
    return;
  }
  const notes = typeof json.sizeBytes === 'number' ? [`paquet ${(json.sizeBytes / 1e6).toFixed(1)} Mo hors Electron`] : [];
  record('package', { passed: nat(json.passed), failed: nat(json.failed), skipped: nat(json.skipped) }, null, notes);
}

function setup() {
  const problems = (process.env.SOLIDARICIEL_SETUP_FAILURES ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const problem of problems) record('setup', { passed: 0, failed: 1, skipped: 0 }, null, [problem]);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killGroup(current, 'SIGTERM');
    process.stderr.write(`\n[test-all] ${signal} reçu, arrêt.\n`);
    process.exit(130);
  });
}

mkdirSync(resultsDir, { recursive: true });
const started = Date.now();
setup();
packageCheck();
await typecheck();
await vitest();
await e2e();
await electron();

const total = suites.reduce((t, s) => ({ passed: t.passed + s.passed, failed: t.failed + s.failed, skipped: t.skipped + s.skipped }), {
  passed: 0,
  failed: 0,
  skipped: 0,
});
const width = Math.max(...suites.map((s) => s.name.length));
process.stdout.write(`\n━━━ Résumé (${Math.round((Date.now() - started) / 1000)} s) ━━━\n`);
for (const s of suites) {
  const notes = s.notes.length ? `  (${s.notes.join(' ; ')})` : '';
  process.stdout.write(`  ${s.name.padEnd(width)}  ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped${notes}\n`);
}
process.stdout.write(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
process.exitCode = total.failed > 0 ? 1 : 0;

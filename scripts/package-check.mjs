#!/usr/bin/env node
/**
 * `npm run package:check`: builds the app, packages it with electron-builder as a Linux unpacked folder
 * (`--linux dir`) around a stand-in Electron, and checks what a user would receive (docs/electron.md, "Package"):
 *   1. app.asar holds package.json and the main, preload, core and renderer bundles;
 *   2. nothing of tests/, bench/, the sources, source maps or tooling;
 *   3. no package that package-lock.json marks dev-only;
 *   4. each native module (scripts/native-modules.mjs) has its `.node` binary in app.asar.unpacked, built for the
 *      target platform, and no other package ships a `.node` binary;
 *   5. every string `require` of the three bundles resolves inside the package (Node built-ins and `electron`
 *      aside; knex's unused dialect drivers are listed, not failed), with the packages' own dependencies;
 *   6. the size of resources/ (app.asar + app.asar.unpacked) is reported.
 *
 * The stand-in Electron: electron-builder accepts an unpacked Electron folder as `electronDist`; it copies it, renames
 * its `electron` executable to the app's and writes resources/app.asar. A folder with a shell script named `electron`,
 * a `version` file and an empty resources/ is enough. Two settings differ from the real build, only here:
 * - `electronFuses: null`: @electron/fuses flips bits behind a sentinel inside the real Electron binary; a shell
 *   script has none (the real build keeps every fuse of electron-builder.yml, checked by builder.test.ts);
 * - `npmRebuild: false`: rebuilding native modules for Electron downloads Electron's headers (or prebuilt binaries),
 *   which this machine cannot; the binary checked is the one npm installed, for the same platform and architecture.
 *
 * Options: --no-build (reuse dist/), --keep (keep the packaged folder and print its path).
 * Writes test-results/package-summary.json `{ passed, failed, skipped, sizeBytes, checks: [{ name, ok, detail }] }`,
 * read by scripts/test-all.mjs. Exit code 1 if a check failed.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { OPTIONAL_REQUIRES } from './build-main.mjs';
import { NATIVE_BINARY_PACKAGES, NATIVE_MODULES } from './native-modules.mjs';
import {
  REQUIRED_ENTRIES,
  bareName,
  binaryPlatform,
  devOnlyPackages,
  findPackageDir,
  forbiddenEntries,
  isBuiltin,
  missingDependencies,
  nativeBinaries,
  requiredSpecifiers,
} from './package-rules.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const resultsFile = path.join(root, 'test-results', 'package-summary.json');
const BUNDLES = ['dist/main/index.cjs', 'dist/main/preload.cjs', 'dist/main/core.cjs', 'dist/main/vault-worker.cjs', 'dist/main/kdf-worker.cjs', 'dist/main/ocr-worker.cjs'];

/** @type {{ name: string, ok: boolean, detail: string }[]} */
const checks = [];
function check(name, ok, detail) {
  checks.push({ name, ok, detail });
  console.log(`package:check ${ok ? '✓' : '✗'} ${name}${detail ? ` — ${detail}` : ''}`);
}

function writeSummary(extra = {}) {
  const failed = checks.filter((c) => !c.ok).length;
  mkdirSync(path.dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify({ passed: checks.length - failed, failed, skipped: 0, ...extra, checks }, null, 2)}\n`);
  return failed;
}

/** Total bytes of the files under `dir`. */
function folderSize(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? folderSize(p) : statSync(p).size;
  }
  return total;
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} Mo`;

/** Writes the stand-in Electron folder (see the header) into `dir`. */
function makeStandInElectron(dir, version) {
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  const exe = path.join(dir, 'electron');
  writeFileSync(exe, '#!/bin/sh\necho "Electron de substitution (npm run package:check) : ce paquet ne se lance pas." >&2\nexit 1\n');
  chmodSync(exe, 0o755);
  writeFileSync(path.join(dir, 'version'), `${version}\n`);
}

/** Packages the app with electron-builder around the stand-in; resolves the unpacked app folder. */
async function packageApp(work) {
  const electronVersion = JSON.parse(readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  const standIn = path.join(work, 'electron-stand-in');
  makeStandInElectron(standIn, electronVersion);
  const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));
  const { build, Platform, Arch } = require('electron-builder');
  await build({
    projectDir: root,
    targets: Platform.LINUX.createTarget('dir', Arch[process.arch] ?? Arch.x64),
    publish: 'never',
    config: {
      ...config,
      electronVersion,
      electronDist: standIn,
      electronFuses: null, // no fuse sentinel in a stand-in: see the header
      npmRebuild: false, // no Electron headers offline: see the header
      directories: { ...config.directories, output: path.join(work, 'release') },
    },
  });
  const out = readdirSync(path.join(work, 'release')).find((d) => d.startsWith('linux') && d.endsWith('unpacked'));
  if (!out) throw new Error(`aucun dossier linux-*unpacked dans ${path.join(work, 'release')}`);
  return path.join(work, 'release', out);
}

/** A French page every office has seen (../shared/fixtures), read back by the packaged OCR. */
const OCR_PAGE = path.join(root, '..', 'shared', 'fixtures', 'scans', 'attestation-domicile-p1.jpg');

/**
 * Recognises `OCR_PAGE` with only what the package unpacks (electron-builder.yml `asarUnpack`, less what `files`
 * leaves out): tesseract.js, the LSTM core build Node picks, the French `4.0.0_best_int` model and the bundled worker
 * entry, as main/ocr/engine.ts starts them (docs/ocr.md "Packaging"). Run in a child Node so that nothing resolves
 * from the repository's own node_modules.
 */
function checkOcr(unpacked, work) {
  const script = path.join(work, 'ocr-check.cjs');
  const models = path.join(unpacked, 'node_modules', '@tesseract.js-data', 'fra', '4.0.0_best_int');
  writeFileSync(script, [
    `const { readFileSync } = require('node:fs');`,
    `const tesseract = require(${JSON.stringify(path.join(unpacked, 'node_modules', 'tesseract.js'))});`,
    `(async () => {`,
    `  const worker = await tesseract.createWorker('fra', 1, { langPath: ${JSON.stringify(models)}, cachePath: ${JSON.stringify(path.join(models, 'no-cache'))}, cacheMethod: 'none', gzip: true,`,
    `    workerPath: ${JSON.stringify(path.join(unpacked, 'dist', 'main', 'ocr-worker.cjs'))}, corePath: ${JSON.stringify(path.join(unpacked, 'node_modules', 'tesseract.js-core'))}, errorHandler: () => undefined });`,
    `  const { data } = await worker.recognize(readFileSync(${JSON.stringify(OCR_PAGE)}));`,
    `  await worker.terminate();`,
    `  console.log(JSON.stringify({ text: data.text }));`,
    `})().catch((e) => { console.error(String(e && e.message || e)); process.exit(1); });`,
  ].join('\n'));
  const r = spawnSync(process.execPath, [script], { cwd: work, encoding: 'utf8', timeout: 120_000 });
  let text = '';
  try {
    text = JSON.parse(r.stdout.trim().split('\n').pop() ?? '').text;
  } catch {
    text = '';
  }
  const ok = r.status === 0 && /ATTESTATION D.ÉLECTION DE DOMICILE/.test(text);
  check('reconnaissance de texte depuis app.asar.unpacked', ok, ok ? `« ${text.split('\n')[0]} » (${path.basename(OCR_PAGE)})` : `code ${r.status ?? r.signal} : ${(r.stderr || text).trim().slice(0, 300)}`);
}

/** Runs every check on the packaged folder `appDir`. */
function checkPackage(appDir, work) {
  const asar = require('@electron/asar');
  const resources = path.join(appDir, 'resources');
  const asarFile = path.join(resources, 'app.asar');
  const entries = asar.listPackage(asarFile).map((e) => e.split(path.sep).join('/'));

  const missing = REQUIRED_ENTRIES.filter((e) => !entries.includes(e));
  check('bundles présents dans app.asar', missing.length === 0, missing.length ? `absents : ${missing.join(', ')}` : REQUIRED_ENTRIES.join(', '));

  const forbidden = forbiddenEntries(entries);
  check('ni tests, ni bench, ni sources', forbidden.length === 0, forbidden.slice(0, 10).join(', '));

  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const dev = devOnlyPackages(entries, lock);
  check('aucune dépendance de développement', dev.length === 0, dev.slice(0, 10).join(', '));

  const { byPackage, undeclared } = nativeBinaries(entries, Object.values(NATIVE_BINARY_PACKAGES).flat());
  const target = `linux-${process.arch}`;
  for (const name of NATIVE_MODULES) {
    const holders = NATIVE_BINARY_PACKAGES[name] ?? [name];
    const files = [...byPackage].filter(([pkg]) => nativeBinaries([`/node_modules/${pkg}/x.node`], holders).undeclared.length === 0).flatMap(([, f]) => f);
    const found = files.map((f) => {
      const unpacked = path.join(`${asarFile}.unpacked`, ...f.split('/').filter(Boolean));
      try {
        return { f, platform: binaryPlatform(readFileSync(unpacked)) };
      } catch {
        return { f, platform: 'absent de app.asar.unpacked' };
      }
    });
    // The target's own binary is there, and no other OS's (a package may keep its OS's other architectures).
    const ok = found.some((b) => b.platform === target) && found.every((b) => b.platform.startsWith('linux-'));
    check(`module natif ${name} (${target}) dans app.asar.unpacked`, ok, found.length ? found.map((b) => `${b.f} : ${b.platform}`).join(', ') : 'aucun binaire .node');
  }
  check('aucun autre module natif', undeclared.length === 0, undeclared.length ? `non déclarés dans scripts/native-modules.mjs : ${undeclared.join(', ')}` : '');

  // Extract the asar (unpacked files included) and resolve every require as Node would, from the bundle's folder.
  const extracted = path.join(work, 'extracted');
  asar.extractAll(asarFile, extracted);
  const unresolved = [];
  const optional = new Set();
  const packageDirs = new Set();
  for (const bundle of BUNDLES) {
    const file = path.join(extracted, bundle);
    const from = createRequire(file);
    for (const spec of requiredSpecifiers(readFileSync(file, 'utf8'))) {
      if (isBuiltin(spec) || spec === 'electron') continue;
      try {
        const resolved = from.resolve(spec);
        if (!resolved.startsWith(extracted + path.sep)) throw new Error('hors du paquet');
        const dir = findPackageDir(path.dirname(file), bareName(spec), extracted);
        if (dir) packageDirs.add(dir);
      } catch {
        if (OPTIONAL_REQUIRES.includes(bareName(spec))) optional.add(spec);
        else unresolved.push(`${bundle} → ${spec}`);
      }
    }
  }
  const deps = [...packageDirs].flatMap((dir) => missingDependencies(dir, extracted));
  const problems = [...unresolved, ...deps];
  check(
    'chaque require des bundles se résout dans le paquet',
    problems.length === 0,
    problems.length
      ? problems.join(', ')
      : `${packageDirs.size} paquets chargés à l'exécution ; requires optionnels non embarqués (pilotes knex, rendu pdf.js) : ${[...optional].sort().join(', ') || 'aucun'}`,
  );

  checkOcr(`${asarFile}.unpacked`, work);

  const asarBytes = statSync(asarFile).size;
  const unpackedBytes = folderSize(`${asarFile}.unpacked`);
  const sizeBytes = asarBytes + unpackedBytes;
  check('taille mesurée', true, `${mb(sizeBytes)} (app.asar ${mb(asarBytes)}, app.asar.unpacked ${mb(unpackedBytes)}), sans Electron`);
  return { sizeBytes, asarBytes, unpackedBytes };
}

async function main() {
  const args = process.argv.slice(2);
  if (process.platform !== 'linux') {
    console.log('package:check : vérification prévue sous Linux (paquet --linux dir) ; ignorée sur ce système.');
    mkdirSync(path.dirname(resultsFile), { recursive: true });
    writeFileSync(resultsFile, `${JSON.stringify({ passed: 0, failed: 0, skipped: 1, checks: [] })}\n`);
    return;
  }
  if (!args.includes('--no-build')) {
    const r = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) {
      check('build (npm run build)', false, `code ${r.status ?? r.signal}`);
      process.exitCode = writeSummary() ? 1 : 0;
      return;
    }
  }
  const work = mkdtempSync(path.join(tmpdir(), 'solidariciel-package-'));
  let sizes = {};
  try {
    const appDir = await packageApp(work);
    check('electron-builder --linux dir', true, '');
    sizes = checkPackage(appDir, work);
  } catch (error) {
    check('electron-builder --linux dir', false, error instanceof Error ? error.message : String(error));
  } finally {
    if (args.includes('--keep')) console.log(`package:check : paquet conservé dans ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  const failed = writeSummary(sizes);
  console.log(`package:check : ${checks.length - failed}/${checks.length} vérifications réussies.`);
  process.exitCode = failed ? 1 : 0;
}

await main();

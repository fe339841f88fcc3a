#!/usr/bin/env node
/**
 * `postinstall` (and `npm run electron:download`): fetches the Electron binary, or explains why the app will run in
 * the browser host instead. Never fails the install (docs/electron.md, "First start").
 *
 * Why: Electron's own postinstall downloads its binary and exits 1 when it cannot (a blocked network), and npm then
 * rolls the whole install back. package.json `allowScripts` denies that script (`"electron": false`, honoured by npm
 * 11's install-script policy), so the electron package — its JavaScript and its TypeScript types — always installs;
 * this script then runs the same download (node_modules/electron/install.js) and only reports a failure.
 *
 * Skipped when ELECTRON_SKIP_BINARY_DOWNLOAD is set (CI) or the binary is already there.
 * SOLIDARICIEL_ELECTRON_DOWNLOAD_TIMEOUT_MS bounds the download (default 5 minutes). Exit code: always 0.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** Path of the installed Electron binary, or null (no electron package, or no downloaded dist/). */
export function electronBinary() {
  try {
    const p = require('electron');
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

function main() {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    console.log('electron : téléchargement du binaire ignoré (ELECTRON_SKIP_BINARY_DOWNLOAD).');
    return;
  }
  if (electronBinary()) return;
  const installer = path.join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer)) {
    console.log("electron : paquet absent, rien à télécharger ; « npm start » ouvrira l'hôte navigateur.");
    return;
  }
  const timeout = Number(process.env.SOLIDARICIEL_ELECTRON_DOWNLOAD_TIMEOUT_MS) || 5 * 60_000;
  console.log('electron : téléchargement du binaire Electron…');
  const r = spawnSync(process.execPath, [installer], { cwd: path.dirname(installer), stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8', timeout });
  if (r.status === 0 && electronBinary()) {
    console.log('electron : binaire installé ; « npm start » ouvrira la fenêtre Electron.');
    return;
  }
  const reason = r.error ? r.error.message : (r.stderr ?? '').trim().split('\n')[0] || `code ${r.status ?? r.signal}`;
  console.log(
    [
      '',
      `electron : le binaire Electron n'a pas pu être téléchargé (${reason}).`,
      "  L'installation continue : « npm start » ouvrira l'application dans votre navigateur (hôte navigateur).",
      '  Pour réessayer plus tard, avec un accès à Internet : npm run electron:download',
      `electron: the Electron binary could not be downloaded; "npm start" will use the browser host instead.`,
      '',
    ].join('\n'),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();

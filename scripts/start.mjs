#!/usr/bin/env node
/**
 * `npm start`: builds the renderer (if renderer/vite.config.ts exists) and the main bundles, then
 * - launches Electron on dist/main/index.cjs when an Electron binary is installed;
 * - otherwise says so (French and English) and starts the browser host instead (`tsx main/host/index.ts`),
 *   which prints the URL to open (`SOLIDARICIEL_HOST_URL=http://127.0.0.1:PORT/#code=…`: open it whole, its one-time
 *   code is what gives the page its session; docs/testing.md "The browser host"). Exit code: the child's.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/** Path of the Electron binary, or null when the package has no downloaded dist/ (ELECTRON_SKIP_BINARY_DOWNLOAD). */
export function electronBinary() {
  try {
    const p = require('electron');
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

function run(label, cmd, args) {
  console.log(`start: ${label}…`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    console.error(`start: ${label} a échoué / failed (code ${r.status ?? r.signal}).`);
    process.exit(r.status ?? 1);
  }
}

function forward(child) {
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function main() {
  if (existsSync(path.join(root, 'renderer', 'vite.config.ts'))) run('build:renderer', npx, ['vite', 'build', '--config', 'renderer/vite.config.ts']);
  else console.log('start: renderer/vite.config.ts absent — rendu non construit / renderer not built.');
  run('build:main', process.execPath, [path.join(root, 'scripts', 'build-main.mjs')]);

  const electron = electronBinary();
  if (electron) {
    console.log(`start: Electron ${electron}`);
    forward(spawn(electron, [path.join(root, 'dist', 'main', 'index.cjs')], { cwd: root, stdio: 'inherit' }));
    return;
  }
  console.log(
    [
      '',
      "Aucun exécutable Electron n'est installé sur cette machine (téléchargement bloqué) :",
      "  démarrage de l'hôte navigateur à la place ; ouvrez l'adresse complète qu'il affiche, code compris (il ne sert qu'une fois).",
      'No Electron runtime is installed on this machine (its download is blocked):',
      '  starting the browser host instead; open the whole URL it prints, code included (it works once).',
      '',
    ].join('\n'),
  );
  const hostEntry = path.join(root, 'main', 'host', 'index.ts');
  if (!existsSync(hostEntry)) {
    console.log("start: main/host/index.ts n'existe pas encore / does not exist yet — rien à lancer / nothing to start.");
    process.exit(0);
  }
  forward(spawn(npx, ['tsx', hostEntry], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();

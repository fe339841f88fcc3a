#!/usr/bin/env node
/**
 * `npm start` (docs/electron.md, "First start"): builds the renderer and the main bundles, then
 * - launches Electron on dist/main/index.cjs when an Electron binary is installed;
 * - otherwise says so (French and English) and starts the browser host instead, in this same Node process's child
 *   (`node --import tsx main/host/index.ts`: one process, no npx/tsx chain), echoes its URL line
 *   (`SOLIDARICIEL_HOST_URL=http://127.0.0.1:PORT/#code=…`: the one-time code gives the page its session, docs/testing.md
 *   "The browser host") and opens it in the default browser (xdg-open, open, start), except in CI or with
 *   SOLIDARICIEL_NO_BROWSER=1. The opener never sees the code: it is given a launcher page, written 0600 in a private
 *   0700 temporary folder, that forwards to the URL — a command line is visible to every local user (`ps`), and
 *   whoever spent the code first would get the session (docs/threat-model.md). When no browser can be opened it says,
 *   in one French line, what to do.
 * SIGINT, SIGTERM and SIGHUP stop the whole tree: the child runs in its own process group, which gets SIGTERM, then
 * SIGKILL after 10 s. So does the death of our parent (npm's `sh -c` dies of npm's forwarded SIGTERM without passing
 * it on to us). SOLIDARICIEL_HOST_PREFS=<file> passes `--prefs <file>` to the host (tests use a temporary one).
 * Exit code: the child's.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { electronBinary } from './electron-binary.mjs';

export { electronBinary };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const isWindows = process.platform === 'win32';
const npx = isWindows ? 'npx.cmd' : 'npx';
const URL_LINE = /^SOLIDARICIEL_HOST_URL=(http:\/\/127\.0\.0\.1:\d+\/(?:#code=[A-Za-z0-9_-]+)?)\s*$/;
/** How long the launcher page stays on disk: long enough for a browser to start and read it. */
const LAUNCHER_TTL_MS = 60_000;
const KILL_AFTER_MS = 10_000;

/** The line printed when no browser could be opened. */
export const NO_BROWSER_LINE = (url) => `Aucun navigateur n'a pu être ouvert : ouvrez ${url} dans Firefox, Chrome ou Edge sur cet ordinateur.`;

/** True if `command` is an executable file in one of the `PATH` folders. */
function onPath(command, env) {
  return (env.PATH ?? '').split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, command)));
}

/**
 * How to open `url` in the default browser on `platform`, or null when none should or can be: in CI
 * (`CI` set), with SOLIDARICIEL_NO_BROWSER=1, or on Linux without a display or without xdg-open.
 * @returns `{ command, args }` to spawn detached.
 */
export function browserOpener(url, platform = process.platform, env = process.env, has = (c) => onPath(c, env)) {
  if (env.CI || env.SOLIDARICIEL_NO_BROWSER === '1') return null;
  if (platform === 'win32') return { command: 'cmd.exe', args: ['/d', '/s', '/c', 'start', '""', url] };
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null;
  return has('xdg-open') ? { command: 'xdg-open', args: [url] } : null;
}

/**
 * Writes a page that forwards to `url` into a new private folder (0700, random name; the file 0600), so that the
 * browser's command line names a file other local users cannot read instead of the one-time code.
 * @returns the launcher's file URL and a function that removes the folder.
 */
export function writeLauncher(url, parent = tmpdir()) {
  const dir = mkdtempSync(path.join(parent, 'solidariciel-open-'));
  const file = path.join(dir, 'ouvrir.html');
  const target = JSON.stringify(url).replace(/</g, '\\u003c');
  const html = `<!doctype html><meta charset="utf-8"><title>Solidariciel</title><script>location.replace(${target})</script>`;
  writeFileSync(file, html, { mode: 0o600, flag: 'wx' });
  return { href: pathToFileURL(file).href, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens `url` in the default browser through a launcher page if possible; otherwise prints NO_BROWSER_LINE. */
function openBrowser(url) {
  if (!browserOpener(url)) {
    console.log(NO_BROWSER_LINE(url));
    return;
  }
  const launcher = writeLauncher(url);
  const opener = browserOpener(launcher.href);
  const failed = () => {
    launcher.remove();
    console.log(NO_BROWSER_LINE(url));
  };
  const child = spawn(opener.command, opener.args, { detached: true, stdio: 'ignore', windowsVerbatimArguments: isWindows });
  child.on('error', failed);
  child.on('exit', (code) => {
    if (code !== 0) failed();
  });
  child.unref();
  setTimeout(launcher.remove, LAUNCHER_TTL_MS).unref();
  process.on('exit', launcher.remove);
  console.log("Ouverture de l'application dans votre navigateur…");
}

function run(label, cmd, args) {
  console.log(`start: ${label}…`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: isWindows });
  if (r.status !== 0) {
    console.error(`start: ${label} a échoué / failed (code ${r.status ?? r.signal}).`);
    process.exit(r.status ?? 1);
  }
}

/**
 * Sends `signal` to the child's whole process group (POSIX) or tree (Windows, taskkill). `evenIfExited` reaches what
 * the group still holds after its leader exited (POSIX).
 */
function signalTree(child, signal, evenIfExited = false) {
  if (child.pid === undefined) return;
  if (!evenIfExited && (child.exitCode !== null || child.signalCode !== null)) return;
  if (isWindows && (child.exitCode !== null || child.signalCode !== null)) return;
  try {
    if (isWindows) spawnSync('taskkill', ['/pid', String(child.pid), '/T', ...(signal === 'SIGKILL' ? ['/F'] : [])], { stdio: 'ignore' });
    else process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Ties our life to `child` (spawned detached, so it leads its own process group): our signals stop its whole group
 * (SIGTERM, then SIGKILL after 10 s), and we exit with its code once it has exited.
 */
function supervise(child) {
  let stopping = false;
  const stop = (reason) => {
    if (stopping) return;
    stopping = true;
    console.error(`start: ${reason}, arrêt de l'application…`);
    signalTree(child, 'SIGTERM');
    setTimeout(() => signalTree(child, 'SIGKILL'), KILL_AFTER_MS).unref();
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => stop(`${sig} reçu`));
  // `npm start` runs us through `sh -c`: npm forwards its SIGTERM to that shell, which dies without passing it on.
  // Our parent's death is the signal then (POSIX: we are re-parented, our ppid changes).
  const parent = process.ppid;
  if (!isWindows) setInterval(() => process.ppid !== parent && stop('npm s’est arrêté'), 250).unref();
  process.on('exit', () => signalTree(child, 'SIGKILL'));
  child.on('exit', (code, signal) => {
    // Whatever the child left in its group (a helper process) goes with it.
    signalTree(child, 'SIGKILL', true);
    process.exit(code ?? (signal && !stopping ? 1 : 0));
  });
}

function startHost() {
  const hostEntry = path.join(root, 'main', 'host', 'index.ts');
  const args = ['--import', 'tsx', hostEntry];
  if (process.env.SOLIDARICIEL_HOST_PREFS) args.push('--prefs', process.env.SOLIDARICIEL_HOST_PREFS);
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], detached: !isWindows });
  supervise(child);
  let opened = false;
  createInterface({ input: child.stdout }).on('line', (line) => {
    console.log(line);
    const m = URL_LINE.exec(line);
    if (m?.[1] && !opened) {
      opened = true;
      openBrowser(m[1]);
    }
  });
}

function main() {
  run('build:renderer', npx, ['vite', 'build', '--config', 'renderer/vite.config.ts']);
  run('build:main', process.execPath, [path.join(root, 'scripts', 'build-main.mjs')]);

  const electron = electronBinary();
  if (electron) {
    console.log(`start: Electron ${electron}`);
    supervise(spawn(electron, [path.join(root, 'dist', 'main', 'index.cjs')], { cwd: root, stdio: 'inherit', detached: !isWindows }));
    return;
  }
  console.log(
    [
      '',
      "Aucun exécutable Electron n'est installé sur cette machine (téléchargement bloqué ?) :",
      "  l'application s'ouvre dans votre navigateur (hôte navigateur, 127.0.0.1 uniquement). « npm run electron:download » réessaie.",
      "  Sinon, ouvrez l'adresse complète affichée ci-dessous, code compris (il ne sert qu'une fois), dans un seul onglet.",
      'No Electron runtime is installed on this machine: starting the browser host instead (open the whole URL below, once).',
      '',
    ].join('\n'),
  );
  startHost();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();

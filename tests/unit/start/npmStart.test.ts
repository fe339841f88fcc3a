/**
 * scripts/start.mjs (`npm start`, docs/electron.md "First start"): where no Electron binary exists it starts the
 * browser host, opens the URL with the system opener (or says in French what to do), and a SIGTERM to `npm start`
 * stops the whole tree: the port closes and no process of the tree survives.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

interface StartModule {
  browserOpener(url: string, platform: string, env: Record<string, string | undefined>, has: (c: string) => boolean): { command: string; args: string[] } | null;
  NO_BROWSER_LINE(url: string): string;
  writeLauncher(url: string, parent?: string): { href: string; remove(): void };
}

const repo = path.resolve(__dirname, '../../..');
const start = (await import(pathToFileURL(path.join(repo, 'scripts/start.mjs')).href)) as StartModule;
const tmp = mkdtempSync(path.join(tmpdir(), 'solidariciel-start-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const URL = 'http://127.0.0.1:4321/';

/** Every descendant pid of `pid` (Linux /proc). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};

const portOpen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('browser opener', () => {
  it('uses xdg-open, open or start, and nothing in CI or without a display', () => {
    const yes = (): boolean => true;
    expect(start.browserOpener(URL, 'linux', { DISPLAY: ':0' }, yes)).toEqual({ command: 'xdg-open', args: [URL] });
    expect(start.browserOpener(URL, 'linux', { WAYLAND_DISPLAY: 'wayland-0' }, yes)?.command).toBe('xdg-open');
    expect(start.browserOpener(URL, 'linux', { DISPLAY: ':0' }, () => false)).toBeNull();
    expect(start.browserOpener(URL, 'linux', {}, yes)).toBeNull();
    expect(start.browserOpener(URL, 'darwin', {}, yes)).toEqual({ command: 'open', args: [URL] });
    expect(start.browserOpener(URL, 'win32', {}, yes)?.args).toEqual(['/d', '/s', '/c', 'start', '""', URL]);
    expect(start.browserOpener(URL, 'darwin', { CI: 'true' }, yes)).toBeNull();
    expect(start.browserOpener(URL, 'win32', { SOLIDARICIEL_NO_BROWSER: '1' }, yes)).toBeNull();
    expect(start.NO_BROWSER_LINE(URL)).toMatch(/^Aucun navigateur n'a pu être ouvert : ouvrez http:\/\/127\.0\.0\.1:4321\/ dans /);
  });
});

describe('launcher page', () => {
  it('forwards to the URL from a 0600 file in a private 0700 folder, and is removed', () => {
    const launcher = start.writeLauncher('http://127.0.0.1:4321/#code=abc</script>', tmp);
    const file = fileURLToPath(launcher.href);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('location.replace("http://127.0.0.1:4321/#code=abc\\u003c/script>")');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    launcher.remove();
    expect(existsSync(path.dirname(file))).toBe(false);
  });
});

describe('npm start without Electron', () => {
  it('serves, opens the URL, and stops as a whole on SIGTERM', async () => {
    // A fake xdg-open that records its arguments and fails, so start.mjs also prints its French fallback line.
    const bin = path.join(tmp, 'bin');
    const record = path.join(tmp, 'xdg-open.args');
    rmSync(bin, { recursive: true, force: true });
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\necho "$@" > '${record}'\nexit 3\n`);
    chmodSync(path.join(bin, 'xdg-open'), 0o755);
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, DISPLAY: ':99', SOLIDARICIEL_HOST_PREFS: path.join(tmp, 'prefs', 'preferences.json'), NO_COLOR: '1' };
    delete env.CI;
    delete env.SOLIDARICIEL_NO_BROWSER;
    delete env.WAYLAND_DISPLAY;
    const npm = spawn('npm', ['start'], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    npm.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
    npm.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
    const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`pas d'adresse en 150 s :\n${output}`)), 150_000);
        const poll = setInterval(() => {
          const m = /SOLIDARICIEL_HOST_URL=(http:\/\/127\.0\.0\.1:(\d+)\/#code=[A-Za-z0-9_-]+)/.exec(output);
          if (m?.[1] && output.includes("Aucun navigateur n'a pu être ouvert")) {
            clearInterval(poll);
            clearTimeout(timer);
            resolve(m[1]);
          }
        }, 200);
        void exited.then(() => reject(new Error(`npm start s'est arrêté :\n${output}`)));
      });
      const port = Number(new globalThis.URL(url).port);
      expect((await fetch(url)).status).toBe(200);
      // The opener's command line (visible to every local user) names a private launcher page, never the code.
      const opened = readFileSync(record, 'utf8').trim();
      expect(opened).toMatch(/^file:\/\//);
      expect(opened).not.toContain(new globalThis.URL(url).hash.slice(1));
      expect(output).toContain(start.NO_BROWSER_LINE(url));
      const tree = descendants(npm.pid ?? -1);
      expect(tree.length).toBeGreaterThan(0);

      npm.kill('SIGTERM');
      await exited;
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && (tree.some(alive) || (await portOpen(port)))) await new Promise((r) => setTimeout(r, 200));
      expect(tree.filter(alive), output).toEqual([]);
      expect(await portOpen(port)).toBe(false);
    } finally {
      if (npm.exitCode === null) npm.kill('SIGKILL');
    }
  }, 200_000);
});

/**
 * A real sync hub for the e2e suite, as its own process: `startHubProcess({ dataDir, port })` spawns
 * `npx tsx tests/e2e/syncHelpers.ts hub --data DIR --port P` (this file, run as a script: createHub from hub/index.ts
 * on SQLite in DIR), waits for its `SOLIDARICIEL_HUB_URL=` line, and `stopHubProcess` ends it (SIGTERM: the hub closes
 * its database; SIGKILL after 10 s). Stopping and starting again on the same folder and port is a hub outage as an
 * association would live it: the devices keep the same address.
 *
 * No Playwright import here: the script side stays a plain Node program.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const URL_LINE = /^SOLIDARICIEL_HUB_URL=(http:\/\/127\.0\.0\.1:\d+)$/m;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export interface HubProcess {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  process: ChildProcess;
  /** Everything the hub printed so far (stdout and stderr). */
  output(): string;
}

/** A port free right now on 127.0.0.1 (the hub must keep one port across a restart, so port 0 will not do). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Starts the hub in its own process group; resolves once it listens. Rejects with its output if it exits first or takes over 60 s. */
export async function startHubProcess(options: { dataDir: string; port: number }): Promise<HubProcess> {
  const child = spawn('npx', ['tsx', SELF, 'hub', '--data', options.dataDir, '--port', String(options.port)], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c: string) => (output += c));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`le hub n'a pas donné son adresse en ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    function fail(error: Error): void {
      clearTimeout(timer);
      killGroup(child, 'SIGKILL');
      reject(new Error(`${error.message}\n--- sortie du hub ---\n${output}`));
    }
    child.stdout.on('data', (c: string) => {
      output += c;
      const m = URL_LINE.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(m[1]);
      }
    });
    child.on('error', fail);
    child.on('exit', (code, signal) => fail(new Error(`le hub s'est arrêté (code ${code}, signal ${signal})`)));
  });
  return { url, port: options.port, process: child, output: () => output };
}

/** SIGTERM to the hub's process group, SIGKILL after 10 s; resolves once it exited. Safe to call twice. */
export async function stopHubProcess(hub: HubProcess): Promise<void> {
  const child = hub.process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** Script side: `tsx tests/e2e/syncHelpers.ts hub --data DIR --port P`. */
async function runHub(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { data: { type: 'string' }, port: { type: 'string', default: '0' } }, strict: true });
  if (!values.data) throw new Error('--data manquant');
  const { createHub } = await import('../../hub/index');
  const hub = await createHub({ dataDir: values.data });
  const url = await hub.listen(Number(values.port));
  process.stdout.write(`SOLIDARICIEL_HUB_URL=${url}\n`);
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(1);
      stopping = true;
      hub.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

if (process.argv[1] === SELF && process.argv[2] === 'hub') {
  runHub(process.argv.slice(3)).catch((error: unknown) => {
    process.stderr.write(`hub e2e : démarrage impossible — ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

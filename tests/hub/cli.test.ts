/** `hub start` from the CLI: starts a hub one can query, prints its address, and stops cleanly on SIGTERM. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { healthResponse } from '../../shared/sync/protocol';

/** Runs the CLI; `output(done)` resolves with stdout once `done(stdout)` holds (or rejects when the process ends first). */
function startCli(args: string[]) {
  // One process (node with tsx's loader), so that SIGTERM reaches the hub itself, not a wrapper that relays it.
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('main/cli/index.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const output = (done: (out: string) => boolean) =>
    new Promise<string>((resolveOut, reject) => {
      const check = () => done(stdout) && resolveOut(stdout);
      child.stdout.on('data', check);
      check();
      void exited.then(() => reject(new Error(`arrêt prématuré : ${stderr}`)));
    });
  return { child, exited, output, stderr: () => stderr };
}

const data = mkdtempSync(join(tmpdir(), 'solidariciel-hub-cli-'));
afterAll(() => rmSync(data, { recursive: true, force: true }));

describe('hub start (CLI)', () => {
  it('serves /v1/health until SIGTERM, then exits 0', async () => {
    const run = startCli(['hub', 'start', '--port', '0', '--data', data]);
    const line = await run.output((out) => out.includes('\n'));
    const m = /^Hub démarré sur (http:\/\/127\.0\.0\.1:\d+) \(données : (.+), base : SQLite\)$/m.exec(line);
    expect(m, line).not.toBeNull();
    expect(m?.[2]).toBe(data);
    const health = healthResponse.parse(await (await fetch(`${m?.[1]}/v1/health`)).json());
    expect(health.ok).toBe(true);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('prints {"url"} with --json', async () => {
    const run = startCli(['hub', 'start', '--port', '0', '--data', data, '--json']);
    const out = await run.output((o) => o.trim().endsWith('}'));
    const { url } = JSON.parse(out) as { url: string };
    expect((await fetch(`${url}/v1/health`)).status).toBe(200);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });

  it('refuses a bad port, database address, registration secret or quota as a usage error', async () => {
    const bad = startCli(['hub', 'start', '--port', 'http', '--data', data]);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toContain('--port');
    const db = startCli(['hub', 'start', '--port', '0', '--data', data, '--database', 'mysql://x']);
    expect(await db.exited).toBe(2);
    expect(db.stderr()).toContain('--database');
    const secret = startCli(['hub', 'start', '--port', '0', '--data', data, '--registration-secret', 'court']);
    expect(await secret.exited).toBe(2);
    expect(secret.stderr()).toContain('--registration-secret');
    const quota = startCli(['hub', 'start', '--port', '0', '--data', data, '--quota-gb', '0']);
    expect(await quota.exited).toBe(2);
    expect(quota.stderr()).toContain('--quota-gb');
  });
});

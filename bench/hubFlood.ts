/**
 * An anonymous client against the hub's memory (docs/hub-scaling.md "Limits"): starts `hub start` (SQLite) in a
 * child process, opens HUB_FLOOD_CONNECTIONS connections (default 100) that each send a HUB_FLOOD_MB MB push
 * (default 15) without valid authentication, all at once, and prints the hub's resident memory before and at its
 * peak (VmHWM, Linux). `npx tsx bench/hubFlood.ts`
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CONNECTIONS = Number(process.env['HUB_FLOOD_CONNECTIONS'] ?? 100);
const BYTES = Number(process.env['HUB_FLOOD_MB'] ?? 15) * 1024 * 1024;

function memory(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

/** Sends one oversized anonymous push; resolves with the bytes written before the hub answered or closed. */
function flood(port: number): Promise<{ sent: number; status: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let sent = 0;
    let answer = '';
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    const end = () => resolve({ sent, status: /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 'aucune' });
    socket.on('data', (d) => {
      answer += d.toString('latin1');
    });
    socket.on('close', end);
    socket.on('error', () => undefined);
    const head = ['POST /v1/push HTTP/1.1', 'Host: x', 'Content-Type: application/json', `Content-Length: ${BYTES}`, 'x-solidariciel-device: dev-inconnu', `x-solidariciel-time: ${Date.now()}`, 'x-solidariciel-signature: AAAA'];
    socket.write(`${head.join('\r\n')}\r\n\r\n`);
    const pump = () => {
      while (sent < BYTES && !socket.destroyed) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
      if (sent >= BYTES) socket.end();
    };
    pump();
  });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-flood-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/index.ts', 'hub', 'start', '--port', '0', '--data', dataDir, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /"url":\s*"([^"]+)"/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', () => reject(new Error('le hub s’est arrêté')));
    });
    const port = Number(new URL(url).port);
    await new Promise((r) => setTimeout(r, 500));
    const before = memory(child.pid!);
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: CONNECTIONS }, () => flood(port)));
    const after = memory(child.pid!);
    const sentMb = results.reduce((s, r) => s + r.sent, 0) / 1024 / 1024;
    const statuses = [...new Set(results.map((r) => r.status))].join(', ');
    process.stdout.write(
      `${CONNECTIONS} connexions × ${BYTES / 1024 / 1024} Mo : ${Math.round(sentMb)} Mo envoyés en ${Date.now() - started} ms, réponses ${statuses} ; ` +
        `mémoire du hub ${before.rssMb} Mo avant, pic ${after.peakMb} Mo, ${after.rssMb} Mo après\n`,
    );
  } finally {
    child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();

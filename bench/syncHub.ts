/**
 * Hub push throughput on PostgreSQL: ~50 associations, 200 devices in all, each device pushing one small envelope
 * (≈ 600 bytes of ciphertext, a realistic header) per signed request, in a loop, all at once, for N seconds, over
 * keep-alive HTTP with the real HubClient. The hub runs in this process; the simulated devices run in a worker
 * thread (they sign every request, which costs about as much CPU as the hub's checks).
 *
 * `tsx bench/syncHub.ts` prints the JSON; bench/sync.ts imports `benchHubPushes`. See docs/hub-scaling.md.
 * Environment: HUB_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; a fresh schema is made and
 * dropped), HUB_BENCH_SECONDS, HUB_BENCH_DEVICES, HUB_BENCH_POOL (PostgreSQL connections, default 20),
 * HUB_BENCH_FETCH=undici (the global fetch for the devices instead of node:http).
 */
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { createHub } from '../hub/index';
import { signDetached } from '../main/sync/ed25519';
import { HubClient } from '../main/sync/hubClient';
import { deviceCertMessage } from '../shared/sync/protocol';
import { getSodium } from '../main/crypto/sodium';

export interface HubBenchResult {
  hubPushesPerSec: number;
  pushP95Ms: number;
  pushP50Ms: number;
  devices: number;
  associations: number;
  envelopesStored: number;
  /** Seconds of pushing measured. */
  seconds: number;
  /** Bytes of one pushed request body (JSON: header, base64url ciphertext, signature). */
  requestBytes: number;
  /** PostgreSQL bytes (tables and indexes) per stored envelope. */
  storedBytesPerEnvelope: number;
  /** Milliseconds the hub's event loop was busy per push (its CPU cost per request, the load generator apart). */
  hubBusyMsPerPush: number;
  /** Share of the time the hub's event loop was busy (1 = saturated: add processes). */
  hubEventLoopUtilization: number;
  storage: 'PostgreSQL';
}

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';
const log = (s: string) => process.stderr.write(`[bench:hub] ${s}\n`);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

interface DeviceSpec {
  associationId: string;
  deviceId: string;
  /** libsodium secret key, base64url. */
  secretKey: string;
}

interface LoadResult {
  pushes: number;
  seconds: number;
  /** Milliseconds per push request, in completion order. */
  latencies: Float64Array;
  requestBytes: number;
}

interface LoadJob {
  kind: 'solidariciel-hub-bench-load';
  url: string;
  devices: DeviceSpec[];
  seconds: number;
}

/**
 * A `fetch` over node:http with a keep-alive agent, for the simulated devices: undici's fetch costs the load generator
 * several times the CPU of a plain request, and here it shares 2 cores with the hub and PostgreSQL. It answers the
 * subset of Response that HubClient uses (ok, status, headers.get, text, arrayBuffer).
 * HUB_BENCH_FETCH=undici uses the global fetch instead.
 */
function keepAliveFetch(): typeof fetch {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  return ((input: string | URL, init: RequestInit = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(String(input));
      const req = request(
        { host: url.hostname, port: url.port, path: url.pathname + url.search, method: init.method ?? 'GET', headers: init.headers as Record<string, string>, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            // Only what HubClient reads of a Response: a full WHATWG Response (streams, Headers) costs more CPU
            // than the request itself.
            const body = Buffer.concat(chunks);
            const status = res.statusCode ?? 500;
            const header = (name: string) => {
              const v = res.headers[name.toLowerCase()];
              return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
            };
            resolve({
              ok: status >= 200 && status < 300,
              status,
              headers: { get: header },
              text: async () => body.toString('utf8'),
              arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength),
            } as unknown as Response);
          });
        },
      );
      req.on('error', reject);
      init.signal?.addEventListener('abort', () => req.destroy(init.signal?.reason as Error));
      req.end(init.body as Uint8Array | undefined);
    })) as typeof fetch;
}

/**
 * The simulated devices (in the worker): each pushes one envelope per request with its own HubClient, the next as
 * soon as the previous is acknowledged, until the deadline.
 */
async function generateLoad(job: LoadJob): Promise<LoadResult> {
  const latencies: number[] = [];
  let requestBytes = 0;
  const started = performance.now();
  const deadline = started + job.seconds * 1000;
  const fetchFn = process.env['HUB_BENCH_FETCH'] === 'undici' ? fetch : keepAliveFetch();
  await Promise.all(
    job.devices.map(async (d) => {
      const client = new HubClient({ url: job.url, deviceId: d.deviceId, signSecretKey: new Uint8Array(Buffer.from(d.secretKey, 'base64url')), fetch: fetchFn });
      // The hub neither decrypts nor checks envelope signatures: random bytes of the right size stand in for them.
      const ciphertext = b64(randomBytes(600));
      const signature = b64(randomBytes(64));
      for (let seq = 1; performance.now() < deadline; seq++) {
        const header = JSON.stringify({
          v: 1,
          associationId: d.associationId,
          scope: 'association',
          audience: [],
          keyEpoch: 1,
          deviceId: d.deviceId,
          deviceSeq: seq,
          hlc: `${Date.now()}-0000-${d.deviceId}`,
          schema: 3,
          changes: 6,
        });
        if (requestBytes === 0) requestBytes = JSON.stringify({ envelopes: [{ header, ciphertext, signature }] }).length;
        const t0 = performance.now();
        const res = await client.push([{ header, ciphertext, signature }]);
        latencies.push(performance.now() - t0);
        if (res.accepted[0]?.duplicate !== false) throw new Error('poussée non enregistrée');
      }
    }),
  );
  return { pushes: latencies.length, seconds: (performance.now() - started) / 1000, latencies: Float64Array.from(latencies), requestBytes };
}

/** Runs the simulated devices in a worker thread and returns what they measured. */
function runLoad(url: string, devices: DeviceSpec[], seconds: number): Promise<LoadResult> {
  const job: LoadJob = { kind: 'solidariciel-hub-bench-load', url, devices, seconds };
  // tsx's loader does not follow into workers on Node 20: the worker registers it, then loads this file.
  const boot = `import('tsx/esm/api').then((api) => api.tsImport(${JSON.stringify(import.meta.url)}, ${JSON.stringify(import.meta.url)}))`;
  const worker = new Worker(boot, { eval: true, workerData: job });
  return new Promise((resolve, reject) => {
    worker.once('message', (m: LoadResult) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`générateur de charge arrêté (code ${code})`));
    });
  });
}

/**
 * Measures pushes per second through a hub on a fresh PostgreSQL schema. Defaults: 200 devices, 10 s.
 * Throws when PostgreSQL cannot be reached.
 */
export async function benchHubPushes(opts: { devices?: number; seconds?: number; databaseUrl?: string } = {}): Promise<HubBenchResult> {
  const deviceCount = opts.devices ?? Number(process.env['HUB_BENCH_DEVICES'] ?? 200);
  const seconds = opts.seconds ?? Number(process.env['HUB_BENCH_SECONDS'] ?? 10);
  const baseUrl = opts.databaseUrl ?? process.env['HUB_BENCH_DATABASE_URL'] ?? DEFAULT_URL;
  const associations = Math.max(1, Math.round(deviceCount / 4));
  const schema = `hub_bench_${randomBytes(5).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'solidariciel-hub-bench-'));
  const hub = await createHub({ dataDir, databaseUrl: `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}schema=${schema}`, poolSize: Number(process.env['HUB_BENCH_POOL'] ?? 20) });
  try {
    const url = await hub.listen(0);
    log(`hub ${url} (PostgreSQL, schéma ${schema}) ; inscription de ${associations} associations, ${deviceCount} postes…`);
    const sodium = await getSodium();
    const roots = Array.from({ length: associations }, () => {
      const kp = sodium.crypto_sign_keypair();
      return { associationId: `asso-${randomBytes(8).toString('hex')}`, publicKey: kp.publicKey, secretKey: kp.privateKey };
    });
    const devices: DeviceSpec[] = Array.from({ length: deviceCount }, (_, i) => {
      const kp = sodium.crypto_sign_keypair();
      return { associationId: roots[i % associations]!.associationId, deviceId: `dev-${randomBytes(8).toString('hex')}`, secretKey: b64(kp.privateKey) };
    });
    // One association's devices in turn (the first creates it), associations in parallel.
    await Promise.all(
      roots.map(async (root) => {
        for (const [i, d] of devices.entries()) {
          if (d.associationId !== root.associationId) continue;
          const secretKey = new Uint8Array(Buffer.from(d.secretKey, 'base64url'));
          const publicKey = b64(secretKey.subarray(32));
          const cert = b64(signDetached(root.secretKey, deviceCertMessage(root.associationId, d.deviceId, publicKey)));
          const client = new HubClient({ url, deviceId: d.deviceId, signSecretKey: secretKey });
          await client.register({ associationId: root.associationId, rootPublicKey: b64(root.publicKey), device: { deviceId: d.deviceId, publicKey, cert, name: `Poste ${i}` } });
        }
      }),
    );
    log(`${seconds} s de poussées…`);
    const elu0 = performance.eventLoopUtilization();
    const load = await runLoad(url, devices, seconds);
    const elu = performance.eventLoopUtilization(elu0);
    const latencies = new Float64Array(load.latencies).sort();
    const db = new pg.Client({ connectionString: baseUrl.split('?')[0] });
    await db.connect();
    try {
      const count = Number((await db.query(`SELECT count(*) AS n FROM "${schema}".envelopes`)).rows[0].n);
      const size = await db.query(
        `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 AND c.relkind = 'r' AND (c.relname LIKE 'envelopes_p%' OR c.relname LIKE 'envelope_audience_p%')`,
        [schema],
      );
      return {
        hubPushesPerSec: Math.round(load.pushes / load.seconds),
        pushP95Ms: Math.round(percentile(latencies, 95) * 10) / 10,
        pushP50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
        devices: deviceCount,
        associations,
        envelopesStored: count,
        seconds: Math.round(load.seconds * 10) / 10,
        requestBytes: load.requestBytes,
        storedBytesPerEnvelope: count > 0 ? Math.round(Number(size.rows[0].bytes) / count) : 0,
        hubBusyMsPerPush: Math.round((elu.active / Math.max(1, load.pushes)) * 100) / 100,
        hubEventLoopUtilization: Math.round(elu.utilization * 100) / 100,
        storage: 'PostgreSQL',
      };
    } finally {
      await db.end();
    }
  } finally {
    await hub.close();
    const db = new pg.Client({ connectionString: baseUrl.split('?')[0] });
    await db.connect();
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => db.end());
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (!isMainThread && (workerData as LoadJob | undefined)?.kind === 'solidariciel-hub-bench-load') {
  void generateLoad(workerData as LoadJob).then((r) => parentPort?.postMessage(r, [r.latencies.buffer as ArrayBuffer]));
}

const isEntry = isMainThread && process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isEntry) {
  benchHubPushes().then(
    (r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`),
    (e: unknown) => {
      process.stderr.write(`[bench:hub] échec : ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}

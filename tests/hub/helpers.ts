/**
 * Test helpers for the hub: a real hub on loopback (SQLite in a temporary folder, or PostgreSQL in a schema of its
 * own, dropped afterwards), associations with root-certified devices talking through the real HubClient, and
 * envelopes with a realistic header.
 *
 * PostgreSQL: HUB_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test). When it cannot be reached the
 * PostgreSQL suites are skipped (and say so), unless HUB_TEST_PG=required, which makes them fail instead;
 * HUB_TEST_PG=off skips them on purpose.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createHub, type Hub, type HubOptions } from '../../hub/index';
import { openHubDatabase, type HubDatabase } from '../../hub/storage/database';
import { newSignKeyPair, sign } from '../../main/crypto/identity';
import { signDetached } from '../../main/sync/ed25519';
import { HubClient } from '../../main/sync/hubClient';
import { AUTH_HEADERS, authMessage, deviceCertMessage, revokeMessage, type Envelope } from '../../shared/sync/protocol';

export const PG_URL = process.env['HUB_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export type Backend = 'sqlite' | 'postgres';
export const BACKENDS: Backend[] = ['sqlite', 'postgres'];

async function probePostgres(): Promise<boolean> {
  if (process.env['HUB_TEST_PG'] === 'off') return false;
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (e) {
    if (process.env['HUB_TEST_PG'] === 'required') throw e;
    process.stderr.write(`[tests/hub] PostgreSQL injoignable (${PG_URL}) : suites PostgreSQL sautées.\n`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export const PG_AVAILABLE = await probePostgres();
export const skipBackend = (b: Backend) => b === 'postgres' && !PG_AVAILABLE;

/** A clock shared by the hub and the test's clients: tests move `offset` (ms). */
export class Clock {
  offset = 0;
  now = (): number => Date.now() + this.offset;
}

export interface TestHub {
  hub: Hub;
  url: string;
  clock: Clock;
  dataDir: string;
  /** The PostgreSQL URL with its schema (undefined on SQLite). */
  databaseUrl: string | undefined;
  /** A second connection to the hub's database, to look at its rows (closed with the hub). */
  db(): Promise<HubDatabase>;
  close(): Promise<void>;
}

/** A fresh storage place: a temporary folder, and a PostgreSQL schema of its own on that backend. */
export function testStorage(backend: Backend): { dataDir: string; databaseUrl: string | undefined; drop(): Promise<void> } {
  const dataDir = mkdtempSync(join(tmpdir(), 'solidariciel-hub-'));
  const schema = `hub_test_${randomBytes(6).toString('hex')}`;
  const databaseUrl = backend === 'postgres' ? `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}` : undefined;
  return {
    dataDir,
    databaseUrl,
    async drop() {
      if (backend === 'postgres') {
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Starts a hub on 127.0.0.1, port 0, on the given storage (`options`: limits, registration secret…). */
export async function startHub(backend: Backend, clock = new Clock(), options: Pick<HubOptions, 'limits' | 'registrationSecret'> = {}): Promise<TestHub> {
  const storage = testStorage(backend);
  const { dataDir, databaseUrl } = storage;
  const hub = await createHub({ dataDir, now: clock.now, ...(databaseUrl ? { databaseUrl } : {}), ...options });
  const url = await hub.listen(0);
  let second: HubDatabase | null = null;
  return {
    hub,
    url,
    clock,
    dataDir,
    databaseUrl,
    async db() {
      return (second ??= await openHubDatabase(dataDir, databaseUrl, 2));
    },
    async close() {
      await second?.knex.destroy();
      await hub.close();
      await storage.drop();
    },
  };
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const newId = (prefix: string) => `${prefix}-${randomBytes(8).toString('hex')}`;

export interface TestDevice {
  deviceId: string;
  publicKey: string;
  cert: string;
  secretKey: Uint8Array;
  client: HubClient;
  /** Next deviceSeq `envelope()` uses. */
  seq: number;
}

export interface TestAssociation {
  associationId: string;
  rootPublicKey: string;
  rootSecretKey: Uint8Array;
}

/** A fresh association identity (root key pair); nothing is sent to the hub. */
export async function newAssociation(): Promise<TestAssociation> {
  const root = await newSignKeyPair();
  return { associationId: newId('asso'), rootPublicKey: b64(root.publicKey), rootSecretKey: root.secretKey };
}

/** A device identity certified by the association's root, with its client (not registered yet). */
export async function newDevice(t: TestHub, a: TestAssociation, options: { now?: () => number } = {}): Promise<TestDevice> {
  const keys = await newSignKeyPair();
  const deviceId = newId('dev');
  const publicKey = b64(keys.publicKey);
  const cert = b64(await sign(a.rootSecretKey, deviceCertMessage(a.associationId, deviceId, publicKey)));
  const client = new HubClient({ url: t.url, deviceId, signSecretKey: keys.secretKey, now: options.now ?? t.clock.now });
  return { deviceId, publicKey, cert, secretKey: keys.secretKey, client, seq: 1 };
}

export const registration = (a: TestAssociation, d: TestDevice, name = 'Accueil') => ({
  associationId: a.associationId,
  rootPublicKey: a.rootPublicKey,
  device: { deviceId: d.deviceId, publicKey: d.publicKey, cert: d.cert, name },
});

/** A device registered with the hub (registering the association on first use). */
export async function registeredDevice(t: TestHub, a: TestAssociation, name = 'Accueil'): Promise<TestDevice> {
  const d = await newDevice(t, a);
  await d.client.register(registration(a, d, name));
  return d;
}

/** The root key's revocation signature for a device. */
export async function revokeSignature(a: TestAssociation, deviceId: string): Promise<string> {
  return b64(await sign(a.rootSecretKey, revokeMessage(a.associationId, deviceId)));
}

/**
 * An envelope as a device would push it: realistic header, ~600 bytes of (random) ciphertext, a 64-byte signature.
 * Takes the device's next deviceSeq unless `deviceSeq` is given.
 */
export function envelope(
  a: TestAssociation,
  d: TestDevice,
  o: { deviceSeq?: number; scope?: string; audience?: string[]; hlcMillis?: number; bytes?: number } = {},
): Envelope {
  const deviceSeq = o.deviceSeq ?? d.seq++;
  const header = JSON.stringify({
    v: 1,
    associationId: a.associationId,
    scope: o.scope ?? 'association',
    audience: o.audience ?? [],
    keyEpoch: 1,
    deviceId: d.deviceId,
    deviceSeq,
    hlc: `${String(o.hlcMillis ?? Date.now()).padStart(13, '0')}-0000-${d.deviceId}`,
    schema: 3,
    changes: 4,
  });
  return { header, ciphertext: b64(randomBytes(o.bytes ?? 600)), signature: b64(randomBytes(64)) };
}

/** Pulls everything after `after` page by page; returns the envelopes and the pages' sizes. */
export async function pullAll(d: TestDevice, after = 0, limit?: number) {
  const envelopes = [];
  const pages: number[] = [];
  let cursor = after;
  for (;;) {
    const page = await d.client.pull(cursor, limit);
    envelopes.push(...page.envelopes);
    pages.push(page.envelopes.length);
    cursor = page.next;
    if (!page.more) return { envelopes, pages, cursor, head: page.head };
    if (pages.length > 10_000) throw new Error('pull sans fin');
  }
}

/** The error a promise rejects with (code, message, details), or null when it succeeds. */
export const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as { code: string; message: string; details?: Record<string, unknown> },
  );

/**
 * A request signed like HubClient's but built by hand, for what the client never sends (malformed bodies, replays).
 * `signedBody` / `signedPath` are what the signature covers (default: what is sent).
 */
export async function rawRequest(
  t: TestHub,
  d: Pick<TestDevice, 'deviceId' | 'secretKey'>,
  method: string,
  path: string,
  body?: string | Buffer,
  o: { contentType?: string; signedBody?: string | Buffer; signedPath?: string; time?: number; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; json: { error?: { code: string; message: string; serverTime?: number } } & Record<string, unknown> }> {
  const time = o.time ?? t.clock.now();
  const signed = o.signedBody ?? body ?? '';
  const digest = createHash('sha256').update(signed).digest('hex');
  const signature = Buffer.from(signDetached(d.secretKey, authMessage(method, o.signedPath ?? path, time, digest))).toString('base64url');
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': o.contentType ?? 'application/json' } : {}),
      [AUTH_HEADERS.device]: d.deviceId,
      [AUTH_HEADERS.time]: String(time),
      [AUTH_HEADERS.signature]: signature,
      ...o.headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : new Uint8Array(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : {} };
}

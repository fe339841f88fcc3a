/** The `sync_state` table (0030_sync): this device's sync settings and cursors, key → string value. */
import type { Knex } from 'knex';

export type Db = Knex | Knex.Transaction;

export const STATE = {
  hubUrl: 'hub_url',
  deviceId: 'device_id',
  deviceName: 'device_name',
  signSecretKey: 'device_sign_secret_key', // base64url, libsodium Ed25519 64 bytes
  signPublicKey: 'device_sign_public_key',
  deviceCert: 'device_cert',
  rootPublicKey: 'root_public_key',
  capturedSeq: 'captured_seq', // last change_log.seq turned into envelopes
  nextDeviceSeq: 'next_device_seq',
  cursor: 'pull_cursor', // last serverSeq pulled
  audience: 'audience', // JSON array last sent to the hub
  lastSyncAt: 'last_sync_at',
  lastReceivedAt: 'last_received_at',
  lastError: 'last_error', // JSON {code, message, at} or ''
  maxSeenHlc: 'max_seen_hlc',
  auditAnchor: 'audit_anchor', // JSON: the highest audit anchor the hub gave back (docs/sync.md "Audit anchor")
} as const;

export async function getState(db: Db, key: string): Promise<string | null> {
  const r = (await db('sync_state').where({ key }).first('value')) as { value: string } | undefined;
  return r?.value ?? null;
}

export async function getStates(db: Db): Promise<Map<string, string>> {
  return new Map(((await db('sync_state').select('key', 'value')) as { key: string; value: string }[]).map((r) => [r.key, r.value]));
}

export async function setState(db: Db, values: Record<string, string | number>): Promise<void> {
  for (const [key, value] of Object.entries(values)) {
    await db('sync_state').insert({ key, value: String(value) }).onConflict('key').merge();
  }
}

export async function intState(db: Db, key: string, fallback: number): Promise<number> {
  const v = await getState(db, key);
  const n = v === null ? NaN : Number(v);
  return Number.isFinite(n) ? n : fallback;
}

/** A JSON list of strings kept in sync_state, or null when it is missing or damaged. */
export function stringListState(value: string | null): string[] | null {
  if (value === null) return null;
  try {
    const v: unknown = JSON.parse(value);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
  } catch {
    return null;
  }
}

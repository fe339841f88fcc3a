/**
 * The sync engine of an open association database, built from what this device stored when it joined the hub
 * (`sync_state`, 0030_sync): hub address, device key and certificate, and the association scope key of `scope_keys`.
 * Used by the session (background and « Synchroniser maintenant ») and, before anyone can unlock, by a device
 * that just joined (its first pull).
 */
import { join } from 'node:path';
import type { Knex } from 'knex';
import { MIGRATIONS } from '../../db/migrations';
import { HubClient } from '../../sync/hubClient';
import { SyncEngine, type SyncProgress } from '../../sync/engine';
import { syncKeyOf } from '../../sync/envelope';
import { fromB64u } from '../../sync/ed25519';
import type { HybridLogicalClock } from '../../sync/hlc';
import { getStates, STATE } from '../../sync/state';
import { BlobStore } from '../../vault/blobStore';
import { VAULT_DIR } from '../association/associationStore';

export interface DeviceSync {
  engine: SyncEngine;
  client: HubClient;
  hubUrl: string;
  deviceId: string;
  deviceName: string;
  associationId: string;
}

export interface DeviceSyncOptions {
  db: Knex;
  dir: string;
  hlc: HybridLogicalClock;
  /** The root public key to trust (the session user's pinned one); else the one stored at join. */
  rootPublicKey?: Uint8Array;
  /** User and group ids this device holds (narrower scopes it receives). */
  audience: () => Promise<string[]>;
  now?: () => number;
  onProgress?: (p: SyncProgress) => void;
}

/** The device's sync engine, or null when this association never joined a hub. */
export async function loadDeviceSync(o: DeviceSyncOptions): Promise<DeviceSync | null> {
  const s = await getStates(o.db);
  const hubUrl = s.get(STATE.hubUrl);
  const secret = s.get(STATE.signSecretKey);
  const deviceId = s.get(STATE.deviceId);
  if (!hubUrl || !secret || !deviceId) return null;
  const meta = new Map(((await o.db('meta').select('key', 'value')) as { key: string; value: string }[]).map((r) => [r.key, r.value]));
  const associationId = meta.get('association_id') ?? '';
  const scope = (await o.db('scope_keys').where({ scope_id: 'association' }).orderBy('epoch', 'desc').first('key')) as { key: string } | undefined;
  if (!scope) throw new Error('clé du périmètre association absente');
  const rootPublicKey = o.rootPublicKey ?? fromB64u(s.get(STATE.rootPublicKey) ?? meta.get('root_public_key') ?? '');
  const signSecretKey = fromB64u(secret);
  const now = o.now ?? Date.now;
  const client = new HubClient({ url: hubUrl, deviceId, signSecretKey, now });
  const engine = new SyncEngine({
    db: o.db,
    hub: client,
    hlc: o.hlc,
    device: { associationId, deviceId, signSecretKey, syncKey: await syncKeyOf(fromB64u(scope.key)), schema: MIGRATIONS.length },
    rootPublicKey,
    audience: o.audience,
    blobs: new BlobStore(join(o.dir, VAULT_DIR)),
    now,
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
  return { engine, client, hubUrl, deviceId, deviceName: s.get(STATE.deviceName) ?? '', associationId };
}

/** Ids of the users with a key slot on this device and of their groups: the narrower scopes this device receives. */
export async function deviceAudience(db: Knex, slotUserIds: readonly string[]): Promise<string[]> {
  const groups = slotUserIds.length
    ? ((await db('group_members').whereIn('user_id', [...slotUserIds]).whereNull('deleted_at').distinct('group_id')) as { group_id: string }[]).map((r) => r.group_id)
    : [];
  return [...new Set([...slotUserIds, ...groups])];
}

/**
 * Queues every row of every synced table for the first push (rows written before this device joined a hub, or
 * outside the mutation layer, such as the association's creation): one change_log insert entry per table part.
 */
export async function seedChangeLog(trx: Knex.Transaction, hlc: HybridLogicalClock, tables: Readonly<Record<string, readonly string[]>>, tx: string): Promise<number> {
  let rows = 0;
  for (const [table, local] of Object.entries(tables)) {
    const columns = ((await trx.raw(`PRAGMA table_info("${table}")`)) as { name: string }[]).map((c) => c.name).filter((c) => !local.includes(c));
    const ids = ((await trx(table).select('id').orderBy('rowid')) as { id: string }[]).map((r) => r.id);
    for (let i = 0; i < ids.length; i += 5000) {
      const part = ids.slice(i, i + 5000);
      await trx('change_log').insert({ hlc: hlc.tick(), device_id: hlc.deviceId, table_name: table, op: 'insert', row_ids: JSON.stringify(part), columns: JSON.stringify(columns.sort()), tx });
      rows += part.length;
    }
  }
  return rows;
}

/**
 * Sync test replicas: bare association databases (migrated, sharing one association scope key) each with its own
 * device identity certified by a test root key, syncing through a MemoryHub. Writes go through the real Mutator.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { deviceCertMessage } from '../../shared/sync/protocol';
import { openDatabase } from '../../main/services/association/associationStore';
import { Mutator } from '../../main/db/mutations';
import { HybridLogicalClock } from '../../main/sync/hlc';
import { SyncEngine } from '../../main/sync/engine';
import { syncKeyOf } from '../../main/sync/envelope';
import { b64u, signDetached } from '../../main/sync/ed25519';
import { newSignKeyPair } from '../../main/crypto/identity';
import { MIGRATIONS } from '../../main/db/migrations';
import { BlobStore } from '../../main/vault/blobStore';
import { tempDir } from './core';
import type { Faults, MemoryHub } from './memoryHub';

export interface Replica {
  name: string;
  db: Knex;
  deviceId: string;
  hlc: HybridLogicalClock;
  mutator: Mutator;
  engine: SyncEngine;
  /** Shifts this replica's wall clock (ms). */
  skew: { ms: number };
  dir: string;
}

export interface ReplicaSet {
  replicas: Replica[];
  hub: MemoryHub;
  cleanup(): Promise<void>;
}

const ASSOCIATION = uuidv7();

/** `n` replicas of one association on `hub`; `faults(i)` gives replica i's delivery faults. */
export async function makeReplicas(hub: MemoryHub, n: number, faults: (i: number) => Faults = () => ({})): Promise<ReplicaSet> {
  const root = tempDir('sync-');
  const dbKey = new Uint8Array(randomBytes(32));
  const scopeKey = new Uint8Array(randomBytes(32));
  const rootKey = await newSignKeyPair();
  const syncKey = await syncKeyOf(scopeKey);
  const replicas: Replica[] = [];
  for (let i = 0; i < n; i++) {
    const dir = join(root, `r${i}`);
    mkdirSync(dir);
    const db = await openDatabase(dir, dbKey);
    const deviceId = uuidv7();
    const skew = { ms: 0 };
    const now = () => Date.now() + skew.ms;
    await db('scope_keys').insert({ scope_id: 'association', epoch: 1, key: Buffer.from(scopeKey).toString('base64'), created_at: new Date().toISOString() });
    const sign = await newSignKeyPair();
    const publicKey = b64u(sign.publicKey);
    hub.devices.set(deviceId, { publicKey, cert: b64u(signDetached(rootKey.secretKey, deviceCertMessage(ASSOCIATION, deviceId, publicKey))), audience: [] });
    const hlc = new HybridLogicalClock(deviceId, now);
    const mutator = new Mutator(db, hlc, { now: () => new Date(now()) });
    const engine = new SyncEngine({
      db,
      hub: hub.client(deviceId, faults(i)),
      hlc,
      device: { associationId: ASSOCIATION, deviceId, signSecretKey: sign.secretKey, syncKey, schema: MIGRATIONS.length },
      rootPublicKey: rootKey.publicKey,
      audience: async () => [],
      blobs: new BlobStore(join(dir, 'vault')),
      now,
    });
    replicas.push({ name: `r${i}`, db, deviceId, hlc, mutator, engine, skew, dir });
  }
  return {
    replicas,
    hub,
    cleanup: async () => {
      for (const r of replicas) await r.db.destroy();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The synced content of a table, comparable across replicas (local bookkeeping left out). */
export async function tableState(db: Knex, table: string, columns: string[]): Promise<Record<string, unknown>[]> {
  return (await db(table).select(['id', ...columns]).orderBy('id')) as Record<string, unknown>[];
}

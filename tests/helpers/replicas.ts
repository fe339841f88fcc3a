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
import { SyncEngine, type HubApi } from '../../main/sync/engine';
import type { DeviceIdentity } from '../../main/sync/capture';
import { maxKnownHlc } from '../../main/sync/versions';
import { refreshDerived } from '../../main/sync/tables';
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
  /** This replica's delivery faults (read at every hub call: change them between syncs). */
  faults: Faults;
  /** The identity its envelopes are sealed and signed with (tests forge envelopes with it). */
  device: DeviceIdentity;
  /** Its hub client (the engine's), for blob tests. */
  api: HubApi;
  blobs: BlobStore;
  /**
   * An application restart: a new clock (seeded with the greatest HLC the database knows, as the app must), Mutator
   * and SyncEngine (so the engine's cache of table shapes is rebuilt, as after an upgrade).
   */
  restart(): Promise<void>;
}

export interface ReplicaSet {
  replicas: Replica[];
  hub: MemoryHub;
  associationId: string;
  /** The association root signing key (certifies devices). */
  rootKey: { publicKey: Uint8Array; secretKey: Uint8Array };
  /** The envelope key of the association scope. */
  syncKey: Uint8Array;
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
    const device: DeviceIdentity = { associationId: ASSOCIATION, deviceId, signSecretKey: sign.secretKey, syncKey, schema: MIGRATIONS.length };
    const replicaFaults = faults(i);
    const api = hub.client(deviceId, replicaFaults);
    const blobs = new BlobStore(join(dir, 'vault'));
    const build = (hlc: HybridLogicalClock) => ({
      hlc,
      mutator: new Mutator(db, hlc, { now: () => new Date(now()) }),
      engine: new SyncEngine({ db, hub: api, hlc, device, rootPublicKey: rootKey.publicKey, audience: async () => [], blobs, now }),
    });
    const replica: Replica = {
      name: `r${i}`,
      db,
      deviceId,
      skew,
      dir,
      faults: replicaFaults,
      device,
      api,
      blobs,
      ...build(new HybridLogicalClock(deviceId, now)),
      restart: async () => {
        const hlc = new HybridLogicalClock(deviceId, now);
        const known = await maxKnownHlc(db);
        if (known) hlc.observe(known);
        Object.assign(replica, build(hlc));
      },
    };
    replicas.push(replica);
  }
  return {
    replicas,
    hub,
    associationId: ASSOCIATION,
    rootKey,
    syncKey,
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

type Cell = string | number | null;

/** A people row as the app writes it: with its derived columns (search text, sort and matching keys). */
export function personRow(values: Record<string, Cell>): Record<string, Cell> {
  return { kinds: '[]', ...values, ...refreshDerived('people', { kinds: '[]', ...values }) };
}

/** Updates a person through the replica's Mutator as the people service does (derived columns written along). */
export async function updatePerson(r: Replica, id: string, changes: Record<string, Cell>): Promise<string[]> {
  const current = (await r.db('people').where({ id }).first()) as Record<string, Cell> | undefined;
  if (!current) return [];
  return r.mutator.update('people', id, { ...changes, ...refreshDerived('people', { ...current, ...changes }) });
}

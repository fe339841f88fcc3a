/** What an insider can do: open the association's database outside the app with their own key slot. */
import { join } from 'node:path';
import type { Knex } from 'knex';
import { makeSlot, openSlot, readKeyring, withSlot, writeKeyring } from '../../main/crypto/keyring';
import { openSqlCipher } from '../../main/db/sqlcipherClient';
import { PASSWORD, TEST_KDF, type TestCore } from './core';

export type InsiderKeys = Awaited<ReturnType<typeof openSlot>>['keys'];

/** Locks, then opens the database outside the app with `userName`'s database key, and runs `work` on it. */
export async function asInsider<T>(t: TestCore, userName: string, work: (db: Knex, keys: InsiderKeys) => Promise<T>, password = PASSWORD): Promise<T> {
  await t.call('session:lock', {}).catch(() => undefined);
  const { dbKey, keys } = await openSlot(await readKeyring(t.dir), userName, password);
  return withDatabase(t.dir, dbKey, (db) => work(db, keys));
}

/** Opens `dir`'s database with a raw key (a key kept from a slot the user no longer has). */
export async function withDatabase<T>(dir: string, dbKey: Uint8Array, work: (db: Knex) => Promise<T>): Promise<T> {
  const db = openSqlCipher(join(dir, 'association.db'), Buffer.from(dbKey).toString('hex'));
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

/**
 * Rewrites `userName`'s slot as a version from before the adoption flag left it (docs/access.md "Signed access
 * decisions"): the same keys and pin, no flag in the sealed bundle. Locks first.
 */
export async function olderBundle(t: TestCore, userName: string, password = PASSWORD): Promise<void> {
  await t.call('session:lock', {}).catch(() => undefined);
  const keyring = await readKeyring(t.dir);
  const { dbKey, keys, slot } = await openSlot(keyring, userName, password);
  const older = await makeSlot(keyring.associationId, { id: slot.userId, name: slot.userName }, password, dbKey, TEST_KDF, { keys: { ...keys, accessAdopted: false }, keepEscrowOf: slot });
  await writeKeyring(t.dir, withSlot(keyring, older));
}

/** What an insider can do: open the association's database outside the app with their own key slot. */
import { join } from 'node:path';
import type { Knex } from 'knex';
import { openSlot, readKeyring } from '../../main/crypto/keyring';
import { openSqlCipher } from '../../main/db/sqlcipherClient';
import { PASSWORD, type TestCore } from './core';

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

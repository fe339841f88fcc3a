/**
 * Review finding (docs/access.md "Signed access decisions"): the adoption of unsigned rows must run once, never again
 * because someone with the database key stripped every signature. That it happened is kept in each user's sealed key
 * bundle (not in the database); a root grant row counts as evidence at adoption only when it could be a real one.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newTestCore, PASSWORD, type TestCore } from '../helpers/core';
import { addUser } from '../helpers/access';
import { asInsider, olderBundle } from '../helpers/insider';
import { openSlot, readKeyring } from '../../main/crypto/keyring';
import { sealTo, toB64 } from '../../main/crypto/identity';
import { getSodium } from '../../main/crypto/sodium';

/** Carl's attack: every signature stripped, his own role set to admin, and a root grant row planted for him. */
async function forgeAdmin(t: TestCore, carl: string, sealed: (carlPublicKey: Uint8Array) => Promise<string>): Promise<void> {
  await asInsider(t, 'carl', async (db, keys) => {
    for (const table of ['users', 'roles', 'group_members']) await db(table).update({ access_rev: null, access_sig: null });
    await db('users').where({ id: carl }).update({ role_id: 'admin', is_admin: 1 });
    const model = (await db('root_key_grants').first()) as Record<string, unknown>;
    await db('root_key_grants').insert({ ...model, id: `${String(model['id']).slice(0, -4)}beef`, user_id: carl, sealed: await sealed(keys.boxPublicKey) });
  });
}

/** Live root grants of `userId`, read by the administrator outside the app. */
const liveGrants = (t: TestCore, userId: string) => asInsider(t, 'admin', async (db) => (await db('root_key_grants').where({ user_id: userId }).whereNull('deleted_at')).length);

describe('signatures stripped after the association was signed', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await newTestCore();
  });
  afterEach(async () => t.cleanup());

  it('a colleague who strips every signature, makes themselves administrator and plants a placeholder root grant is not signed as administrator by the adoption at the next administrator unlock', async () => {
    const carl = await addUser(t, 'carl', 'social_worker');
    await forgeAdmin(t, carl, async () => 'AAAA');
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    // Carl removes the placeholder: the next administrator unlock seals the root to him if his role is now signed.
    await asInsider(t, 'carl', async (db) => {
      await db('root_key_grants').where({ user_id: carl, sealed: 'AAAA' }).delete();
    });
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect(await liveGrants(t, carl)).toBe(0);
  });

  it('a planted grant of the right length does not help either: the administrator’s bundle says adoption happened, so the stripped rows are refused and named', async () => {
    const carl = await addUser(t, 'carl', 'social_worker');
    const adoptedBefore = (await t.call('audit:list', { action: 'access.adopted', limit: 5 })).items.length;
    const sodium = await getSodium();
    await forgeAdmin(t, carl, async (pk) => toB64(await sealTo(pk, sodium.randombytes_buf(64))));
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect((await t.call('audit:list', { action: 'access.adopted', limit: 5 })).items).toHaveLength(adoptedBefore);
    const refused = (await t.call('audit:list', { action: 'access.refused', limit: 1 })).items[0]?.details as { users?: { id: string }[] } | undefined;
    expect(refused?.users?.map((u) => u.id)).toContain(carl);
    await asInsider(t, 'carl', async (db) => {
      await db('root_key_grants').where({ user_id: carl }).delete();
    });
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect(await liveGrants(t, carl)).toBe(0);
  });

  it('the adoption is recorded in the sealed bundles: the creator’s, and an administrator added afterwards', async () => {
    await addUser(t, 'eve', 'admin');
    await t.call('session:lock', {});
    const keyring = await readKeyring(t.dir);
    expect((await openSlot(keyring, 'admin', PASSWORD)).keys.accessAdopted).toBe(true);
    expect((await openSlot(keyring, 'eve', PASSWORD)).keys.accessAdopted).toBe(true);
  });
});

describe('an administrator bundle from before the adoption flag', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await newTestCore();
  });
  afterEach(async () => t.cleanup());

  it('adopts at most once more, refusing a placeholder grant as evidence, then records the adoption in the bundle', async () => {
    const carl = await addUser(t, 'carl', 'social_worker');
    await olderBundle(t, 'admin');
    await forgeAdmin(t, carl, async () => 'AAAA');
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    const adopted = (await t.call('audit:list', { action: 'access.adopted', limit: 1 })).items[0]?.details;
    expect(adopted).toMatchObject({ suspicious: [{ id: carl, name: 'carl', reason: 'rootWithoutGrant' }] });
    await t.call('session:lock', {});
    expect((await openSlot(await readKeyring(t.dir), 'admin', PASSWORD)).keys.accessAdopted).toBe(true);
    await asInsider(t, 'carl', async (db) => {
      await db('root_key_grants').where({ user_id: carl, sealed: 'AAAA' }).delete();
    });
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect(await liveGrants(t, carl)).toBe(0);
  });
});

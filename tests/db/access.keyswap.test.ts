/**
 * Review reproduction (docs/access.md "Keys"): a colleague who writes their own public keys into another user's
 * `users` row. The root key certifies users' public keys; a certificate must never be made for keys a colleague
 * wrote into someone else's row, or the root (sealed to that user's certified key) goes to the colleague.
 * Keys that changed since their certificate are « clés à confirmer »: audited at each root holder's unlock, given
 * nothing, until an administrator confirms them (`users:confirmKeys`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { fromB64, openSealed, signPublicKeyOf, toB64 } from '../../main/crypto/identity';
import { makeSlot, openSlot, readKeyring, writeKeyring } from '../../main/crypto/keyring';
import { keyFingerprint } from '../../main/crypto/fingerprint';
import { newTestCore, PASSWORD, TEST_KDF, type TestCore } from '../helpers/core';
import { addUser, expectForbidden, switchTo } from '../helpers/access';
import { asInsider, type InsiderKeys } from '../helpers/insider';

/** True when one of `userId`'s live root grants opens, with `keys`, to the root secret of `rootPublic`. */
async function opensRoot(db: Knex, keys: InsiderKeys, userId: string, rootPublic: string): Promise<boolean> {
  const rows = (await db('root_key_grants').where({ user_id: userId }).whereNull('deleted_at').pluck('sealed')) as string[];
  for (const sealed of rows) {
    const secret = await openSealed({ publicKey: keys.boxPublicKey, secretKey: keys.boxSecretKey }, await fromB64(sealed));
    if (secret && secret.length === 64 && (await toB64(await signPublicKeyOf(secret))) === rootPublic) return true;
  }
  return false;
}

/** Carl writes his own public keys into `victim`'s row (and, optionally, deletes the victim's root grant). */
async function swapKeys(t: TestCore, victim: string, dropGrant: boolean): Promise<string> {
  return asInsider(t, 'carl', async (db, keys) => {
    await db('users').where({ id: victim }).update({ public_key: await toB64(keys.boxPublicKey), sign_public_key: await toB64(keys.signPublicKey) });
    if (dropGrant) await db('root_key_grants').where({ user_id: victim }).delete();
    return ((await db('meta').where({ key: 'root_public_key' }).first('value')) as { value: string }).value;
  });
}

describe('public keys swapped in the users table', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await newTestCore();
  });
  afterEach(async () => t.cleanup());

  it('a colleague who puts their own keys in a second administrator’s row and drops that row’s root grant does not obtain the root key at the next administrator unlock', async () => {
    const eve = await addUser(t, 'eve', 'admin');
    await addUser(t, 'carl', 'social_worker');
    const rootPublic = await swapKeys(t, eve, true);
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect(await asInsider(t, 'carl', (db, keys) => opensRoot(db, keys, eve, rootPublic))).toBe(false);
  });

  it('the swapped row is « clés à confirmer »: audited by name at each administrator unlock, never certified, sealed nothing', async () => {
    const bea = await addUser(t, 'bea', 'social_worker');
    await addUser(t, 'carl', 'social_worker');
    const personId = (await t.call('people:create', { person: { firstName: 'Awa', lastName: 'Diallo' } })).id;
    const before = await asInsider(t, 'admin', async (db) => ((await db('users').where({ id: bea }).first('key_cert')) as { key_cert: string }).key_cert);
    await swapKeys(t, bea, false);
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    const unconfirmed = (await t.call('audit:list', { action: 'keys.unconfirmed', limit: 5 })).items;
    expect(unconfirmed.map((e) => [e.targetId, e.details['name']])).toEqual([[bea, 'bea']]);
    const certified = (await t.call('audit:list', { action: 'keys.certified', limit: 5 })).items;
    expect(certified.flatMap((e) => e.details['users'] as string[])).not.toContain(bea);
    await expect(t.call('notes:add', { personId, text: 'Pour Béa', visibility: { kind: 'users', userIds: [bea] } })).rejects.toMatchObject({ code: 'VALIDATION' });
    // Group keys: a group made now with Béa as member seals nothing to the swapped key.
    const g = (await t.call('groups:create', { name: 'Antenne Nord' })).id;
    await t.call('users:update', { id: bea, groupIds: [g] });
    await t.call('session:lock', {});
    const { grants, cert } = await asInsider(t, 'admin', async (db) => ({
      grants: (await db('scope_key_grants').where({ user_id: bea }).whereNull('deleted_at')).length,
      cert: ((await db('users').where({ id: bea }).first('key_cert')) as { key_cert: string }).key_cert,
    }));
    expect(grants).toBe(0);
    expect(cert).toBe(before);
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect((await t.call('audit:list', { action: 'keys.unconfirmed', limit: 5 })).items).toHaveLength(2);
  });

  it('users:confirmKeys (users.manage and the root key) certifies the keys now in the row, audited with their fingerprint, and hands over what the role gives', async () => {
    const eve = await addUser(t, 'eve', 'admin');
    await addUser(t, 'carl', 'social_worker');
    const rootPublic = await swapKeys(t, eve, true);
    const carlKeys = (await openSlot(await readKeyring(t.dir), 'carl', PASSWORD)).keys;
    const fingerprint = keyFingerprint(await toB64(carlKeys.boxPublicKey), await toB64(carlKeys.signPublicKey));
    await t.call('session:unlock', { dir: t.dir, userName: 'carl', password: PASSWORD });
    await expectForbidden(t.call('users:confirmKeys', { userId: eve }), 'users.manage');
    await switchTo(t, 'admin');
    expect(await t.call('users:confirmKeys', { userId: eve })).toEqual({ id: eve, fingerprint });
    const confirmed = (await t.call('audit:list', { action: 'keys.confirmed', limit: 5 })).items;
    expect(confirmed[0]).toMatchObject({ targetId: eve, details: { name: 'eve', fingerprint, rootGranted: [eve] } });
    // What the administrator confirmed is now trusted: the keys in the row receive the role's root grant.
    expect(await asInsider(t, 'carl', (db, keys) => opensRoot(db, keys, eve, rootPublic))).toBe(true);
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect((await t.call('audit:list', { action: 'keys.unconfirmed', limit: 5 })).items).toHaveLength(1);
  });

  it('a slot added to keyring.json under another name with a second administrator’s userId does not obtain the root key', async () => {
    const eve = await addUser(t, 'eve', 'admin');
    await addUser(t, 'carl', 'social_worker');
    await t.call('session:lock', {});
    const keyring = await readKeyring(t.dir);
    const carl = await openSlot(keyring, 'carl', PASSWORD);
    const rootPublic = keyring.rootPublicKey!;
    const impostor = await makeSlot(keyring.associationId, { id: eve, name: 'eve2' }, PASSWORD, carl.dbKey, TEST_KDF, { keys: carl.keys });
    await writeKeyring(t.dir, { ...keyring, slots: [...keyring.slots, impostor] });
    await asInsider(t, 'carl', async (db) => db('root_key_grants').where({ user_id: eve }).delete());
    // Whatever the unlock as the impostor does (it may write Carl's keys into Eve's row), no root key follows.
    await t.call('session:unlock', { dir: t.dir, userName: 'eve2', password: PASSWORD }).catch(() => undefined);
    await switchTo(t, 'admin');
    expect(await asInsider(t, 'carl', (db, keys) => opensRoot(db, keys, eve, rootPublic))).toBe(false);
  });
});

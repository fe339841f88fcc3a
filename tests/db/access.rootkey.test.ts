/**
 * The association root key (docs/access.md "Keys"): it certifies users' public keys and group epochs, and every user
 * checks certificates against the root public key pinned inside their own sealed bundle, never against the database.
 * An insider holding the database key (every user does) who writes keys into the database gets nothing sealed to them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { fromB64, newBoxKeyPair, newSignKeyPair, scopeCertMessage, sealTo, sign, toB64, userCertMessage, verify } from '../../main/crypto/identity';
import { makeSlot, openSlot, readKeyring, withSlot, writeKeyring } from '../../main/crypto/keyring';
import { openSqlCipher } from '../../main/db/sqlcipherClient';
import { newTestCore, PASSWORD, TEST_KDF, type TestCore } from '../helpers/core';
import { addUser, switchTo } from '../helpers/access';

/** Locks, then opens the database outside the app with `userName`'s database key (what an insider can do). */
async function asInsider<T>(t: TestCore, userName: string, work: (db: Knex, keys: Awaited<ReturnType<typeof openSlot>>['keys']) => Promise<T>, password = PASSWORD): Promise<T> {
  await t.call('session:lock', {}).catch(() => undefined);
  const { dbKey, keys } = await openSlot(await readKeyring(t.dir), userName, password);
  const db = openSqlCipher(join(t.dir, 'association.db'), Buffer.from(dbKey).toString('hex'));
  try {
    return await work(db, keys);
  } finally {
    await db.destroy();
  }
}

/** The root public key pinned in `userName`'s sealed bundle (opened without the trust-on-first-use callback). */
async function pinnedRoot(t: TestCore, userName: string, password = PASSWORD): Promise<string | null> {
  const { keys } = await openSlot(await readKeyring(t.dir), userName, password);
  return keys.rootPublicKey ? toB64(keys.rootPublicKey) : null;
}

const synced = () => {
  const now = new Date().toISOString();
  return { id: uuidv7(), created_at: now, updated_at: now, scope_id: 'association' };
};

describe('the association root key', () => {
  let t: TestCore;
  let personId: string;
  beforeEach(async () => {
    t = await newTestCore();
    personId = (await t.call('people:create', { person: { firstName: 'Awa', lastName: 'Diallo' } })).id;
  });
  afterEach(async () => t.cleanup());

  it('is made at creation: pinned in the first administrator’s bundle, in meta and keyring.json, sealed to them; their keys certified', async () => {
    const keyring = await readKeyring(t.dir);
    const pinned = await pinnedRoot(t, 'admin');
    expect(pinned).toBeTruthy();
    expect(keyring.rootPublicKey).toBe(pinned);
    await asInsider(t, 'admin', async (db) => {
      expect(((await db('meta').where({ key: 'root_public_key' }).first('value')) as { value: string }).value).toBe(pinned);
      const admin = (await db('users').where({ name: 'admin' }).first()) as { id: string; public_key: string; sign_public_key: string; key_cert: string };
      expect(await db('root_key_grants').where({ user_id: admin.id }).whereNull('deleted_at')).toHaveLength(1);
      const ok = await verify(await fromB64(pinned!), userCertMessage(keyring.associationId, admin.id, admin.public_key, admin.sign_public_key), await fromB64(admin.key_cert));
      expect(ok).toBe(true);
    });
  });

  it('a group gets a certified epoch 1 at creation', async () => {
    const g = (await t.call('groups:create', { name: 'Nord' })).id;
    const keyring = await readKeyring(t.dir);
    const root = await fromB64((await pinnedRoot(t, 'admin'))!);
    await asInsider(t, 'admin', async (db) => {
      const pair = (await db('scope_key_pairs').where({ key_scope: `group:${g}` }).first()) as { epoch: number; public_key: string; cert: string };
      expect(pair.epoch).toBe(1);
      expect(await verify(root, scopeCertMessage(keyring.associationId, `group:${g}`, 1, pair.public_key), await fromB64(pair.cert))).toBe(true);
    });
  });

  it('an insider’s newer, uncertified group epoch is ignored: the writer seals to the latest certified epoch, the insider reads nothing', async () => {
    const g = (await t.call('groups:create', { name: 'Nord' })).id;
    await addUser(t, 'bea', 'social_worker', [g]);
    const carl = await addUser(t, 'carl', 'social_worker');
    const scope = `group:${g}`;
    // Carl, outside the group, inserts a newer epoch whose secret he knows, granted to himself and signed by him.
    const forged = await newBoxKeyPair();
    const forgedEpoch = await asInsider(t, 'carl', async (db, keys) => {
      const last = ((await db('scope_key_pairs').where({ key_scope: scope }).max({ e: 'epoch' }).first()) as { e: number }).e;
      const epoch = last + 1;
      await db('scope_key_pairs').insert({ ...synced(), key_scope: scope, epoch, public_key: await toB64(forged.publicKey), created_by: carl, reason: 'member-removed' });
      const sealed = await toB64(await sealTo(keys.boxPublicKey, forged.secretKey));
      const signature = await toB64(await sign(keys.signSecretKey, `solidariciel/v1/grant|${scope}|${epoch}|${carl}|${sealed}`));
      await db('scope_key_grants').insert({ ...synced(), key_scope: scope, epoch, user_id: carl, sealed_secret: sealed, granted_by: carl, signature });
      return epoch;
    });
    await t.call('session:unlock', { dir: t.dir, userName: 'bea', password: PASSWORD });
    await t.call('notes:add', { personId, text: 'Note du groupe Nord', visibility: { kind: 'groups', groupIds: [g] } });
    expect((await t.call('notes:list', { personId })).items.map((n) => n.text)).toEqual(['Note du groupe Nord']);
    const wraps = await asInsider(t, 'carl', async (db) => JSON.parse(((await db('case_notes').first('key_wraps')) as { key_wraps: string }).key_wraps) as { s: string; e?: number }[]);
    const groupWrap = wraps.find((w) => w.s === scope);
    expect(groupWrap?.e).toBeDefined();
    expect(groupWrap!.e).toBeLessThan(forgedEpoch);
    await t.call('session:unlock', { dir: t.dir, userName: 'carl', password: PASSWORD });
    expect((await t.call('notes:list', { personId })).items.map((n) => n.text)).toEqual([]);
  });

  it('a group whose only epoch is uncertified (its certificate removed) refuses group content with a clear message', async () => {
    const g = (await t.call('groups:create', { name: 'Nord' })).id;
    await addUser(t, 'bea', 'social_worker', [g]);
    await asInsider(t, 'bea', async (db) => {
      await db('scope_key_pairs').where({ key_scope: `group:${g}` }).update({ cert: null });
    });
    await t.call('session:unlock', { dir: t.dir, userName: 'bea', password: PASSWORD });
    await expect(t.call('notes:add', { personId, text: 'Nord', visibility: { kind: 'groups', groupIds: [g] } })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining("La clé du groupe « Nord » n'est pas encore certifiée : un administrateur doit ouvrir une session."),
    });
  });

  it('a colleague’s public key replaced in the database: sealing to them is refused with a clear message', async () => {
    const bea = await addUser(t, 'bea', 'social_worker');
    await addUser(t, 'carl', 'social_worker');
    await addUser(t, 'dan', 'social_worker');
    await asInsider(t, 'carl', async (db, keys) => {
      await db('users').where({ id: bea }).update({ public_key: await toB64(keys.boxPublicKey) });
    });
    await t.call('session:unlock', { dir: t.dir, userName: 'dan', password: PASSWORD });
    await expect(t.call('notes:add', { personId, text: 'Pour Béa', visibility: { kind: 'users', userIds: [bea] } })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining("La clé de bea n'est pas encore certifiée : un administrateur doit ouvrir une session."),
    });
  });

  it('a forged root_public_key in meta does not change what an already pinned user trusts', async () => {
    const g = (await t.call('groups:create', { name: 'Nord' })).id;
    await addUser(t, 'bea', 'social_worker', [g]);
    const carl = await addUser(t, 'carl', 'social_worker');
    const pinned = await pinnedRoot(t, 'bea');
    // Added by an administrator: pinned at once with the administrator's own pin.
    expect(pinned).toBe((await readKeyring(t.dir)).rootPublicKey);
    const scope = `group:${g}`;
    const fake = await newSignKeyPair();
    const forged = await newBoxKeyPair();
    await asInsider(t, 'carl', async (db) => {
      const associationId = ((await db('meta').where({ key: 'association_id' }).first('value')) as { value: string }).value;
      await db('meta').where({ key: 'root_public_key' }).update({ value: await toB64(fake.publicKey) });
      const epoch = ((await db('scope_key_pairs').where({ key_scope: scope }).max({ e: 'epoch' }).first()) as { e: number }).e + 1;
      const publicKey = await toB64(forged.publicKey);
      const cert = await toB64(await sign(fake.secretKey, scopeCertMessage(associationId, scope, epoch, publicKey)));
      await db('scope_key_pairs').insert({ ...synced(), key_scope: scope, epoch, public_key: publicKey, created_by: carl, reason: 'member-removed', cert });
    });
    await t.call('session:unlock', { dir: t.dir, userName: 'bea', password: PASSWORD });
    await t.call('notes:add', { personId, text: 'Note Nord', visibility: { kind: 'groups', groupIds: [g] } });
    await t.call('session:lock', {});
    expect(await pinnedRoot(t, 'bea')).toBe(pinned);
    const wraps = await asInsider(t, 'bea', async (db) => JSON.parse(((await db('case_notes').first('key_wraps')) as { key_wraps: string }).key_wraps) as { s: string; k: string }[]);
    // Not sealed to the forged epoch's key.
    for (const w of wraps) expect(await import('../../main/crypto/identity').then(async (i) => i.openSealed(forged, await fromB64(w.k)))).toBeNull();
  });

  it('a slot without keys (version 1) still unlocks, gets keys and the pin; the new keys are certified at an administrator’s next unlock', async () => {
    const bea = await addUser(t, 'bea', 'social_worker');
    await addUser(t, 'dan', 'social_worker');
    await t.call('session:lock', {});
    const keyring = await readKeyring(t.dir);
    const slot = keyring.slots.find((s) => s.userName === 'bea')!;
    const { publicKey: _p, signPublicKey: _s, secretKeys: _k, escrow: _e, escrowTo: _t, ...v1 } = slot;
    await writeKeyring(t.dir, withSlot(keyring, v1 as typeof slot));
    // A version 1 users row has neither keys nor certificate (a row whose certificate no longer matches is « clés à
    // confirmer » instead: tests/db/access.keyswap.test.ts).
    await asInsider(t, 'dan', async (db) => db('users').where({ id: bea }).update({ public_key: null, sign_public_key: null, key_cert: null }));
    await t.call('session:unlock', { dir: t.dir, userName: 'bea', password: PASSWORD });
    await t.call('session:lock', {});
    expect(await pinnedRoot(t, 'bea')).toBe(keyring.rootPublicKey);
    // Keys made at this upgrade are not certified yet: Dan cannot seal to Béa until an administrator unlocks.
    await t.call('session:unlock', { dir: t.dir, userName: 'dan', password: PASSWORD });
    await expect(t.call('notes:add', { personId, text: 'Pour Béa', visibility: { kind: 'users', userIds: [bea] } })).rejects.toMatchObject({ code: 'VALIDATION' });
    await switchTo(t, 'admin');
    const certified = (await t.call('audit:list', { action: 'keys.certified', limit: 5 })).items;
    expect(certified[0]?.details).toMatchObject({ users: [bea] });
    await switchTo(t, 'dan');
    await t.call('notes:add', { personId, text: 'Pour Béa', visibility: { kind: 'users', userIds: [bea] } });
    await switchTo(t, 'bea');
    expect((await t.call('notes:list', { personId })).items.map((n) => n.text)).toEqual(['Pour Béa']);
  });

  it('a bundle without the pin (96 bytes) is pinned on first use from the database and re-sealed', async () => {
    await addUser(t, 'bea', 'social_worker');
    await t.call('session:lock', {});
    const keyring = await readKeyring(t.dir);
    const { keys } = await openSlot(keyring, 'bea', PASSWORD);
    delete keys.rootPublicKey;
    const bea = keyring.slots.find((s) => s.userName === 'bea')!;
    const unpinned = await makeSlot(keyring.associationId, { id: bea.userId, name: 'bea' }, PASSWORD, (await openSlot(keyring, 'admin', PASSWORD)).dbKey, TEST_KDF, {
      keys,
      recoveryPublicKey: keyring.recovery?.publicKey,
    });
    await writeKeyring(t.dir, withSlot(keyring, unpinned));
    expect(await pinnedRoot(t, 'bea')).toBeNull();
    await t.call('session:unlock', { dir: t.dir, userName: 'bea', password: PASSWORD });
    await t.call('session:lock', {});
    expect(await pinnedRoot(t, 'bea')).toBe(keyring.rootPublicKey);
  });

  it('an account request (made before the newcomer knew the root) is pinned at the first unlock after approval, and certified at approval', async () => {
    await t.call('session:requestAccount', { dir: t.dir, name: 'nadia', password: PASSWORD });
    const [request] = (await t.call('users:requests', {})).items;
    await t.call('users:approve', { requestId: request!.id, roleId: 'social_worker', groupIds: [] });
    await t.call('session:lock', {});
    expect(await pinnedRoot(t, 'nadia')).toBeNull();
    await t.call('session:unlock', { dir: t.dir, userName: 'nadia', password: PASSWORD });
    await t.call('session:lock', {});
    expect(await pinnedRoot(t, 'nadia')).toBe((await readKeyring(t.dir)).rootPublicKey);
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    await t.call('notes:add', { personId, text: 'Pour Nadia', visibility: { kind: 'users', userIds: [request!.id] } });
  });

  it('a group made without the root key (groups.manage only) gets its certified epoch 1 at the next unlock of a root holder', async () => {
    await t.call('roles:save', { id: 'groupes', name: 'Groupes', permissions: ['groups.manage', 'notes.write', 'notes.readOwn'] });
    await addUser(t, 'gil', 'groupes');
    await switchTo(t, 'gil');
    const g = (await t.call('groups:create', { name: 'Est' })).id;
    expect(await asInsider(t, 'gil', async (db) => (await db('scope_key_pairs').where({ key_scope: `group:${g}` })).length)).toBe(0);
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect((await t.call('audit:list', { action: 'keys.certified', limit: 1 })).items[0]?.details).toMatchObject({ groups: [g] });
    await t.call('users:update', { id: (await t.call('session:current', {}))!.user.id, groupIds: [g] });
    await t.call('notes:add', { personId, text: 'Après', visibility: { kind: 'groups', groupIds: [g] } });
    expect((await t.call('notes:list', { personId })).items.map((n) => n.text)).toEqual(['Après']);
  });

  it('a recovery reset keeps the pin (the escrow carries it)', async () => {
    await addUser(t, 'bea', 'social_worker');
    const pinned = await pinnedRoot(t, 'bea');
    await t.call('session:lock', {});
    await t.call('session:resetPassword', { dir: t.dir, userName: 'bea', recoveryCode: t.recoveryCode, newPassword: 'nouveau mot de passe' });
    expect(await pinnedRoot(t, 'bea', 'nouveau mot de passe')).toBe(pinned);
  });

  it('a user made administrator receives the root key; demoted, their grant is withdrawn', async () => {
    const bea = await addUser(t, 'bea', 'social_worker');
    const grants = () => asInsider(t, 'admin', async (db) => (await db('root_key_grants').where({ user_id: bea }).whereNull('deleted_at')).length);
    expect(await grants()).toBe(0);
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    await t.call('users:update', { id: bea, roleId: 'admin' });
    expect(await grants()).toBe(1);
    // As administrator, Béa holds the root: the group she creates has a certified epoch 1.
    await t.call('session:unlock', { dir: t.dir, userName: 'bea', password: PASSWORD });
    const g = (await t.call('groups:create', { name: 'Sud' })).id;
    const keyring = await readKeyring(t.dir);
    await asInsider(t, 'admin', async (db) => {
      const pair = (await db('scope_key_pairs').where({ key_scope: `group:${g}` }).first()) as { public_key: string; cert: string };
      expect(await verify(await fromB64(keyring.rootPublicKey!), scopeCertMessage(keyring.associationId, `group:${g}`, 1, pair.public_key), await fromB64(pair.cert))).toBe(true);
    });
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    await t.call('users:update', { id: bea, roleId: 'social_worker' });
    expect(await grants()).toBe(0);
  });
});

/**
 * Security review of sync across real devices (fresh eyes): key slots (passwords, users enabled and disabled, the
 * recovery slot) and restored conflicts between two cores on one hub. The engine-level findings are in review.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64u } from '../../main/sync/ed25519';
import { readKeyring } from '../../main/crypto/keyring';
import { checkKeyring } from '../../main/crypto/keyringTrust';
import { exportSlots, importSlots } from '../../main/services/sync/keySlots';
import { startHub, type TestHub } from '../hub/helpers';
import { PASSWORD, joinTestDevice, newTestCore, type TestCore } from '../helpers/core';
import { addUser, caught, switchTo } from '../helpers/access';

/** Whether `user` unlocks on `t` with `password` (the session goes back to admin afterwards). */
async function unlocks(t: TestCore, user: string, password: string): Promise<string | null> {
  await t.call('session:lock', { reason: 'user' });
  const e = await caught(t.call('session:unlock', { dir: t.dir, userName: user, password }));
  if (!e) await t.call('session:lock', { reason: 'user' });
  await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
  return e?.code ?? null;
}

const P2 = 'un deuxième mot de passe assez long';
const P3 = 'un troisième mot de passe assez long';

describe('key slots and conflicts across devices (two cores, one hub)', () => {
  let hub: TestHub;
  let a: TestCore;
  let b: TestCore;
  let carl: string;
  let carlAfterJoin: string | null = 'not tried';

  beforeAll(async () => {
    hub = await startHub('sqlite');
    a = await newTestCore();
    carl = await addUser(a, 'carl', 'social_worker');
    await a.call('sync:joinHub', { hubUrl: hub.url, deviceName: 'Accueil' });
    await a.call('sync:now', {});
    const { code } = await a.call('devices:invite', { name: 'Portable du foyer' });
    // Carl changes his password on A after the invitation was sealed: the new device's keyring.json is older.
    await switchTo(a, 'carl');
    await a.call('users:changePassword', { currentPassword: PASSWORD, newPassword: P2 });
    await switchTo(a, 'admin');
    await a.call('sync:now', {});
    b = await joinTestDevice(hub.url, code);
    carlAfterJoin = await unlocks(b, 'carl', P2);
    await b.call('sync:now', {});
    await a.call('sync:now', {});
    await b.call('sync:now', {});
  }, 120_000);

  afterAll(async () => {
    await b?.cleanup();
    await a?.cleanup();
    await hub?.close();
  });

  it('a password changed after the invitation opens on the new device as soon as it has joined (its first pull brought the slot)', () => {
    expect(carlAfterJoin).toBeNull();
  });

  it('a password changed after the invitation opens on both devices: the joined device’s older keyring does not win', async () => {
    expect(await unlocks(a, 'carl', P2)).toBeNull();
    expect(await unlocks(b, 'carl', P2)).toBeNull();
    expect(await unlocks(a, 'carl', PASSWORD)).toBe('WRONG_CREDENTIALS');
  });

  it('a password changed while a sync runs is not reverted by the end of that sync', async () => {
    await a.call('session:lock', { reason: 'user' });
    await a.call('session:unlock', { dir: a.dir, userName: 'carl', password: P2 });
    const s = a.core.session()!;
    await exportSlots(s.ctx.db, s.ctx.mutator, a.dir); // a sync starts: keyring.json → key_slots
    await a.call('users:changePassword', { currentPassword: P2, newPassword: P3 }); // meanwhile, on the same PC
    await importSlots(s.ctx.db, a.dir); // the sync ends: key_slots → keyring.json
    await a.call('session:lock', { reason: 'user' });
    await a.call('session:unlock', { dir: a.dir, userName: 'admin', password: PASSWORD });
    expect(await unlocks(a, 'carl', P3)).toBeNull();
    await a.call('sync:now', {});
    await b.call('sync:now', {});
    expect(await unlocks(b, 'carl', P3)).toBeNull();
  });

  it('a damaged key_slots row neither stops every sync nor replaces a working slot, and is repaired', async () => {
    const db = () => a.core.session()!.ctx.db;
    await db()('key_slots').where({ id: carl }).update({ slot: '{"userId": tronqué' });
    await a.call('sync:now', {});
    expect(JSON.parse(((await db()('key_slots').where({ id: carl }).first('slot')) as { slot: string }).slot)).toMatchObject({ userId: carl });
    expect(await unlocks(a, 'carl', P3)).toBeNull();
  });

  it('a user disabled on one device and enabled again on the other unlocks again everywhere', async () => {
    await a.call('users:update', { id: carl, disabled: true });
    await a.call('sync:now', {});
    await b.call('sync:now', {});
    expect(await unlocks(b, 'carl', P3)).toBe('WRONG_CREDENTIALS');
    await b.call('users:update', { id: carl, disabled: false });
    await b.call('sync:now', {});
    await b.call('sync:now', {});
    await a.call('sync:now', {});
    expect(await unlocks(b, 'carl', P3)).toBeNull();
    expect(await unlocks(a, 'carl', P3)).toBeNull();
  });

  it('a slot received in a sync widens what this device receives in the same session (no new unlock needed)', async () => {
    const g = (await a.call('groups:create', { name: 'Équipe Sud' })).id;
    await addUser(a, 'dina', 'social_worker', [g]);
    const personId = (await a.call('people:create', { person: { firstName: 'Inès', lastName: 'Martin', kinds: ['beneficiary'] } })).id;
    const noteId = (await a.call('notes:add', { personId, text: 'Pour l’équipe sud', visibility: { kind: 'groups', groupIds: [g] } })).id;
    await a.call('sync:now', {});
    await b.call('sync:now', {}); // brings dina's slot and her group
    expect((await readKeyring(b.dir)).slots.map((x) => x.userName)).toContain('dina');
    await b.call('sync:now', {});
    expect(await b.core.session()!.ctx.db('case_notes').where({ id: noteId }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('restoring one sealed field of a conflict restores its record key along: the task stays readable', async () => {
    const taskId = (await a.call('tasks:create', { task: { title: 'Appeler la CAF', visibility: { kind: 'me' } } })).id;
    await a.call('sync:now', {});
    await b.call('sync:now', {});
    // Both devices change the title at once: each reseals the task under a new record key (ciphertext + key_wraps).
    await a.call('tasks:update', { id: taskId, task: { title: 'Version du poste A', visibility: { kind: 'me' } } });
    await b.call('tasks:update', { id: taskId, task: { title: 'Version du poste B', visibility: { kind: 'me' } } });
    await a.call('sync:now', {});
    await b.call('sync:now', {});
    await a.call('sync:now', {});
    const sealed = (await b.call('conflicts:list', { includeResolved: false })).items.filter((c) => c.rowId === taskId);
    expect(sealed.map((c) => c.column).sort()).toEqual(['ciphertext', 'key_wraps']);
    await b.call('conflicts:restore', { id: sealed.find((c) => c.column === 'ciphertext')!.id });
    const titles = async (t: TestCore) => (await t.call('tasks:list', { view: 'all' })).items.filter((x) => x.id === taskId).map((x) => x.title);
    const restored = await titles(b);
    expect(restored).toHaveLength(1);
    expect(restored[0]).toMatch(/^Version du poste [AB]$/);
    await b.call('sync:now', {});
    await a.call('sync:now', {});
    expect(await titles(a)).toEqual(restored);
    // The whole overwritten version came back: no half of it is left listed.
    expect((await b.call('conflicts:list', { includeResolved: false })).items.filter((c) => c.rowId === taskId)).toEqual([]);
  });

  it('a recovery code renewed on one device stops working on the others (renewal says: the old code stops at once)', async () => {
    const old = a.recoveryCode;
    const { recoveryCode: renewed } = await a.call('recovery:renew', {});
    await a.call('sync:now', {});
    await b.call('sync:now', {});
    expect((await readKeyring(b.dir)).recovery?.createdAt).toBe((await readKeyring(a.dir)).recovery?.createdAt);
    // The root key's signature of the renewed slot travels with it: B trusts the new recovery key (escrows move there).
    const root = b.core.session()!.ctx.scopes.root.publicKey;
    expect((await checkKeyring(await readKeyring(b.dir), root)).recoveryPublicKey).toBe((await readKeyring(a.dir)).recovery?.publicKey);
    await b.call('session:lock', { reason: 'user' });
    try {
      const withOld = await caught(b.call('session:resetPassword', { dir: b.dir, userName: 'dina', recoveryCode: old, newPassword: P3 }));
      expect(withOld?.code).toBe('WRONG_CREDENTIALS');
      expect(await caught(b.call('session:resetPassword', { dir: b.dir, userName: 'dina', recoveryCode: renewed, newPassword: P3 }))).toBeNull();
    } finally {
      await b.call('session:unlock', { dir: b.dir, userName: 'admin', password: PASSWORD });
    }
    // A recovery slot written into the table without the root key's signature (someone holding the database key)
    // never reaches keyring.json: every unlock there would re-escrow its user's keys to whoever made it.
    const current = (await readKeyring(a.dir)).recovery!;
    const forged = JSON.stringify({ recovery: JSON.stringify({ ...current, publicKey: b64u(randomBytes(32)), createdAt: '2999-01-01T00:00:00.000Z' }), signature: b64u(randomBytes(64)) });
    // Carl is no root holder: neither device re-signs its own copy over the forged one.
    for (const t of [a, b]) {
      await t.call('session:lock', { reason: 'user' });
      await t.call('session:unlock', { dir: t.dir, userName: 'carl', password: P3 });
    }
    try {
      await b.core.session()!.ctx.mutator.update('key_slots', 'recovery', { slot: forged });
      await b.call('sync:now', {});
      await a.call('sync:now', {});
      expect(((await a.core.session()!.ctx.db('key_slots').where({ id: 'recovery' }).first('slot')) as { slot: string }).slot).toBe(forged);
      expect((await readKeyring(a.dir)).recovery).toEqual(current);
    } finally {
      await switchTo(a, 'admin');
      await switchTo(b, 'admin');
    }
  });

  it('damaged sync records do not stop unlocking nor the status', async () => {
    const db = a.core.session()!.ctx.db;
    await db('sync_versions').insert({ table_name: 'people', row_id: uuidv7(), base_hlc: 'pas-un-hlc', cols: '{"phone": tronqué' });
    await db('sync_state').where({ key: 'last_error' }).update({ value: '{"code": tronqué' });
    expect((await a.call('sync:status', {})).configured).toBe(true);
    expect(await unlocks(a, 'admin', PASSWORD)).toBeNull();
    await a.call('sync:now', {});
  });
});

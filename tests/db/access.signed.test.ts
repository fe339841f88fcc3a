/**
 * Access decisions signed by the association root key (docs/access.md "Signed access decisions"): roles, user status
 * and group memberships decide where the root and group keys go, so a change made in the database by anyone else is
 * refused when keys are handed over, loudly, and audited with the names of the users concerned.
 */
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSlot, readKeyring, withSlot, writeKeyring } from '../../main/crypto/keyring';
import { newTestCore, PASSWORD, type TestCore } from '../helpers/core';
import { addUser, switchTo } from '../helpers/access';
import { asInsider, withDatabase } from '../helpers/insider';

const liveRootGrants = (t: TestCore, userId: string) => asInsider(t, 'admin', async (db) => (await db('root_key_grants').where({ user_id: userId }).whereNull('deleted_at')).length);

describe('signed access decisions', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await newTestCore();
  });
  afterEach(async () => t.cleanup());

  it('a user who sets their own role_id to admin in the database gets no root grant at the next administrator unlock; the refusal is audited with their name', async () => {
    const carl = await addUser(t, 'carl', 'social_worker');
    await asInsider(t, 'carl', async (db) => {
      await db('users').where({ id: carl }).update({ role_id: 'admin', is_admin: 1 });
    });
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect(await liveRootGrants(t, carl)).toBe(0);
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    const certified = (await t.call('audit:list', { action: 'keys.certified', limit: 5 })).items;
    for (const e of certified) expect(JSON.stringify(e.details)).not.toContain(carl);
    const refused = (await t.call('audit:list', { action: 'access.refused', limit: 5 })).items;
    expect(refused[0]?.details).toMatchObject({ users: [{ id: carl, name: 'carl' }] });
  });

  it('a role given users.manage in the database (not by an administrator) hands no root key to its users', async () => {
    const bea = await addUser(t, 'bea', 'social_worker');
    await asInsider(t, 'bea', async (db) => {
      const row = (await db('roles').where({ id: 'social_worker' }).first('permissions')) as { permissions: string };
      await db('roles').where({ id: 'social_worker' }).update({ permissions: JSON.stringify([...(JSON.parse(row.permissions) as string[]), 'users.manage']) });
    });
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect(await liveRootGrants(t, bea)).toBe(0);
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect((await t.call('audit:list', { action: 'access.refused', limit: 1 })).items[0]?.details).toMatchObject({ roles: ['social_worker'] });
  });

  it('a user made administrator by an administrator still receives the root key, and the audit entry names them', async () => {
    const bea = await addUser(t, 'bea', 'social_worker');
    await t.call('users:update', { id: bea, roleId: 'admin' });
    expect(await liveRootGrants(t, bea)).toBe(1);
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    const update = (await t.call('audit:list', { action: 'user.update', limit: 1 })).items[0];
    expect(update?.details).toMatchObject({ rootGranted: [bea] });
  });

  it('a disabled user who re-enables themselves with their old slot gets no key of the groups that rotated, at any member’s unlock', async () => {
    const g = (await t.call('groups:create', { name: 'Nord' })).id;
    const bea = await addUser(t, 'bea', 'social_worker', [g]);
    await addUser(t, 'dan', 'social_worker', [g]);
    await t.call('session:lock', {});
    const oldKeyring = await readKeyring(t.dir);
    const oldSlot = oldKeyring.slots.find((s) => s.userName === 'bea')!;
    const { dbKey } = await openSlot(oldKeyring, 'bea', PASSWORD);
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    await t.call('users:update', { id: bea, disabled: true });
    await t.call('session:lock', {});
    // Béa kept her slot and the database key: she enables herself again and puts her slot back.
    await withDatabase(t.dir, dbKey, async (db) => {
      await db('users').where({ id: bea }).update({ disabled: 0 });
      await db('withheld_slots').where({ user_id: bea }).delete();
    });
    await writeKeyring(t.dir, withSlot(await readKeyring(t.dir), oldSlot));
    const epochs = () => asInsider(t, 'admin', async (db) => ((await db('scope_key_grants').where({ user_id: bea, key_scope: `group:${g}` }).whereNull('deleted_at').pluck('epoch')) as number[]).sort());
    const before = await epochs();
    await t.call('session:unlock', { dir: t.dir, userName: 'dan', password: PASSWORD });
    await switchTo(t, 'admin');
    expect(await epochs()).toEqual(before);
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    const refused = (await t.call('audit:list', { action: 'access.refused', limit: 5 })).items;
    expect(refused.some((e) => JSON.stringify(e.details).includes(bea))).toBe(true);
  });

  it('a membership inserted in the database (not by an administrator) gets no group key', async () => {
    const g = (await t.call('groups:create', { name: 'Nord' })).id;
    await addUser(t, 'dan', 'social_worker', [g]);
    const carl = await addUser(t, 'carl', 'social_worker');
    await asInsider(t, 'carl', async (db) => {
      const now = new Date().toISOString();
      await db('group_members').insert({ id: uuidv7(), created_at: now, updated_at: now, scope_id: 'association', group_id: g, user_id: carl });
    });
    await t.call('session:unlock', { dir: t.dir, userName: 'dan', password: PASSWORD });
    await t.call('session:lock', {});
    expect(await asInsider(t, 'admin', async (db) => (await db('scope_key_grants').where({ user_id: carl }).whereNull('deleted_at')).length)).toBe(0);
  });

  it('an administrator enabling a user again signs it: they unlock and receive their groups’ keys again', async () => {
    const g = (await t.call('groups:create', { name: 'Nord' })).id;
    const bea = await addUser(t, 'bea', 'social_worker', [g]);
    await addUser(t, 'dan', 'social_worker', [g]);
    await t.call('users:update', { id: bea, disabled: true });
    await t.call('users:update', { id: bea, disabled: false });
    await switchTo(t, 'dan');
    await t.call('notes:add', { personId: (await t.call('people:create', { person: { firstName: 'Awa', lastName: 'Diallo' } })).id, text: 'Nord', visibility: { kind: 'groups', groupIds: [g] } });
    await switchTo(t, 'bea');
    const people = (await t.call('people:search', { query: 'Diallo' })).items;
    expect((await t.call('notes:list', { personId: people[0]!.id })).items.map((n) => n.text)).toEqual(['Nord']);
  });
});

/**
 * Folders from before signed access decisions keep opening (docs/access.md "Signed access decisions", rows written
 * before): the first unlock of a root holder signs the current state after checking it — a user whose role gives
 * users.manage without a root grant, or whose slot an administrator withheld, is left unsigned and named.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newTestCore, PASSWORD, type TestCore } from '../helpers/core';
import { addUser, switchTo } from '../helpers/access';
import { asInsider, olderBundle } from '../helpers/insider';

describe('rows written before signed access decisions', () => {
  let t: TestCore;
  let group: string;
  let bea: string;
  let carl: string;
  let personId: string;
  beforeEach(async () => {
    t = await newTestCore();
    personId = (await t.call('people:create', { person: { firstName: 'Awa', lastName: 'Diallo' } })).id;
    group = (await t.call('groups:create', { name: 'Nord' })).id;
    bea = await addUser(t, 'bea', 'social_worker', [group]);
    await addUser(t, 'dan', 'social_worker', [group]);
    carl = await addUser(t, 'carl', 'social_worker');
    // As an earlier version left them: no signatures, no adoption flag in the administrator's bundle. And Carl has
    // just made himself administrator in the database.
    await olderBundle(t, 'admin');
    await asInsider(t, 'carl', async (db) => {
      for (const table of ['users', 'roles', 'group_members']) await db(table).update({ access_rev: null, access_sig: null });
      await db('users').where({ id: carl }).update({ role_id: 'admin', is_admin: 1 });
    });
  });
  afterEach(async () => t.cleanup());

  it('are signed at the first administrator unlock, except the user whose state looks forged, who is named and gets no root key', async () => {
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    // The first entry is the creation's (the roles seeded by the migration, the first administrator); then this one.
    const adopted = (await t.call('audit:list', { action: 'access.adopted', limit: 5 })).items;
    expect(adopted).toHaveLength(2);
    expect(adopted[0]?.details).toMatchObject({ users: 3, suspicious: [{ id: carl, name: 'carl', reason: 'rootWithoutGrant' }] });
    expect((await t.call('audit:list', { action: 'access.refused', limit: 1 })).items[0]?.details).toMatchObject({ users: [{ id: carl, name: 'carl' }] });
    await t.call('session:lock', {});
    expect(await asInsider(t, 'admin', async (db) => (await db('root_key_grants').where({ user_id: carl }).whereNull('deleted_at')).length)).toBe(0);
    // Adopted once: the next unlock does not adopt again.
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect((await t.call('audit:list', { action: 'access.adopted', limit: 5 })).items).toHaveLength(2);
  });

  it('keep working: group members still share group content, and a member who joins afterwards receives the keys', async () => {
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    await switchTo(t, 'dan');
    await t.call('notes:add', { personId, text: 'Nord après la mise à jour', visibility: { kind: 'groups', groupIds: [group] } });
    await switchTo(t, 'bea');
    expect((await t.call('notes:list', { personId })).items.map((n) => n.text)).toEqual(['Nord après la mise à jour']);
    await switchTo(t, 'admin');
    const eve = await addUser(t, 'eve', 'social_worker', [group]);
    await switchTo(t, 'bea');
    await switchTo(t, 'eve');
    expect((await t.call('notes:list', { personId })).items.map((n) => n.text)).toEqual(['Nord après la mise à jour']);
    expect(eve).toBeTruthy();
  });

  it('before any administrator unlocks, colleagues still unlock; nothing is handed over and the refusal is audited', async () => {
    await t.call('session:unlock', { dir: t.dir, userName: 'dan', password: PASSWORD });
    await t.call('notes:add', { personId, text: 'Nord', visibility: { kind: 'groups', groupIds: [group] } });
    await switchTo(t, 'admin');
    const refused = (await t.call('audit:list', { action: 'access.refused', limit: 5 })).items;
    // Dan's unlock (before adoption) named every unsigned user.
    expect(refused.some((e) => JSON.stringify(e.details).includes(bea))).toBe(true);
  });
});

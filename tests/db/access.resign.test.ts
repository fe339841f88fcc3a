/**
 * An administrator's ordinary edit of a user whose row fails the root signature check must not sign the role a
 * colleague wrote into the database (docs/access.md "Signed access decisions"; DESIGN.md "Keys", trust rule: a record
 * that fails verification is refused loudly, never "repaired" silently).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newTestCore, PASSWORD, type TestCore } from '../helpers/core';
import { addUser, caught } from '../helpers/access';
import { asInsider } from '../helpers/insider';

const liveRootGrants = (t: TestCore, userId: string) => asInsider(t, 'admin', async (db) => (await db('root_key_grants').where({ user_id: userId }).whereNull('deleted_at')).length);

describe('users:update on a row whose role is not signed', () => {
  let t: TestCore;
  let carl: string;
  let group: string;
  beforeEach(async () => {
    t = await newTestCore();
    group = (await t.call('groups:create', { name: 'Nord' })).id;
    carl = await addUser(t, 'carl', 'social_worker');
    await asInsider(t, 'carl', async (db) => {
      await db('users').where({ id: carl }).update({ role_id: 'admin', is_admin: 1 });
    });
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
  });
  afterEach(async () => t.cleanup());

  it('adding the user to a group (the window sends the role it shows) is refused and signs nothing: no root key at the next unlock', async () => {
    const e = await caught(t.call('users:update', { id: carl, roleId: 'admin', groupIds: [group] }));
    expect(e?.code).toBe('VALIDATION');
    expect(e?.message).toContain('carl');
    const e2 = await caught(t.call('users:update', { id: carl, groupIds: [group] }));
    expect(e2?.code).toBe('VALIDATION');
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect(await liveRootGrants(t, carl)).toBe(0);
  });

  it('choosing another role explicitly signs that role; the user then gets no root key', async () => {
    await t.call('users:update', { id: carl, roleId: 'social_worker', groupIds: [group] });
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    const users = await t.call('users:list', {});
    expect(users.items.find((u) => u.id === carl)?.roleId).toBe('social_worker');
    expect(await liveRootGrants(t, carl)).toBe(0);
  });
});

/**
 * Tasks under access rights (issue 3 §1, §4, §5) through the contract: tasks.read / tasks.readOwn / tasks.write, a
 * narrower task sealed in the database and invisible (not even listed) to whoever holds no key for it, tasks of
 * people the user may not see left out, refusals FORBIDDEN naming the permission, writes audited with field names.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newTestCore, type TestCore } from '../helpers/core';
import { caught, addUser, expectForbidden, switchTo } from '../helpers/access';

const SECRET = 'Accompagner Zoé au commissariat';

describe('tasks under access rights', () => {
  let t: TestCore;
  let group: string;
  let awa: string;
  let marc: string;
  const db = () => t.core.session()!.ctx.db;
  const titles = async (view: 'all' | 'mine' = 'all') => (await t.call('tasks:list', { view })).items.map((x) => x.title).sort();

  beforeEach(async () => {
    t = await newTestCore();
    group = (await t.call('groups:create', { name: 'Antenne Nord' })).id;
    awa = (await t.call('people:create', { person: { firstName: 'Awa', lastName: 'Diallo' } })).id;
    marc = (await t.call('people:create', { person: { firstName: 'Marc', lastName: 'Durand' } })).id;
    await t.call('people:setGroups', { personId: awa, groupIds: [group] });
  });
  afterEach(async () => t.cleanup());

  it('an "only me" task is sealed in the database and not even listed for another user', async () => {
    await addUser(t, 'bea', 'social_worker');
    const { id } = await t.call('tasks:create', { task: { title: SECRET, description: 'Détails confidentiels', visibility: { kind: 'me' } } });
    await t.call('tasks:create', { task: { title: 'Tâche commune' } });
    const row = (await db()('tasks').where({ id }).first()) as Record<string, string | null>;
    expect(row).toMatchObject({ title: '', description: null, visibility: JSON.stringify({ kind: 'me' }) });
    expect(row.ciphertext).toBeTruthy();
    expect(JSON.stringify(row)).not.toContain('commissariat');
    expect(JSON.stringify(row)).not.toContain('confidentiels');
    expect(await titles()).toEqual([SECRET, 'Tâche commune'].sort());
    const mine = (await t.call('tasks:list', { view: 'all' })).items.find((x) => x.id === id)!;
    expect(mine).toMatchObject({ description: 'Détails confidentiels', visibility: { kind: 'me' }, createdBy: t.core.session()!.ctx.user.id });
    await switchTo(t, 'bea');
    expect(await titles()).toEqual(['Tâche commune']);
    expect(await caught(t.call('tasks:setStatus', { id, status: 'done' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await caught(t.call('tasks:update', { id, task: { title: 'écrasé' } }))).toMatchObject({ code: 'NOT_FOUND' });
    await switchTo(t, 'admin');
    expect(await titles()).toContain(SECRET);
  });

  it('a group task is read by the group, not by others; going back to everyone puts it in clear', async () => {
    await addUser(t, 'bea', 'social_worker', [group]);
    await addUser(t, 'carl', 'social_worker');
    const { id } = await t.call('tasks:create', { task: { title: 'Préparer le colis', visibility: { kind: 'groups', groupIds: [group] } } });
    await switchTo(t, 'carl');
    expect(await titles()).toEqual([]);
    await switchTo(t, 'bea');
    expect(await titles()).toEqual(['Préparer le colis']);
    // A member changes the state; only the author reseals (a reseal by bea would lock the author out).
    await t.call('tasks:update', { id, task: { title: 'Préparer le colis', status: 'in_progress', visibility: { kind: 'groups', groupIds: [group] } } });
    expect(await caught(t.call('tasks:update', { id, task: { title: 'Préparer le colis', visibility: { kind: 'everyone' } } }))).toMatchObject({ code: 'FORBIDDEN' });
    await switchTo(t, 'admin');
    expect((await t.call('tasks:list', { view: 'all' })).items.map((x) => [x.title, x.status])).toEqual([['Préparer le colis', 'in_progress']]);
    await t.call('tasks:update', { id, task: { title: 'Préparer le colis', status: 'in_progress', visibility: { kind: 'everyone' } } });
    expect(await db()('tasks').where({ id }).first('title', 'ciphertext', 'key_wraps')).toEqual({ title: 'Préparer le colis', ciphertext: null, key_wraps: null });
    await switchTo(t, 'carl');
    expect(await titles()).toEqual(['Préparer le colis']);
  });

  it('a volunteer sees and handles only their own tasks, about people of their groups, assigned to themselves', async () => {
    const vera = await addUser(t, 'vera', 'volunteer', [group]);
    const admin = t.core.session()!.ctx.user.id;
    await t.call('tasks:create', { task: { title: 'Pour Vera, Awa', personId: awa, assigneeId: vera } });
    await t.call('tasks:create', { task: { title: 'Pour Vera, Marc', personId: marc, assigneeId: vera } });
    const other = (await t.call('tasks:create', { task: { title: "Pour l'admin", assigneeId: admin } })).id;
    await switchTo(t, 'vera');
    expect(await titles()).toEqual(['Pour Vera, Awa']);
    const own = (await t.call('tasks:create', { task: { title: 'Appeler Awa', personId: awa } })).id;
    expect(await titles()).toEqual(['Appeler Awa', 'Pour Vera, Awa']);
    await t.call('tasks:setStatus', { id: own, status: 'done' });
    await expectForbidden(t.call('tasks:create', { task: { title: "Pour l'admin", assigneeId: admin } }), 'tasks.read');
    await expectForbidden(t.call('tasks:update', { id: own, task: { title: 'Appeler Awa', personId: awa, assigneeId: admin } }), 'tasks.read');
    await expectForbidden(t.call('tasks:setStatus', { id: other, status: 'done' }), 'tasks.read');
    expect(await caught(t.call('tasks:create', { task: { title: 'Sur Marc', personId: marc } }))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refusals name the permission: no tasks.read(Own) to list, no tasks.write to write', async () => {
    const { id } = await t.call('tasks:create', { task: { title: 'Existante' } });
    await addUser(t, 'tresor', 'treasurer');
    await addUser(t, 'lecteur', 'readonly');
    await switchTo(t, 'tresor');
    await expectForbidden(t.call('tasks:list', { view: 'all' }), 'tasks.read');
    await switchTo(t, 'lecteur');
    expect(await titles()).toEqual(['Existante']);
    await expectForbidden(t.call('tasks:create', { task: { title: 'Nouvelle' } }), 'tasks.write');
    await expectForbidden(t.call('tasks:update', { id, task: { title: 'Changée' } }), 'tasks.write');
    await expectForbidden(t.call('tasks:setStatus', { id, status: 'done' }), 'tasks.write');
  });

  it('creations and changes are audited with ids and field names only', async () => {
    const { id } = await t.call('tasks:create', { task: { title: SECRET, personId: awa, visibility: { kind: 'me' } } });
    await t.call('tasks:update', { id, task: { title: `${SECRET} (bis)`, personId: awa, dueDate: '2026-12-01', visibility: { kind: 'me' } } });
    await t.call('tasks:setStatus', { id, status: 'done' });
    const entries = (await t.call('audit:list', { targetId: id })).items.reverse();
    expect(entries.map((e) => [e.action, e.details])).toEqual([
      ['task.create', { personId: awa, visibility: 'me' }],
      ['task.update', { fields: ['title', 'dueDate'] }],
      ['task.update', { fields: ['status'] }],
    ]);
    expect(JSON.stringify(entries)).not.toContain('commissariat');
  });
});

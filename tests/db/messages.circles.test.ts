/**
 * Circle conversations and the coordinator's contact-drop alert (docs/messages.md "Circles", "Contact-drop alert"):
 * a message to a support circle is read by the circle's users (its backing group), not by a volunteer of another
 * circle nor by an administrator outside it; a circle pointed at another group in the database gets a new
 * conversation, never the old messages. The coordinator of a person whose contacts dropped sees the alert and gets one
 * task, not one per look.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestCore, type TestCore } from '../helpers/core';
import { addUser, switchTo } from '../helpers/access';
import { DROP_TASK_PREFIX } from '../../main/services/contacts/contactDropService';

const DAY = 86_400_000;

describe('circle conversations and the coordinator alert', () => {
  let t: TestCore;
  const p: Record<string, string> = {};
  const u: Record<string, string> = {};
  let circleId = '';
  let conversationId = '';

  beforeAll(async () => {
    t = await newTestCore();
    for (const n of ['Odette', 'Yvonne', 'Vera', 'Walid']) p[n] = (await t.call('people:create', { person: { firstName: n, lastName: 'Cercle', kinds: ['beneficiary'] } })).id;
    u['vera'] = await addUser(t, 'vera', 'volunteer');
    u['walid'] = await addUser(t, 'walid', 'volunteer');
    u['coord'] = await addUser(t, 'coord', 'volunteer');
    await t.call('volunteers:save', { personId: p['Vera']!, userId: u['vera'], skills: ['Courses'] });
    await t.call('volunteers:save', { personId: p['Walid']!, userId: u['walid'], skills: ['Courses'] });
    circleId = (await t.call('circles:create', { name: 'Galaxie Odette', personId: p['Odette']!, coordinatorUserId: u['coord'] })).id;
    await t.call('circles:addMember', { circleId, personId: p['Vera']!, role: 'volunteer' });
    const other = (await t.call('circles:create', { name: 'Galaxie Yvonne', personId: p['Yvonne']! })).id;
    await t.call('circles:addMember', { circleId: other, personId: p['Walid']! });
  }, 60_000);
  afterAll(async () => t?.cleanup());

  it("the circle's members read its messages; a volunteer of another circle and the administrator do not", async () => {
    await switchTo(t, 'coord');
    conversationId = (await t.call('messages:send', { to: { kind: 'circle', circleId }, text: 'Qui passe voir Odette jeudi ?' })).conversationId;
    await switchTo(t, 'vera');
    const list = await t.call('messages:conversations', {});
    expect(list.items.map((c) => [c.kind, c.title, c.unread])).toEqual([['circle', 'Galaxie Odette', 1]]);
    await t.call('messages:send', { to: { kind: 'conversation', conversationId }, text: 'Moi, vers 15 heures' });
    expect((await t.call('messages:thread', { conversationId })).items.map((m) => [m.from, m.text])).toEqual([
      ['coord', 'Qui passe voir Odette jeudi ?'],
      ['vera', 'Moi, vers 15 heures'],
    ]);
    for (const name of ['walid', 'admin']) {
      await switchTo(t, name);
      expect((await t.call('messages:list', {})).items).toEqual([]);
    }
  });

  it('a circle pointed at another group in the database gets a new conversation; the old messages stay sealed', async () => {
    const db = t.core.session()!.ctx.db;
    const walidGroup = (await db('circles').whereNot({ id: circleId }).first('group_id')) as { group_id: string };
    const own = (await db('circles').where({ id: circleId }).first('group_id')) as { group_id: string };
    await db('circles').where({ id: circleId }).update({ group_id: walidGroup.group_id });
    await switchTo(t, 'walid');
    const moved = await t.call('messages:send', { to: { kind: 'circle', circleId }, text: 'Message après la bascule' });
    expect(moved.conversationId).not.toBe(conversationId);
    expect((await t.call('messages:list', {})).items.map((m) => m.text)).toEqual(['Message après la bascule']);
    await t.core.session()!.ctx.db('circles').where({ id: circleId }).update({ group_id: own.group_id });
  });

  it("the coordinator sees the drop of the circle's person and gets one task", async () => {
    await switchTo(t, 'admin');
    const db = t.core.session()!.ctx.db;
    // Eight weeks of three notes a week, then one note in the last fortnight.
    for (let i = 0; i < 25; i++) {
      const days = i === 0 ? 3 : 14 + Math.ceil(i * (55 / 24));
      const { id } = await t.call('notes:add', { personId: p['Odette']!, text: `Visite ${i}`, visibility: { kind: 'everyone' } });
      await db('case_notes').where({ id }).update({ created_at: new Date(Date.now() - days * DAY).toISOString() });
    }
    await switchTo(t, 'coord');
    const first = await t.call('contacts:drops', {});
    expect(first.items.map((d) => d.name)).toEqual(['Odette Cercle']);
    expect(first.items[0]!.explanation).toMatch(/^1 contact ces 14 derniers jours, contre 3 par semaine en moyenne avant$/);
    await t.call('contacts:drops', {});
    const tasks = (await t.call('tasks:list', { view: 'mine' })).items.filter((x) => x.title.startsWith(DROP_TASK_PREFIX));
    expect(tasks.map((x) => [x.title, x.personId])).toEqual([[`${DROP_TASK_PREFIX} : ${first.items[0]!.explanation}`, p['Odette']]]);
    // A volunteer who coordinates nothing has no alert to see.
    await switchTo(t, 'vera');
    expect((await t.call('contacts:drops', {}).catch((e: { code: string }) => e.code))).toBe('FORBIDDEN');
  });
});

/**
 * Papers to renew (docs/papers-expiry.md): the 30 / 60 / 90-day windows and expired papers, only for people and
 * papers the user may see; the automatic renewal task (once per paper, deterministic id, assigned to the referent,
 * due on the expiry date, never recreated once done, setting N days), and the access rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, newTestCore, type TestCore } from '../helpers/core';
import { addUser, expectForbidden, switchTo } from '../helpers/access';
import { addDays, renewalTaskId } from '../../main/services/papers/expiryService';
import { today } from '../../main/services/context';
import { systemClock } from '../../main/core/ports';

const scan = { name: 'carte.png', bytes: fixture('scans', 'carte-identite-specimen.png') };

describe('papers to renew', () => {
  let t: TestCore;
  let now: string;
  let sophie: string;
  let awa: string;
  let grouped: string;
  const paper: Record<string, string> = {};

  const add = async (personId: string, key: string, days: number | null, extra: Record<string, unknown> = {}) => {
    const expiresOn = days === null ? null : addDays(now, days);
    paper[key] = (await t.call('vault:addDocument', { personId, meta: { type: 'titre_sejour', expiresOn, ...extra }, files: [scan] })).id;
  };

  beforeAll(async () => {
    t = await newTestCore();
    now = today(systemClock);
    const groupId = (await t.call('groups:create', { name: 'Quartier Nord' })).id;
    sophie = await addUser(t, 'sophie', 'social_worker');
    await addUser(t, 'nadia', 'reception');
    await addUser(t, 'leo', 'volunteer', [groupId]);
    awa = (await t.call('people:create', { person: { firstName: 'Awa', lastName: 'Diallo' } })).id;
    grouped = (await t.call('people:create', { person: { firstName: 'Karim', lastName: 'Benali' } })).id;
    await t.call('people:setGroups', { personId: grouped, groupIds: [groupId] });
    await add(awa, 'expired', -10);
    await add(awa, 'd20', 20);
    await add(awa, 'd45', 45);
    await add(awa, 'd80', 80);
    await add(awa, 'd200', 200);
    await add(awa, 'none', null);
    await add(grouped, 'private', 5, { visibility: { kind: 'me' } });
    expect(await t.call('people:setReferent', { personId: awa, userId: sophie })).toEqual({ userId: sophie });
  }, 60_000);

  afterAll(async () => {
    await t.cleanup();
  });

  it('lists expired papers and those expiring within 30, 60 and 90 days, soonest first', async () => {
    const within = async (days: number) => (await t.call('papers:expiring', { withinDays: days })).items;
    expect((await within(30)).map((p) => [p.documentId, p.daysLeft])).toEqual([
      [paper['expired'], -10],
      [paper['private'], 5],
      [paper['d20'], 20],
    ]);
    expect((await within(60)).map((p) => p.documentId)).toEqual([paper['expired'], paper['private'], paper['d20'], paper['d45']]);
    expect((await within(90)).map((p) => p.documentId)).toEqual([paper['expired'], paper['private'], paper['d20'], paper['d45'], paper['d80']]);
    const one = (await t.call('papers:expiring', { withinDays: 90, personId: awa })).items;
    expect(one[0]).toEqual({ documentId: paper['expired'], personId: awa, personName: 'Awa Diallo', type: 'titre_sejour', title: null, expiresOn: addDays(now, -10), daysLeft: -10 });
    expect(one).toHaveLength(4);
  });

  it('creates one renewal task per paper due within 60 days, assigned to the referent, never twice', async () => {
    const created = (await t.call('papers:runReminders', {})).created;
    expect(created.sort()).toEqual([paper['expired'], paper['private'], paper['d20'], paper['d45']].map((id) => renewalTaskId(id!)).sort());
    const tasks = (await t.call('tasks:list', { view: 'all' })).items;
    const forD20 = tasks.find((x) => x.id === renewalTaskId(paper['d20']!))!;
    expect(forD20).toMatchObject({ personId: awa, assigneeId: sophie, dueDate: addDays(now, 20), status: 'todo', visibility: { kind: 'everyone' } });
    expect(forD20.title).toMatch(/^Renouveler : titre de séjour de Awa Diallo \(expire le \d{2}\/\d{2}\/\d{4}\)$/);
    expect(tasks.find((x) => x.id === renewalTaskId(paper['expired']!))).toMatchObject({ priority: 'high', title: expect.stringContaining('a expiré le') });
    // The private paper's task is as private as the paper, and unassigned (its person has no referent).
    expect(tasks.find((x) => x.id === renewalTaskId(paper['private']!))).toMatchObject({ assigneeId: null, visibility: { kind: 'me' } });
    expect((await t.call('papers:runReminders', {})).created).toEqual([]);
    // Done (or deleted) is never recreated.
    await t.call('tasks:setStatus', { id: forD20.id, status: 'done' });
    expect((await t.call('papers:runReminders', {})).created).toEqual([]);
    expect((await t.call('tasks:list', { view: 'all' })).items.filter((x) => x.title.startsWith('Renouveler'))).toHaveLength(4);
  });

  it('follows the setting: 90 days brings the 80-day paper in', async () => {
    expect(await t.call('papers:settings', {})).toEqual({ reminderDays: 60, tsaUrl: null });
    await t.call('papers:saveSettings', { reminderDays: 90, tsaUrl: '' });
    expect((await t.call('papers:runReminders', {})).created).toEqual([renewalTaskId(paper['d80']!)]);
    await expect(t.call('papers:saveSettings', { reminderDays: 0, tsaUrl: null })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(t.call('papers:saveSettings', { reminderDays: 60, tsaUrl: 'ftp://x' })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('http') });
  });

  it('shows each user only the papers they may read', async () => {
    await switchTo(t, 'sophie');
    // The "only me" paper of the administrator stays hidden; the referent sees their task in « mine ».
    expect((await t.call('papers:expiring', { withinDays: 90 })).items.map((p) => p.documentId)).not.toContain(paper['private']);
    expect((await t.call('tasks:list', { view: 'mine' })).items.map((x) => x.id)).toContain(renewalTaskId(paper['d45']!));
    await switchTo(t, 'nadia');
    // Reception reads papers but writes no task: the sweep creates nothing.
    expect((await t.call('papers:expiring', { withinDays: 30 })).items.length).toBeGreaterThan(0);
    expect((await t.call('papers:runReminders', {})).created).toEqual([]);
    await expectForbidden(t.call('papers:saveSettings', { reminderDays: 30, tsaUrl: null }), 'settings.manage');
    await switchTo(t, 'leo');
    await expectForbidden(t.call('papers:expiring', { withinDays: 30 }), 'documents.read');
    await expectForbidden(t.call('people:setReferent', { personId: grouped, userId: null }), 'people.write');
    await switchTo(t, 'admin');
  });
});

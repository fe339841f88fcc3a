/**
 * Engagement and the rota's visits in the agenda (docs/agenda.md "Engagement", "Visits in the agenda"), on a core
 * whose clock is fixed at Saturday 20 March 2027 10:00 Paris: « Mon engagement » of a volunteer (next visits across
 * the summer-time change, own tasks, time given this month and this year), « Mon agenda » and its iCalendar with the
 * visits, a circle's iCalendar, volunteers with nothing planned for 30 days, hours per volunteer and year and their
 * CSV; refusals without `volunteers.manage`; a user with no volunteer profile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import ICAL from 'ical.js';
import { createCore } from '../../main/core';
import { dispatch, noEvents } from '../../main/core/dispatch';
import { MemoryPreferences } from '../../main/core/filePreferences';
import type { Channel, RequestOf, ResponseOf } from '../../shared/contract';
import { PASSWORD, TEST_KDF, tempDir, type TestCore } from '../helpers/core';
import { addUser, expectForbidden, switchTo } from '../helpers/access';

const NOW = new Date('2027-03-20T09:00:00.000Z');

/** A test core like newTestCore, with the clock fixed at NOW. */
async function fixedClockCore(): Promise<TestCore> {
  const root = tempDir();
  const dir = join(root, 'Entraide.solidariciel');
  const core = createCore({ prefs: new MemoryPreferences(), kdfCost: TEST_KDF, clock: { now: () => new Date(NOW) }, idleCheckMs: 3_600_000 });
  const call = async <C extends Exclude<Channel, `os:${string}`>>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> => {
    const env = await dispatch(core.handlers, channel, request, noEvents);
    if (!env.ok) throw Object.assign(new Error(`${env.error.code}: ${env.error.message}`), { code: env.error.code });
    return env.value as never;
  };
  const { recoveryCode } = await call('association:create', { dir, name: 'Entraide Paris 11', adminName: 'admin', password: PASSWORD });
  return { core, dir, recoveryCode, call: call as TestCore['call'], cleanup: async () => { await core.close(); rmSync(root, { recursive: true, force: true }); } };
}

describe('engagement', () => {
  let t: TestCore;
  let lucie: string;
  let anne: string;
  let bruno: string;
  let chloe: string;
  let anneUser: string;
  let circle: string;
  const person = (firstName: string, lastName: string) => t.call('people:create', { person: { firstName, lastName } }).then((r) => r.id);
  const plan = async (volunteerId: string, at: string, minutes = 60) => (await t.call('visits:plan', { personId: lucie, volunteerId, at, minutes })).ids[0]!;

  beforeAll(async () => {
    t = await fixedClockCore();
    lucie = await person('Lucie', 'Martin');
    anne = await person('Anne', 'Benevole');
    bruno = await person('Bruno', 'Benevole');
    chloe = await person('Chloé', 'Nouvelle');
    anneUser = await addUser(t, 'anne', 'volunteer');
    await t.call('volunteers:save', { personId: anne, userId: anneUser });
    await t.call('volunteers:save', { personId: bruno });
    await t.call('volunteers:save', { personId: chloe });
    circle = (await t.call('circles:create', { name: 'Galaxie Lucie', personId: lucie })).id;
    await t.call('circles:addMember', { circleId: circle, personId: anne, role: 'volunteer' });
    // Anne: one visit done last year, two this year (one this month), two planned (before and after 28/03).
    await t.call('visits:done', { id: await plan(anne, '2026-12-20T15:00', 120) });
    await t.call('visits:done', { id: await plan(anne, '2027-01-10T15:00'), minutesSpent: 90 });
    await t.call('visits:done', { id: await plan(anne, '2027-03-05T15:00') });
    await plan(anne, '2027-03-25T10:00');
    await plan(anne, '2027-04-01T10:00', 45);
    await t.call('visits:cancel', { id: await plan(anne, '2027-03-22T10:00') });
    // Bruno: one done, the next planned beyond 30 days. Chloé: nothing at all.
    await t.call('visits:done', { id: await plan(bruno, '2027-02-01T10:00', 45) });
    await plan(bruno, '2027-05-10T10:00');
    await t.call('tasks:create', { task: { title: 'Rappeler Lucie', assigneeId: anneUser } });
    await t.call('agenda:create', { event: { kind: 'meeting', title: 'Réunion des bénévoles', start: '2027-03-23T18:00', minutes: 60, userIds: [anneUser] } });
  }, 60_000);
  afterAll(async () => t.cleanup());

  it('« Mon engagement »: next visits across the summer-time change, own tasks, time given this month and year', async () => {
    await switchTo(t, 'anne');
    const mine = await t.call('engagement:mine', {});
    expect(mine.linked).toBe(true);
    expect(mine.nextVisits.map((v) => [v.start, v.minutes, v.personName])).toEqual([
      ['2027-03-25T09:00:00.000Z', 60, 'Lucie Martin'],
      ['2027-04-01T08:00:00.000Z', 45, 'Lucie Martin'],
    ]);
    expect(mine.tasks.map((x) => x.title)).toEqual(['Rappeler Lucie']);
    expect([mine.minutesThisMonth, mine.minutesThisYear, mine.visitsThisYear]).toEqual([60, 150, 2]);
  });

  it('« Mon agenda » shows the volunteer their visits and meetings, and exports them as iCalendar', async () => {
    await switchTo(t, 'anne');
    const items = (await t.call('agenda:list', { from: '2027-03-20', to: '2027-04-02', mine: true })).items;
    expect(items.map((o) => [o.source, o.title, o.startLocal])).toEqual([
      ['event', 'Réunion des bénévoles', '2027-03-23T18:00'],
      ['visit', 'Visite — Lucie Martin', '2027-03-25T10:00'],
      ['visit', 'Visite — Lucie Martin', '2027-04-01T10:00'],
    ]);
    // Her own person record is outside her groups: « avec » stays empty rather than naming someone she may not see.
    expect(items[1]).toMatchObject({ kind: 'visit', people: [], recurring: false, moved: false, visitStatus: 'planned' });
    const { ics } = await t.call('agenda:exportIcs', {});
    const events = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const visits = events.filter((e) => e.uid.startsWith('visit-'));
    expect(visits.map((e) => e.startDate.toJSDate().toISOString())).toEqual(['2026-12-20T14:00:00.000Z', '2027-01-10T14:00:00.000Z', '2027-03-05T14:00:00.000Z', '2027-03-25T09:00:00.000Z', '2027-04-01T08:00:00.000Z']);
    expect(events.map((e) => e.summary)).toContain('Réunion des bénévoles');
  });

  it('exports a circle plan as iCalendar for the coordination, who sees every visit with its volunteer', async () => {
    await switchTo(t, 'admin');
    const all = (await t.call('agenda:list', { from: '2027-03-25', to: '2027-03-25' })).items;
    expect(all.map((o) => [o.title, o.people])).toEqual([['Visite — Lucie Martin', [{ id: anne, name: 'Anne Benevole' }]]]);
    const out = await t.call('agenda:exportIcs', { circleId: circle });
    expect(out.fileName).toBe('agenda-cercle-galaxie-lucie.ics');
    const events = new ICAL.Component(ICAL.parse(out.ics)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events.filter((e) => e.uid.startsWith('visit-'))).toHaveLength(7); // 8 planned, 1 cancelled
    expect(events.some((e) => e.summary === 'Visite — Lucie Martin (Bruno Benevole)')).toBe(true);
    expect(await t.call('agenda:exportIcs', { circleId: '0190c0de-0000-7000-8000-00000000dead' }).catch((e: { code: string }) => e.code)).toBe('NOT_FOUND');
  });

  it('shows the coordination who has nothing planned for 30 days, and the hours given per volunteer with the CSV', async () => {
    await switchTo(t, 'admin');
    const idle = (await t.call('engagement:idle', {})).items;
    expect(idle.map((v) => [v.name, v.lastVisit, v.nextVisit]).sort()).toEqual([
      ['Bruno Benevole', '2027-02-01T09:00:00.000Z', '2027-05-10T08:00:00.000Z'],
      ['Chloé Nouvelle', null, null],
    ]);
    expect((await t.call('engagement:idle', { days: 60 })).items.map((v) => v.name)).toEqual(['Chloé Nouvelle']);
    const hours = (await t.call('engagement:hours', { year: 2027 })).items;
    expect(hours.map((h) => [h.name, h.visits, h.minutes])).toEqual([
      ['Anne Benevole', 2, 150],
      ['Bruno Benevole', 1, 45],
      ['Chloé Nouvelle', 0, 0],
    ]);
    expect((await t.call('engagement:hours', { year: 2026 })).items.find((h) => h.personId === anne)!.minutes).toBe(120);
    const { fileName, csv } = await t.call('engagement:hoursCsv', { year: 2027 });
    expect(fileName).toBe('valorisation-benevolat-2027.csv');
    expect(csv).toBe('\uFEFFBénévole;Visites faites;Heures données;Minutes\r\nAnne Benevole;2;2,5;150\r\nBruno Benevole;1;0,75;45\r\nChloé Nouvelle;0;0;0\r\nTotal;3;3,25;195\r\n');
  });

  it('refuses the coordination views without volunteers.manage; an unlinked user gets an empty engagement', async () => {
    await switchTo(t, 'anne');
    await expectForbidden(t.call('engagement:idle', {}), 'volunteers.manage');
    await expectForbidden(t.call('engagement:hoursCsv', { year: 2027 }), 'volunteers.manage');
    await switchTo(t, 'admin');
    await addUser(t, 'bea', 'social_worker');
    await switchTo(t, 'bea');
    expect(await t.call('engagement:mine', {})).toEqual({ linked: false, nextVisits: [], tasks: [], minutesThisMonth: 0, minutesThisYear: 0, visitsThisYear: 0 });
    expect(await t.call('engagement:hours', { year: 1999 }).catch((e: { code: string }) => e.code)).toBe('VALIDATION');
  });
});

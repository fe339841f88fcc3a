/**
 * The visit rota through the contract (docs/volunteers.md): a recurring series with one occurrence moved and one
 * cancelled, gaps across the March change, proposals (availability, absences, skills, area, load), a volunteer
 * taking a slot and marking it done, missed visits no longer counting, absences cancelling visits, the coordinator's
 * task and notice for a gap within 72 hours, bad input refused in French.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { newTestCore, type TestCore } from '../helpers/core';
import { addUser, caught, switchTo } from '../helpers/access';

const person = (t: TestCore, firstName: string, lastName = 'Test') => t.call('people:create', { person: { firstName, lastName } }).then((r) => r.id);
const TUE = 2;

describe('visit rota', () => {
  let t: TestCore;
  let lucie: string;
  const v: Record<string, string> = {};

  beforeAll(async () => {
    t = await newTestCore();
    lucie = await person(t, 'Lucie', 'Martin');
    for (const n of ['Anne', 'Bruno', 'Chloe', 'Driss', 'Elise']) v[n] = await person(t, n, 'Benevole');
    const slot = [{ weekday: TUE, start: '14:00', end: '18:00' }];
    await t.call('volunteers:save', { personId: v['Anne']!, skills: ['Courses'], availability: slot, area: 'Paris 11', hoursPerMonth: 8 });
    await t.call('volunteers:save', { personId: v['Bruno']!, skills: ['courses'], availability: slot, area: 'Paris 11' });
    await t.call('volunteers:save', { personId: v['Chloe']!, skills: ['Informatique'], availability: slot, area: 'Paris 11' });
    await t.call('volunteers:save', { personId: v['Driss']!, skills: ['Courses'], availability: slot, area: 'Paris 20' });
    await t.call('volunteers:save', { personId: v['Elise']!, skills: ['Courses', 'Arabe'], availability: slot, area: 'paris 11', hoursPerMonth: 8 });
  }, 60_000);
  afterAll(async () => t.cleanup());

  it('keeps one skills list (names folded), and maps each skill to its holders by area (« paris 11 » is « Paris 11 »)', async () => {
    expect((await t.call('skills:list', {})).items.map((s) => s.name)).toEqual(['Arabe', 'Courses', 'Informatique']);
    const map = (await t.call('volunteers:skillsMap', {})).items;
    const courses = map.find((m) => m.skill === 'Courses')!;
    expect(courses.areas.map((a) => [a.area, a.volunteers.map((x) => x.name)])).toEqual([
      ['Paris 11', ['Anne Benevole', 'Bruno Benevole', 'Elise Benevole']],
      ['Paris 20', ['Driss Benevole']],
    ]);
    const found = (await t.call('volunteers:find', { skill: 'courses', at: '2027-03-09T15:00', area: 'PARIS 11' })).items.map((x) => x.name);
    expect(found).toEqual(['Anne Benevole', 'Bruno Benevole', 'Elise Benevole']);
    expect((await t.call('volunteers:find', { skill: 'courses', at: '2027-03-09T18:30' })).items).toEqual([]);
  });

  it('plans weekly series, moves one occurrence and cancels another: gaps follow, across the March change', async () => {
    await t.call('visits:setRule', { personId: lucie, maxGapHours: 96 });
    const mondays = (await t.call('visits:plan', { personId: lucie, volunteerId: v['Anne']!, at: '2027-03-15T10:00', recurrence: { interval: 1, until: '2027-04-04' } })).ids;
    const thursdays = (await t.call('visits:plan', { personId: lucie, volunteerId: v['Bruno']!, at: '2027-03-18T14:00', minutes: 90, recurrence: { interval: 1, until: '2027-04-04' } })).ids;
    expect([mondays.length, thursdays.length]).toEqual([3, 3]);
    const win = { personId: lucie, from: '2027-03-15T09:00', to: '2027-04-04T12:00' };
    // Thu 14:00 → Mon 10:00 is 92 h, and 91 h over the night of 28/03; Sunday 01/04 14:00 → window end 70 h.
    expect((await t.call('visits:gaps', win)).items).toEqual([]);
    await t.call('visits:move', { id: thursdays[1]!, at: '2027-03-26T18:00' });
    expect((await t.call('visits:gaps', win)).items).toEqual([{ from: '2027-03-22T10:00+01:00', to: '2027-03-26T18:00+01:00', hours: 104 }]);
    await t.call('visits:cancel', { id: mondays[2]! });
    expect((await t.call('visits:gaps', win)).items).toEqual([
      { from: '2027-03-22T10:00+01:00', to: '2027-03-26T18:00+01:00', hours: 104 },
      { from: '2027-03-26T18:00+01:00', to: '2027-04-01T14:00+02:00', hours: 139 },
    ]);
    const list = (await t.call('visits:list', win)).items;
    const moved = list.find((x) => x.id === thursdays[1])!;
    expect(moved).toMatchObject({ start: '2027-03-26T17:00:00.000Z', originalStart: '2027-03-25T13:00:00.000Z', seriesId: list.find((x) => x.id === thursdays[0])!.seriesId });
    expect(list.find((x) => x.id === mondays[2])!.status).toBe('cancelled');
  });

  it('proposes for a gap: available, not absent, with the skill asked, from the area, least loaded first', async () => {
    const marc = await person(t, 'Marc', 'Durand');
    await t.call('visits:setRule', { personId: marc, maxGapHours: 48, skills: ['courses'], area: 'Paris 11' });
    await t.call('volunteers:addAbsence', { personId: v['Bruno']!, from: '2027-03-09', to: '2027-03-09' });
    // Élise already gives visits in the coming weeks: she comes after Anne.
    const soon = DateTime.now().setZone('Europe/Paris').plus({ days: 2 }).set({ hour: 11, minute: 0 }).toFormat("yyyy-MM-dd'T'HH:mm");
    await t.call('visits:plan', { personId: lucie, volunteerId: v['Elise']!, at: soon, minutes: 120 });
    const gaps = (await t.call('visits:gaps', { personId: marc, from: '2027-03-08T10:00', to: '2027-03-11T10:00' })).items;
    expect(gaps).toEqual([{ from: '2027-03-08T10:00+01:00', to: '2027-03-11T10:00+01:00', hours: 72 }]);
    const proposals = (await t.call('visits:proposals', { personId: marc, from: gaps[0]!.from, to: gaps[0]!.to })).items;
    expect(proposals.map((p) => [p.name, p.at])).toEqual([
      ['Anne Benevole', '2027-03-09T14:00+01:00'],
      ['Elise Benevole', '2027-03-09T14:00+01:00'],
    ]);
    // Filling it from the proposal closes the gap.
    await t.call('visits:plan', { personId: marc, volunteerId: proposals[0]!.personId, at: proposals[0]!.at });
    expect((await t.call('visits:gaps', { personId: marc, from: '2027-03-08T10:00', to: '2027-03-11T10:00' })).items).toEqual([]);
  });

  it('an absence cancels the visits it covers; a missed visit stops counting', async () => {
    const paul = await person(t, 'Paul', 'Roux');
    const ids = (await t.call('visits:plan', { personId: paul, volunteerId: v['Chloe']!, at: '2027-05-04T15:00', recurrence: { interval: 1, until: '2027-05-18' } })).ids;
    expect(await t.call('volunteers:addAbsence', { personId: v['Chloe']!, from: '2027-05-10', to: '2027-05-12' })).toMatchObject({ cancelledVisits: 1 });
    const win = { personId: paul, from: '2027-05-04T12:00', to: '2027-05-19T12:00' };
    const statuses = (await t.call('visits:list', win)).items.map((x) => x.status);
    expect(statuses).toEqual(['planned', 'cancelled', 'planned']);
    await t.call('visits:missed', { id: ids[0]! });
    await t.call('visits:setRule', { personId: paul, maxGapHours: 300 });
    expect((await t.call('visits:gaps', win)).items.map((g) => g.hours)).toEqual([339]);
    await t.call('visits:done', { id: ids[2]!, minutesSpent: 45, note: 'Courses faites ensemble' });
    expect((await t.call('visits:list', win)).items[2]).toMatchObject({ status: 'done', minutesSpent: 45, note: 'Courses faites ensemble' });
  });

  it('refuses bad input in French, naming what is wrong, and saves nothing', async () => {
    const before = (await t.call('visits:list', { personId: lucie, from: '2027-01-01T00:00', to: '2027-12-31T00:00' })).items.length;
    expect(await caught(t.call('visits:plan', { personId: lucie, at: '2027-02-30T10:00' }))).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('2027-02-30T10:00') });
    expect(await caught(t.call('visits:plan', { personId: lucie, at: 'demain' }))).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('AAAA-MM-JJTHH:MM') });
    expect(await caught(t.call('visits:plan', { personId: lucie, at: '2027-06-01T10:00', recurrence: { interval: 1, until: '2027-05-01' } }))).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('précède') });
    expect(await caught(t.call('visits:plan', { personId: lucie, volunteerId: lucie, at: '2027-06-01T10:00' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await caught(t.call('volunteers:save', { personId: v['Anne']!, availability: [{ weekday: 1, start: '09:00', end: '12:00' }, { weekday: 1, start: '11:00', end: '13:00' }] })),
    ).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('lundi') });
    expect((await t.call('visits:list', { personId: lucie, from: '2027-01-01T00:00', to: '2027-12-31T00:00' })).items.length).toBe(before);
    expect((await t.call('volunteers:get', { personId: v['Anne']! }))!.availability).toEqual([{ weekday: TUE, start: '14:00', end: '18:00' }]);
  });

  it('a gap within 72 hours gives the circle coordinator a task and a notice', async () => {
    const rose = await person(t, 'Rose', 'Petit');
    const coord = await addUser(t, 'coordination', 'coordinator');
    await t.call('circles:create', { name: 'Galaxie Rose', personId: rose, coordinatorUserId: coord });
    const base = DateTime.now().setZone('Europe/Paris'); // one base: every time below is whole hours apart
    const local = (h: number) => base.plus({ hours: h }).toFormat("yyyy-MM-dd'T'HH:mm");
    await t.call('visits:plan', { personId: rose, volunteerId: v['Anne']!, at: local(1) });
    const middle = (await t.call('visits:plan', { personId: rose, volunteerId: v['Anne']!, at: local(30) })).ids[0]!;
    await t.call('visits:plan', { personId: rose, volunteerId: v['Anne']!, at: local(60) });
    await t.call('visits:plan', { personId: rose, volunteerId: v['Anne']!, at: local(90) });
    const tasksBefore = (await t.call('tasks:list', { view: 'all', personId: rose })).items.length;
    await t.call('visits:cancel', { id: middle });
    const tasks = (await t.call('tasks:list', { view: 'all', personId: rose })).items;
    expect(tasks.length).toBe(tasksBefore + 1);
    expect(tasks[0]).toMatchObject({ assigneeId: coord, priority: 'high', title: expect.stringMatching(/^Visite à prévoir : aucune visite du .* \(59 h\)$/) });
    await switchTo(t, 'coordination');
    const notices = (await t.call('visits:notices', {})).items;
    expect(notices).toEqual([expect.objectContaining({ personId: rose, personName: 'Rose Petit', gap: expect.objectContaining({ hours: 59 }) })]);
    await switchTo(t, 'admin');
  });

  it('an alert counts from the last visit made, not from now, and ignores a gap breaking after 72 hours', async () => {
    const jean = await person(t, 'Jean', 'Moreau');
    const me = (await t.call('session:current', {}))!.user.id;
    await t.call('circles:create', { name: 'Galaxie Jean', personId: jean, coordinatorUserId: me });
    const base = DateTime.now().setZone('Europe/Paris'); // one base: every time below is whole hours apart
    const local = (h: number) => base.plus({ hours: h }).toFormat("yyyy-MM-dd'T'HH:mm");
    const past = (await t.call('visits:plan', { personId: jean, volunteerId: v['Anne']!, at: local(-10) })).ids[0]!;
    await t.call('visits:done', { id: past, minutesSpent: 30 });
    const soon = (await t.call('visits:plan', { personId: jean, volunteerId: v['Anne']!, at: local(30) })).ids[0]!;
    await t.call('visits:plan', { personId: jean, volunteerId: v['Anne']!, at: local(50) });
    const far = (await t.call('visits:plan', { personId: jean, volunteerId: v['Anne']!, at: local(100) })).ids[0]!;
    const notices = async () => (await t.call('visits:notices', {})).items.filter((n) => n.personId === jean).map((n) => n.gap.hours);
    // −10 h → +50 h → +100 h: the 50-hour stretch breaks the rule at +98 h, after the horizon.
    expect(await notices()).toEqual([]);
    await t.call('visits:cancel', { id: far });
    expect(await notices()).toEqual([]);
    const tasks = async () => (await t.call('tasks:list', { view: 'all', personId: jean })).items.map((x) => x.title);
    expect(await tasks()).toEqual([]);
    // Cancelling +30 h leaves −10 h → +50 h: 60 hours, breaking at +38 h.
    await t.call('visits:cancel', { id: soon });
    expect(await notices()).toEqual([60]);
    expect(await tasks()).toEqual([expect.stringMatching(/^Visite à prévoir : aucune visite du .* \(60 h\)$/)]);
  });
});

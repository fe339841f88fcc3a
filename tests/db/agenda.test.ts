/**
 * The agenda through the contract (dispatch → handler → service, docs/agenda.md): a weekly series listed by day range
 * across the summer-time change, one occurrence moved (a second move replaces the first) and one cancelled; « Mon
 * agenda »; a narrow event sealed in the database and absent for others; refusals (permission, unknown zone,
 * occurrence not in the series, end before start, unknown person) with French messages and nothing saved; the
 * iCalendar export of « Mon agenda » read back by ical.js; erasure of a person removes their event links.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { newTestCore, type TestCore } from '../helpers/core';
import { addUser, caught, expectForbidden, switchTo } from '../helpers/access';
import { readZip } from '../../main/services/portability/zip';

const SECRET = 'Rendez-vous au Planning familial';

describe('agenda', () => {
  let t: TestCore;
  let awa: string;
  const db = () => t.core.session()!.ctx.db;
  const me = async () => (await t.call('session:current', {}))!.user.id;

  beforeEach(async () => {
    t = await newTestCore();
    awa = (await t.call('people:create', { person: { firstName: 'Awa', lastName: 'Diallo' } })).id;
  });
  afterEach(async () => t.cleanup());

  const series = (over: Record<string, unknown> = {}) => ({
    kind: 'permanence' as const,
    title: 'Permanence du jeudi',
    place: 'Local, 12 rue Oberkampf',
    start: '2026-03-19T14:00',
    minutes: 120,
    recurrence: { everyWeeks: 1, until: '2026-04-16' },
    personIds: [awa],
    ...over,
  });

  it('lists a weekly series across the March change, with one occurrence moved and one cancelled', async () => {
    const { id } = await t.call('agenda:create', { event: series() });
    let items = (await t.call('agenda:list', { from: '2026-03-16', to: '2026-04-05' })).items;
    expect(items.map((o) => [o.startLocal, o.start])).toEqual([
      ['2026-03-19T14:00', '2026-03-19T13:00:00.000Z'],
      ['2026-03-26T14:00', '2026-03-26T13:00:00.000Z'],
      ['2026-04-02T14:00', '2026-04-02T12:00:00.000Z'],
    ]);
    expect(items[0]).toMatchObject({ source: 'event', id, kind: 'permanence', title: 'Permanence du jeudi', place: 'Local, 12 rue Oberkampf', recurring: true, moved: false, people: [{ id: awa, name: 'Awa Diallo' }] });

    await t.call('agenda:moveOccurrence', { id, occurrence: '2026-03-26T14:00', start: '2026-03-27T09:00' });
    await t.call('agenda:moveOccurrence', { id, occurrence: '2026-03-26T14:00', start: '2026-03-27T10:00', minutes: 60 });
    await t.call('agenda:cancelOccurrence', { id, occurrence: '2026-04-02T14:00' });
    items = (await t.call('agenda:list', { from: '2026-03-16', to: '2026-04-12' })).items;
    expect(items.map((o) => [o.occurrence, o.startLocal, o.end, o.moved])).toEqual([
      ['2026-03-19T14:00', '2026-03-19T14:00', '2026-03-19T15:00:00.000Z', false],
      ['2026-03-26T14:00', '2026-03-27T10:00', '2026-03-27T10:00:00.000Z', true],
      ['2026-04-09T14:00', '2026-04-09T14:00', '2026-04-09T14:00:00.000Z', false],
    ]);
    expect(await db()('event_exceptions').where({ event_id: id }).count({ n: '*' })).toEqual([{ n: 2 }]);
    const event = await t.call('agenda:get', { id });
    expect(event.exceptions).toEqual([
      { occurrence: '2026-03-26T14:00', cancelled: false, start: '2026-03-27T10:00', minutes: 60 },
      { occurrence: '2026-04-02T14:00', cancelled: true, start: null, minutes: null },
    ]);
    const audit = await db()('audit_log').whereIn('action', ['agenda.create', 'agenda.occurrence']).count({ n: '*' });
    expect(audit).toEqual([{ n: 4 }]);
    const log = (await db()('change_log').whereIn('table_name', ['events', 'event_exceptions', 'event_people']).distinct('table_name')) as { table_name: string }[];
    expect(log.map((r) => r.table_name).sort()).toEqual(['event_exceptions', 'event_people', 'events']);
  });

  it('refuses bad input with a French message and saves nothing', async () => {
    const { id } = await t.call('agenda:create', { event: series() });
    const before = await db()('events').count({ n: '*' });
    expect(await caught(t.call('agenda:create', { event: series({ timeZone: 'Europe/Atlantis' }) }))).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('Fuseau horaire inconnu : Europe/Atlantis') });
    expect(await caught(t.call('agenda:create', { event: series({ recurrence: { everyWeeks: 1, until: '2026-03-01' } }) }))).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining("Répéter jusqu’au : la fin de la répétition précède le début") });
    expect(await caught(t.call('agenda:create', { event: series({ start: '2026-02-30T10:00' }) }))).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining("Début : cette date n’existe pas") });
    expect(await caught(t.call('agenda:create', { event: series({ personIds: ['0190c0de-0000-7000-8000-00000000dead'] }) }))).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('personne concernée') });
    expect(await caught(t.call('agenda:moveOccurrence', { id, occurrence: '2026-03-27T14:00', start: '2026-03-28T14:00' }))).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining("La série n'a pas d'occurrence le 2026-03-27 à 14:00") });
    expect(await caught(t.call('agenda:cancelOccurrence', { id, occurrence: '2026-04-23T14:00' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await db()('events').count({ n: '*' })).toEqual(before);
    expect(await db()('event_exceptions').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('« Mon agenda » shows what names the user; a narrow event is sealed and absent for the others', async () => {
    const bea = await addUser(t, 'bea', 'volunteer');
    await addUser(t, 'carl', 'coordinator');
    await t.call('agenda:create', { event: series({ kind: 'visit', title: 'Visite chez Awa', userIds: [bea], recurrence: null, personIds: [] }) });
    await t.call('agenda:create', { event: series({ kind: 'meeting', title: 'Réunion de bureau', recurrence: null, personIds: [] }) });
    const { id } = await t.call('agenda:create', { event: series({ kind: 'appointment', title: SECRET, place: 'Planning, 10 rue Vivienne', recurrence: null, personIds: [], userIds: [bea], visibility: { kind: 'users', userIds: [bea] } }) });
    const row = (await db()('events').where({ id }).first()) as Record<string, string | null>;
    expect(row).toMatchObject({ title: '', place: null, description: null });
    expect(JSON.stringify(row)).not.toContain('Planning');

    await switchTo(t, 'bea');
    const mine = (await t.call('agenda:list', { from: '2026-03-19', to: '2026-03-19', mine: true })).items;
    expect(mine.map((o) => o.title).sort()).toEqual([SECRET, 'Visite chez Awa']);
    expect(mine.find((o) => o.title === SECRET)!.users).toEqual([{ id: bea, name: 'bea' }]);
    await switchTo(t, 'carl');
    const all = (await t.call('agenda:list', { from: '2026-03-19', to: '2026-03-19' })).items.map((o) => o.title).sort();
    expect(all).toEqual(['Réunion de bureau', 'Visite chez Awa']);
    expect((await t.call('agenda:list', { from: '2026-03-19', to: '2026-03-19', mine: true })).items).toEqual([]);
    expect(await caught(t.call('agenda:get', { id }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await caught(t.call('agenda:update', { id, event: series({ title: 'Autre' }) }))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses without the permissions, naming them', async () => {
    const { id } = await t.call('agenda:create', { event: series() });
    await addUser(t, 'tresor', 'treasurer');
    await addUser(t, 'lecteur', 'readonly');
    await switchTo(t, 'tresor');
    await expectForbidden(t.call('agenda:list', { from: '2026-03-19', to: '2026-03-19' }), 'agenda.read');
    await expectForbidden(t.call('agenda:exportIcs', {}), 'agenda.read');
    await switchTo(t, 'lecteur');
    expect((await t.call('agenda:list', { from: '2026-03-19', to: '2026-03-19' })).items).toHaveLength(1);
    await expectForbidden(t.call('agenda:create', { event: series() }), 'agenda.write');
    await expectForbidden(t.call('agenda:cancelOccurrence', { id, occurrence: '2026-03-19T14:00' }), 'agenda.write');
    await expectForbidden(t.call('agenda:remove', { id }), 'agenda.write');
  });

  it('exports « Mon agenda » as iCalendar that ical.js reads, with the moved occurrence', async () => {
    const { id } = await t.call('agenda:create', { event: series({ userIds: [await me()] }) });
    await t.call('agenda:moveOccurrence', { id, occurrence: '2026-03-26T14:00', start: '2026-03-27T10:00' });
    await t.call('agenda:create', { event: series({ title: 'Ailleurs', userIds: [] }) }); // written by me: mine too
    const out = await t.call('agenda:exportIcs', {});
    expect(out).toMatchObject({ fileName: 'agenda-admin.ics', events: 2 });
    const cal = new ICAL.Component(ICAL.parse(out.ics));
    const vevents = cal.getAllSubcomponents('vevent');
    expect(vevents.map((v) => v.getFirstPropertyValue('uid'))).toEqual([`${id}@solidariciel`, `${id}@solidariciel`, expect.stringMatching(/@solidariciel$/)]);
    const moved = vevents.find((v) => v.hasProperty('recurrence-id'))!;
    expect(String(moved.getFirstPropertyValue('recurrence-id'))).toBe('2026-03-26T14:00:00');
    expect(await db()('audit_log').where({ action: 'agenda.export' }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('hands the events naming a person over in their export (RGPD art. 15 and 20)', async () => {
    await t.call('agenda:create', { event: series() });
    await t.call('agenda:create', { event: series({ title: 'Sans Awa', personIds: [] }) });
    const { zip } = await t.call('people:exportData', { id: awa });
    const files = await readZip(zip, 1e9);
    const data = JSON.parse(files.get('personne.json')!.toString('utf8')) as { events: unknown[] };
    expect(data.events).toEqual([{ kind: 'permanence', title: 'Permanence du jeudi', place: 'Local, 12 rue Oberkampf', start: '2026-03-19T14:00', timeZone: 'Europe/Paris', minutes: 120, everyWeeks: 1, until: '2026-04-16' }]);
  });

  it('removing an event hides all its occurrences; erasing a person removes their links to events', async () => {
    const { id } = await t.call('agenda:create', { event: series() });
    const other = (await t.call('agenda:create', { event: series({ title: 'Autre' }) })).id;
    await t.call('agenda:remove', { id });
    expect((await t.call('agenda:list', { from: '2026-03-16', to: '2026-04-30' })).items.every((o) => o.id === other)).toBe(true);
    await t.call('people:erase', { id: awa, confirmName: 'Awa Diallo' });
    expect(await db()('event_people').where({ person_id: awa }).count({ n: '*' })).toEqual([{ n: 0 }]);
    expect((await t.call('agenda:get', { id: other })).personIds).toEqual([]);
  });
});

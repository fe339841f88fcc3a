/**
 * The iCalendar output (RFC 5545) read back by a real parser (ical.js, as calendar applications use it): the series'
 * instants across both summer-time changes, EXDATE for a cancelled occurrence, a moved occurrence as a VEVENT with
 * RECURRENCE-ID, UNTIL, a stable UID, DTSTAMP in UTC, text escaping, and a visit with its zone.
 */
import { describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import type { AgendaEvent } from '../../../shared/domain/agenda';
import { icsFileName, writeICalendar } from '../../../main/services/agenda/icalendar';

const ID = '0190c0de-0000-7000-8000-000000000001';
const series: AgendaEvent = {
  id: ID,
  kind: 'meeting',
  title: 'Réunion, équipe; « bénévoles »',
  place: 'Salle 1\nrez-de-chaussée',
  description: null,
  start: '2026-03-12T14:00',
  minutes: 90,
  timeZone: 'Europe/Paris',
  recurrence: { everyWeeks: 1, until: '2026-04-09' },
  personIds: [],
  userIds: [],
  visibility: { kind: 'everyone' },
  exceptions: [
    { occurrence: '2026-03-26T14:00', cancelled: true, start: null, minutes: null },
    { occurrence: '2026-04-02T14:00', cancelled: false, start: '2026-04-03T10:00', minutes: 60 },
  ],
  createdBy: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
};

/** Every occurrence of the file's first series as [UTC start, UTC end], expanded by ical.js. */
function occurrences(ics: string): { uid: string; list: [string, string][]; events: ICAL.Component[] } {
  const cal = new ICAL.Component(ICAL.parse(ics));
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const events = cal.getAllSubcomponents('vevent');
  const master = new ICAL.Event(events.find((v) => v.hasProperty('rrule'))!, { exceptions: events.filter((v) => v.hasProperty('recurrence-id')) });
  const it = master.iterator();
  const list: [string, string][] = [];
  for (let next = it.next(); next && list.length < 50; next = it.next()) {
    const d = master.getOccurrenceDetails(next);
    list.push([d.startDate.toJSDate().toISOString(), d.endDate.toJSDate().toISOString()]);
  }
  return { uid: master.uid, list, events };
}

describe('iCalendar export read back by ical.js', () => {
  const ics = writeICalendar('Agenda de Béa', [series], [{ id: 'a1b2c3d4-0000-7000-8000-000000000009', title: 'Visite chez Mme Martin', start: '2026-10-25T13:00:00.000Z', minutes: 45, timeZone: 'Europe/Paris', cancelled: false }], new Date('2026-03-01T08:00:00Z'));

  it('gives the series instants across the March change, without the cancelled one, with the moved one', () => {
    const { uid, list } = occurrences(ics);
    expect(uid).toBe(`${ID}@solidariciel`);
    expect(list).toEqual([
      ['2026-03-12T13:00:00.000Z', '2026-03-12T14:30:00.000Z'],
      ['2026-03-19T13:00:00.000Z', '2026-03-19T14:30:00.000Z'],
      // 26/03 cancelled (EXDATE); from 29/03 Paris is UTC+2: 14:00 local is 12:00Z
      ['2026-04-03T08:00:00.000Z', '2026-04-03T09:00:00.000Z'],
      ['2026-04-09T12:00:00.000Z', '2026-04-09T13:30:00.000Z'],
    ]);
  });

  it('writes the RFC 5545 properties: TZID and VTIMEZONE, RRULE with UNTIL in UTC, EXDATE, RECURRENCE-ID, DTSTAMP in UTC', () => {
    const unfolded = ics.replace(/\r\n[ \t]/g, '');
    expect(unfolded).toContain('BEGIN:VTIMEZONE\r\nTZID:Europe/Paris');
    expect(unfolded).toContain('DTSTART;TZID=Europe/Paris:20260312T140000');
    expect(unfolded).toMatch(/RRULE:FREQ=WEEKLY;INTERVAL=1;UNTIL=20260409T215959Z/);
    expect(unfolded).toContain('EXDATE;TZID=Europe/Paris:20260326T140000');
    expect(unfolded).toContain('RECURRENCE-ID;TZID=Europe/Paris:20260402T140000');
    expect(unfolded).toContain('DTSTAMP:20260301T080000Z');
    expect(ics.split('\r\n').every((l) => new TextEncoder().encode(l).length <= 75)).toBe(true);
  });

  it('keeps texts intact through escaping and a visit on the October change at its real instant', () => {
    const { events } = occurrences(ics);
    const master = new ICAL.Event(events[0]!);
    expect(master.summary).toBe('Réunion, équipe; « bénévoles »');
    expect(master.location).toBe('Salle 1\nrez-de-chaussée');
    const visit = new ICAL.Event(events.find((v) => String(v.getFirstPropertyValue('uid')).startsWith('visit-'))!);
    // 25/10/2026 at 14:00 in Paris is after the change back to UTC+1: 13:00Z
    expect(visit.startDate.toJSDate().toISOString()).toBe('2026-10-25T13:00:00.000Z');
    expect(visit.startDate.toString()).toBe('2026-10-25T14:00:00');
    expect(visit.endDate.toJSDate().toISOString()).toBe('2026-10-25T13:45:00.000Z');
  });

  it('writes the same UID for the same event in every export (a re-import updates, never duplicates)', () => {
    const again = writeICalendar('Agenda', [{ ...series, title: 'Autre titre' }], [], new Date('2026-06-01T00:00:00Z'));
    expect(occurrences(again).uid).toBe(occurrences(ics).uid);
  });

  it('names the file from a label', () => {
    expect(icsFileName('Béa Martin')).toBe('agenda-bea-martin.ics');
    expect(icsFileName('///')).toBe('agenda-export.ics');
  });
});

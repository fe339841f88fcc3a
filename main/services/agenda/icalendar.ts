/**
 * iCalendar (RFC 5545) output of agenda events and planned visits, written by `ical-generator` with VTIMEZONE blocks
 * from `timezones-ical-library` (docs/agenda.md "iCalendar"):
 * - one VEVENT per event, UID `<event id>@solidariciel` (stable: a calendar application re-importing the file
 *   updates the event instead of adding a copy), DTSTART/DTEND with the event's TZID (RFC 5545 §3.3.5 form 3), so a
 *   weekly series keeps its local time across summer-time changes;
 * - a series: RRULE FREQ=WEEKLY;INTERVAL=N[;UNTIL=…] (§3.3.10: UNTIL in UTC, the end of the last local day), a
 *   cancelled occurrence in EXDATE (§3.8.5.1), a moved one as its own VEVENT with the same UID and a RECURRENCE-ID
 *   naming its original local start (§3.8.4.4);
 * - visits (from the visit rota) as single VEVENTs, UID `visit-<id>@solidariciel`.
 * Only what the reader could read in the app goes into the file (the caller passes decrypted events).
 */
import { DateTime } from 'luxon';
import { ICalCalendar, ICalEventRepeatingFreq, ICalEventStatus } from 'ical-generator';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import type { AgendaEvent, EventKind } from '../../../shared/domain/agenda';
import { localToDateTime } from './recurrence';

/** French words for an event's kind, written as the event's CATEGORIES. */
export const EVENT_KIND_LABELS_FR: Record<EventKind, string> = {
  visit: 'Visite',
  appointment: 'Rendez-vous',
  meeting: 'Réunion',
  permanence: 'Permanence',
};

/** A planned visit as the calendar shows it (volunteers' visit rota). `start`: UTC instant (ISO); `minutes`: duration. */
export interface CalendarVisit {
  id: string;
  title: string;
  start: string;
  minutes: number;
  timeZone: string;
  cancelled: boolean;
}

/** The VTIMEZONE block of an IANA zone (null when the library does not know it: times then go out in UTC). */
function vtimezone(zone: string): string | null {
  const block = tzlib_get_ical_block(zone);
  const text = Array.isArray(block) ? block[0] : null;
  return text && text.includes('BEGIN:VTIMEZONE') ? text : null;
}

/**
 * The text of an iCalendar file (`\r\n` line ends, folded at 75 octets) holding `events` and `visits`.
 * `name`: the calendar's name (X-WR-CALNAME). `stamp`: DTSTAMP of every component (the export's time).
 */
export function writeICalendar(name: string, events: readonly AgendaEvent[], visits: readonly CalendarVisit[], stamp: Date): string {
  const stampUtc = DateTime.fromJSDate(stamp, { zone: 'utc' });
  const cal = new ICalCalendar({
    name,
    prodId: { company: 'Solidariciel', product: 'Agenda', language: 'FR' },
    // No calendar-wide zone (name ''): DTSTAMP, LAST-MODIFIED and UNTIL then go out in UTC as RFC 5545 asks; the
    // generator still writes one VTIMEZONE per zone the events use.
    timezone: { name: '', generator: vtimezone },
  });
  for (const e of events) {
    const start = localToDateTime(e.start, e.timeZone);
    const common = {
      id: `${e.id}@solidariciel`,
      stamp: stampUtc,
      timezone: e.timeZone,
      summary: e.title,
      location: e.place ?? undefined,
      description: e.description ?? undefined,
      categories: [{ name: EVENT_KIND_LABELS_FR[e.kind] }],
      lastModified: DateTime.fromISO(e.updatedAt, { zone: 'utc' }),
    };
    const cancelled = e.exceptions.filter((x) => x.cancelled).map((x) => localToDateTime(x.occurrence, e.timeZone));
    cal.createEvent({
      ...common,
      start,
      end: start.plus({ minutes: e.minutes }),
      repeating: e.recurrence
        ? {
            freq: ICalEventRepeatingFreq.WEEKLY,
            interval: e.recurrence.everyWeeks,
            ...(e.recurrence.until ? { until: localToDateTime(e.recurrence.until, e.timeZone).endOf('day').toUTC() } : {}),
            ...(cancelled.length ? { exclude: cancelled, excludeTimezone: e.timeZone } : {}),
          }
        : null,
    });
    if (!e.recurrence) continue;
    for (const x of e.exceptions) {
      if (x.cancelled || !x.start) continue;
      const moved = localToDateTime(x.start, e.timeZone);
      cal.createEvent({ ...common, recurrenceId: localToDateTime(x.occurrence, e.timeZone), start: moved, end: moved.plus({ minutes: x.minutes ?? e.minutes }) });
    }
  }
  for (const v of visits) {
    // Always luxon DateTimes: ical-generator reads a JS Date with a TZID in the process's own zone.
    const start = DateTime.fromISO(v.start, { zone: 'utc' }).setZone(v.timeZone);
    cal.createEvent({
      id: `visit-${v.id}@solidariciel`,
      stamp: stampUtc,
      timezone: v.timeZone,
      summary: v.title,
      categories: [{ name: EVENT_KIND_LABELS_FR.visit }],
      start,
      end: start.plus({ minutes: v.minutes }),
      ...(v.cancelled ? { status: ICalEventStatus.CANCELLED } : {}),
    });
  }
  return cal.toString();
}

/** A file name for an export: `agenda-<slug>.ics` (letters, digits and dashes). */
export function icsFileName(label: string): string {
  const slug = label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `agenda-${slug || 'export'}.ics`;
}

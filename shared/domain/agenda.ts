/**
 * The agenda (docs/agenda.md): events — a visit, an appointment (rendez-vous), a meeting (réunion), a permanence —
 * with a place, an IANA time zone (Europe/Paris by default), an optional weekly recurrence (every N weeks, until a
 * date) whose single occurrences can be moved or cancelled, the people and users involved, and the visibility every
 * record has (title, place and description sealed when narrower than the association).
 *
 * Times: an event's start is a local wall-clock time `YYYY-MM-DDTHH:MM` in its time zone, so a weekly event at 14:00
 * stays at 14:00 across the summer-time changes (RFC 5545 §3.3.10: DTSTART with TZID). Occurrences travel with their
 * UTC instants (`start`, `end`) as well, for display in any zone.
 */
import { z } from 'zod';
import { id, instant, isoDate, optionalText } from './common';
import { visibility } from './access';
import { isIsoDay } from './dates';

export const EVENT_KINDS = ['visit', 'appointment', 'meeting', 'permanence'] as const;
export const eventKind = z.enum(EVENT_KINDS);
export type EventKind = z.infer<typeof eventKind>;

/** The time zone of an event when none is given (the office's). */
export const DEFAULT_TIME_ZONE = 'Europe/Paris';

/** At most this many weeks between two occurrences of a recurring event. */
export const MAX_EVERY_WEEKS = 52;

/** A local wall-clock time `YYYY-MM-DDTHH:MM` (no seconds, no offset) naming a real day and time. */
export const localDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/, { message: 'date et heure attendues au format AAAA-MM-JJTHH:MM.', abort: true })
  .refine((s) => isIsoDay(s.slice(0, 10)), 'cette date n’existe pas.');
export type LocalDateTime = z.infer<typeof localDateTime>;

/** An IANA time zone name (`Europe/Paris`, `America/Cayenne`); checked against the runtime's zone list by the core. */
export const timeZone = z.string().trim().min(1).max(64).regex(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/, 'fuseau horaire attendu (par exemple Europe/Paris).');

/** Weekly recurrence (RFC 5545 FREQ=WEEKLY;INTERVAL=everyWeeks;UNTIL=until): `until` is the last local day included. */
export const recurrence = z.object({
  everyWeeks: z.number().int().min(1).max(MAX_EVERY_WEEKS),
  until: isoDate.nullable().optional().transform((v) => v ?? null),
});
export type Recurrence = z.output<typeof recurrence>;

export const eventInput = z
  .object({
    kind: eventKind,
    title: z.string().trim().min(1, 'titre obligatoire').max(300),
    place: optionalText(300),
    description: optionalText(5000),
    start: localDateTime,
    /** Duration in minutes (at most a week). */
    minutes: z.number().int().min(1).max(7 * 24 * 60),
    timeZone: timeZone.default(DEFAULT_TIME_ZONE),
    recurrence: recurrence.nullable().optional().transform((v) => v ?? null),
    /** People (personnes) the event is about or with. */
    personIds: z.array(id).max(50).default([]),
    /** Users (utilisateurs) taking part: « Mon agenda » shows the events that name the current user. */
    userIds: z.array(id).max(50).default([]),
    /** Who may read the title, place and description (sealed when narrower than everyone). */
    visibility: visibility.default({ kind: 'everyone' }),
  })
  .refine((e) => !e.recurrence?.until || e.recurrence.until >= e.start.slice(0, 10), { message: 'la fin de la répétition précède le début', path: ['recurrence', 'until'] });
export type EventInput = z.output<typeof eventInput>;

/** One occurrence of a recurring event moved or cancelled, named by its original local start (RECURRENCE-ID). */
export const eventException = z.object({
  occurrence: localDateTime,
  cancelled: z.boolean(),
  /** The new local start and duration of a moved occurrence (null when cancelled). */
  start: localDateTime.nullable(),
  minutes: z.number().int().min(1).max(7 * 24 * 60).nullable(),
});
export type EventException = z.infer<typeof eventException>;

export const agendaEvent = z.object({
  id,
  kind: eventKind,
  title: z.string(),
  place: z.string().nullable(),
  description: z.string().nullable(),
  start: localDateTime,
  minutes: z.number().int(),
  timeZone: z.string(),
  recurrence: recurrence.nullable(),
  personIds: z.array(id),
  userIds: z.array(id),
  visibility,
  exceptions: z.array(eventException),
  createdBy: z.string().nullable(),
  createdAt: instant,
  updatedAt: instant,
});
export type AgendaEvent = z.infer<typeof agendaEvent>;

/** Where an occurrence comes from: an agenda event, or a visit planned on the visit rota. */
export const OCCURRENCE_SOURCES = ['event', 'visit'] as const;

/** One dated occurrence as the views show it. `occurrence` is its original local start (its RECURRENCE-ID). */
export const occurrence = z.object({
  source: z.enum(OCCURRENCE_SOURCES),
  /** The event's id, or the visit's id. */
  id,
  occurrence: localDateTime,
  kind: eventKind,
  title: z.string(),
  place: z.string().nullable(),
  /** Local start in `timeZone`, and the UTC instants. */
  startLocal: localDateTime,
  timeZone: z.string(),
  start: instant,
  end: instant,
  recurring: z.boolean(),
  moved: z.boolean(),
  /** The people involved that the reader may see, and the users taking part, with their names. */
  people: z.array(z.object({ id, name: z.string() })),
  users: z.array(z.object({ id, name: z.string() })),
  /** A visit's state on the rota (planned, done, missed); null for agenda events. */
  visitStatus: z.enum(['planned', 'done', 'missed']).nullable(),
});
export type Occurrence = z.infer<typeof occurrence>;

/** A range of local days [from, to] (both included, at most 366 days) in the office's time zone. */
export const dayRange = z
  .object({ from: isoDate, to: isoDate })
  .refine((r) => r.from <= r.to, { message: 'la fin précède le début', path: ['to'] })
  .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= 366 * 86_400_000, { message: 'un an au plus', path: ['to'] });

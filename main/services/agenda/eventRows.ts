/**
 * Reading agenda events back: the row shape of `events` (migration 0140), its exceptions and people, and the
 * decryption of the sealed title, place and description (docs/access.md "Keys"). A row the user cannot decrypt is
 * left out, as if it did not exist.
 */
import type { Knex } from 'knex';
import type { AgendaEvent, EventException, EventKind } from '../../../shared/domain/agenda';
import type { Visibility } from '../../../shared/domain/access';
import { parseStoredVisibility } from '../access/storedVisibility';
import type { ServiceContext } from '../context';

export const EVENTS = 'events';
export const EXCEPTIONS = 'event_exceptions';
export const EVENT_PEOPLE = 'event_people';

export interface EventRow {
  id: string;
  kind: EventKind;
  title: string;
  place: string | null;
  description: string | null;
  start_local: string;
  time_zone: string;
  minutes: number;
  every_weeks: number | null;
  until: string | null;
  starts_at: string;
  ends_on: string | null;
  user_ids: string;
  created_by: string | null;
  visibility: string;
  ciphertext: string | null;
  key_wraps: string | null;
  created_at: string;
  updated_at: string;
}

interface ExceptionRow {
  id: string;
  event_id: string;
  occurrence: string;
  cancelled: number;
  start_local: string | null;
  minutes: number | null;
}

/** The confidential part of an event: sealed together when the visibility is narrower than everyone. */
export interface EventContent {
  title: string;
  place: string | null;
  description: string | null;
}

function stringArray(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** The title, place and description of a row, or null when the user cannot decrypt them. */
export async function eventContent(ctx: ServiceContext, r: EventRow, visibility: Visibility): Promise<EventContent | null> {
  if (visibility.kind === 'everyone' && r.ciphertext === null) return { title: r.title, place: r.place, description: r.description };
  const f = await ctx.scopes.openRecord<{ title?: unknown; place?: unknown; description?: unknown }>(EVENTS, r.id, r.ciphertext, r.key_wraps);
  if (!f || typeof f.title !== 'string') return null;
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return { title: f.title, place: text(f.place), description: text(f.description) };
}

/** Live exceptions of the events `ids`, by event id. */
async function exceptionsOf(db: Knex | Knex.Transaction, ids: readonly string[]): Promise<Map<string, EventException[]>> {
  const out = new Map<string, EventException[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = (await db(EXCEPTIONS).whereIn('event_id', ids.slice(i, i + 500)).whereNull('deleted_at').orderBy('occurrence')) as ExceptionRow[];
    for (const r of rows) {
      const list = out.get(r.event_id) ?? [];
      list.push({ occurrence: r.occurrence, cancelled: r.cancelled === 1, start: r.cancelled === 1 ? null : r.start_local, minutes: r.cancelled === 1 ? null : r.minutes });
      out.set(r.event_id, list);
    }
  }
  return out;
}

/** Live people of the events `ids`, by event id. */
async function peopleOf(db: Knex | Knex.Transaction, ids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = (await db(EVENT_PEOPLE).whereIn('event_id', ids.slice(i, i + 500)).whereNull('deleted_at').orderBy('created_at').select('event_id', 'person_id')) as { event_id: string; person_id: string }[];
    for (const r of rows) out.set(r.event_id, [...(out.get(r.event_id) ?? []), r.person_id]);
  }
  return out;
}

/** The events of `rows` the user can decrypt, with their exceptions and people. */
export async function readEvents(ctx: ServiceContext, db: Knex | Knex.Transaction, rows: readonly EventRow[]): Promise<AgendaEvent[]> {
  const ids = rows.map((r) => r.id);
  const [exceptions, people] = await Promise.all([exceptionsOf(db, ids), peopleOf(db, ids)]);
  const out: AgendaEvent[] = [];
  for (const r of rows) {
    const visibility = parseStoredVisibility(r.visibility);
    const content = await eventContent(ctx, r, visibility);
    if (!content) continue;
    out.push({
      id: r.id,
      kind: r.kind,
      ...content,
      start: r.start_local,
      minutes: r.minutes,
      timeZone: r.time_zone,
      recurrence: r.every_weeks ? { everyWeeks: r.every_weeks, until: r.until } : null,
      personIds: people.get(r.id) ?? [],
      userIds: stringArray(r.user_ids),
      visibility,
      exceptions: exceptions.get(r.id) ?? [],
      createdBy: r.created_by,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    });
  }
  return out;
}

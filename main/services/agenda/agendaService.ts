/**
 * The agenda (docs/agenda.md): events with a time zone, a weekly recurrence whose occurrences can be moved or
 * cancelled, the people and users involved, and a visibility (title, place and description sealed when narrower than
 * the association, as for tasks: docs/access.md "Keys").
 *
 * Access: `agenda.read` lists the events the user can decrypt; `agenda.write` creates and changes them. Only the
 * author of an event narrower than everyone changes its title, place, description or visibility (a reseal wraps the
 * record key for its writer; anyone else would lock the author out) — times, people and occurrences stay changeable.
 * Every write goes through the Mutator and is audited (agenda.create, agenda.update, agenda.remove, agenda.occurrence).
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { canonicalVisibility, type Visibility } from '../../../shared/domain/access';
import { AppError } from '../../../shared/domain/errors';
import type { AgendaEvent, EventInput, Occurrence } from '../../../shared/domain/agenda';
import type { Row } from '../../db/mutations';
import { scopeIdOf } from '../access/scopeKeys';
import type { ServiceContext } from '../context';
import { EVENTS, EVENT_PEOPLE, EXCEPTIONS, readEvents, type EventContent, type EventRow } from './eventRows';
import { VisitOccurrences } from './visitOccurrences';
import { checkTimeZone, dayRangeMillis, expand, isOccurrenceOf, localToDateTime, scheduleBounds } from './recurrence';

const NOT_FOUND = () => new AppError('NOT_FOUND', 'Événement introuvable.');

/** A change to one occurrence of a series: moved to a new local start (and duration), or cancelled. */
export type OccurrenceChange = { cancelled: true } | { cancelled: false; start: string; minutes: number | null };

/** Names of the event fields that differ (audit trail: names only). */
function changedFields(before: AgendaEvent, after: EventInput): string[] {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const fields = ['kind', 'title', 'place', 'description', 'start', 'minutes', 'timeZone', 'recurrence'] as const;
  const out: string[] = fields.filter((f) => !same(before[f] ?? null, after[f] ?? null));
  if (!same([...before.personIds].sort(), [...after.personIds].sort())) out.push('personIds');
  if (!same([...before.userIds].sort(), [...after.userIds].sort())) out.push('userIds');
  if (!same(canonicalVisibility(before.visibility), canonicalVisibility(after.visibility))) out.push('visibility');
  return out;
}

export class AgendaService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Live event rows whose occurrences may fall in [fromMs, toMs) (a moved occurrence: within a week of its series). */
  private rowsIn(db: Knex | Knex.Transaction, fromMs: number, toMs: number): Knex.QueryBuilder {
    const fromDay = new Date(fromMs - 7 * 86_400_000).toISOString().slice(0, 10);
    return db(EVENTS)
      .whereNull('deleted_at')
      .where('starts_at', '<', new Date(toMs + 7 * 86_400_000).toISOString())
      .where((w) => w.whereNull('ends_on').orWhere('ends_on', '>=', fromDay))
      .orderBy('starts_at');
  }

  /**
   * The occurrences of the local days `from`..`to` (YYYY-MM-DD, both included, Europe/Paris days) that the user can
   * read, in start order, with the visits of the rota the user may see (VisitOccurrences); with `mine`, only the
   * events naming the user (or written by them) and their own visits as a volunteer. Throws FORBIDDEN (agenda.read).
   */
  async occurrences(from: string, to: string, mine = false, zone = 'Europe/Paris'): Promise<Occurrence[]> {
    this.ctx.access.require('agenda.read');
    const { fromMs, toMs } = dayRangeMillis(from, to, zone);
    const rows = (await this.rowsIn(this.ctx.db, fromMs, toMs)) as EventRow[];
    const events = (await readEvents(this.ctx, this.ctx.db, rows)).filter((e) => !mine || this.involvesMe(e));
    const visits = await new VisitOccurrences(this.ctx).occurrences(fromMs, toMs, mine);
    return [...(await this.toOccurrences(events, fromMs, toMs)), ...visits].sort((a, b) => a.start.localeCompare(b.start));
  }

  /** True when the event names the current user, or the current user wrote it. */
  involvesMe(e: AgendaEvent): boolean {
    return e.userIds.includes(this.ctx.user.id) || e.createdBy === this.ctx.user.id;
  }

  /** Every live event the user can read that involves them (`mine`) or not; for the iCalendar export. */
  async events(filter: (e: AgendaEvent) => boolean): Promise<AgendaEvent[]> {
    this.ctx.access.require('agenda.read');
    const rows = (await this.ctx.db(EVENTS).whereNull('deleted_at').orderBy('starts_at')) as EventRow[];
    return (await readEvents(this.ctx, this.ctx.db, rows)).filter(filter);
  }

  /** The occurrences of `events` in [fromMs, toMs), with the names of the people the user may see and of the users. */
  async toOccurrences(events: readonly AgendaEvent[], fromMs: number, toMs: number): Promise<Occurrence[]> {
    const personNames = await this.visiblePeople(events.flatMap((e) => e.personIds));
    const userNames = await this.userNames(events.flatMap((e) => e.userIds));
    const out: Occurrence[] = [];
    for (const e of events) {
      const people = e.personIds.filter((p) => personNames.has(p)).map((p) => ({ id: p, name: personNames.get(p)! }));
      const users = e.userIds.filter((u) => userNames.has(u)).map((u) => ({ id: u, name: userNames.get(u)! }));
      for (const x of expand(e, fromMs, toMs)) {
        out.push({ source: 'event', id: e.id, occurrence: x.occurrence, kind: e.kind, title: e.title, place: e.place, startLocal: x.startLocal, timeZone: e.timeZone, start: x.start, end: x.end, recurring: e.recurrence !== null, moved: x.moved, people, users, visitStatus: null });
      }
    }
    return out.sort((a, b) => a.start.localeCompare(b.start));
  }

  /** Names (« Prénom Nom ») of the people among `ids` the user may see. */
  async visiblePeople(ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const unique = [...new Set(ids)];
    if (unique.length === 0 || !this.ctx.access.hasAny('people.read', 'people.readGroups')) return out;
    for (let i = 0; i < unique.length; i += 500) {
      const q = this.ctx.db('people').whereIn('people.id', unique.slice(i, i + 500)).whereNull('people.deleted_at');
      if (!this.ctx.access.scopePeople(q, 'people')) return out;
      for (const p of (await q.select('people.id', 'first_name', 'last_name')) as { id: string; first_name: string; last_name: string }[]) out.set(p.id, `${p.first_name} ${p.last_name}`.trim());
    }
    return out;
  }

  private async userNames(ids: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = (await this.ctx.db('users').whereIn('id', unique).whereNull('deleted_at').select('id', 'display_name')) as { id: string; display_name: string }[];
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  /** One event the user can read (`agenda.read`). Throws NOT_FOUND. */
  async get(id: string): Promise<AgendaEvent> {
    this.ctx.access.require('agenda.read');
    return (await this.require(this.ctx.db, id)).event;
  }

  /**
   * Creates an event (`agenda.write`), sealed for its visibility when narrower than everyone. Audited (agenda.create).
   * Throws FORBIDDEN, NOT_FOUND for a person or user unknown (or not visible), VALIDATION for an unknown time zone.
   */
  async create(input: EventInput): Promise<string> {
    this.ctx.access.require('agenda.write');
    checkTimeZone(input.timeZone);
    const id = uuidv7();
    await this.ctx.db.transaction(async (trx) => {
      await this.check(trx, input);
      const visibility = canonicalVisibility(input.visibility);
      const content = await this.sealed(trx, id, input, visibility);
      await this.ctx.mutator.with(trx).insert(EVENTS, [{ id, ...content, ...this.plainColumns(input), created_by: this.ctx.user.id }]);
      await this.setPeople(trx, id, [], input.personIds, content['scope_id'] as string);
      await this.ctx.audit({ action: 'agenda.create', targetType: 'event', targetId: id, details: { kind: input.kind, recurring: input.recurrence !== null, visibility: visibility.kind } }, trx);
    });
    return id;
  }

  /** Replaces an event the user can read (`agenda.write`). Audited (agenda.update, field names). Throws FORBIDDEN, NOT_FOUND, VALIDATION. */
  async update(id: string, input: EventInput): Promise<void> {
    this.ctx.access.require('agenda.write');
    checkTimeZone(input.timeZone);
    await this.ctx.db.transaction(async (trx) => {
      const { row, event } = await this.require(trx, id);
      await this.check(trx, input);
      const fields = changedFields(event, input);
      if (fields.length === 0) return;
      const visibility = canonicalVisibility(input.visibility);
      const reseal = fields.some((f) => f === 'title' || f === 'place' || f === 'description' || f === 'visibility');
      const restricted = event.visibility.kind !== 'everyone' || visibility.kind !== 'everyone';
      if (reseal && restricted && row.created_by !== null && row.created_by !== this.ctx.user.id) {
        throw new AppError('FORBIDDEN', "Seul l'auteur d'un événement à visibilité restreinte peut en changer le titre, le lieu, la description ou la visibilité (les horaires et les participants restent modifiables).");
      }
      const content: Row = reseal ? await this.sealed(trx, id, input, visibility) : {};
      await this.ctx.mutator.with(trx).update(EVENTS, id, { ...content, ...this.plainColumns(input) });
      await this.setPeople(trx, id, event.personIds, input.personIds, (content['scope_id'] as string | undefined) ?? scopeIdOf(event.visibility, row.created_by ?? this.ctx.user.id));
      await this.ctx.audit({ action: 'agenda.update', targetType: 'event', targetId: id, details: { fields } }, trx);
    });
  }

  /** Removes an event and all its occurrences (tombstone; `agenda.write`). Audited (agenda.remove). */
  async remove(id: string): Promise<void> {
    this.ctx.access.require('agenda.write');
    await this.ctx.db.transaction(async (trx) => {
      const { row } = await this.require(trx, id);
      const m = this.ctx.mutator.with(trx);
      await m.tombstone(EVENTS, row.id);
      await this.ctx.audit({ action: 'agenda.remove', targetType: 'event', targetId: id }, trx);
    });
  }

  /**
   * Moves (new local start, optional new duration) or cancels one occurrence of a series, named by its original local
   * start (`agenda.write`). A second change of the same occurrence replaces the first. An event that does not repeat
   * is changed itself (moved) or removed (cancelled). Audited (agenda.occurrence). Throws NOT_FOUND for an occurrence
   * the series does not have.
   */
  async changeOccurrence(id: string, occurrence: string, change: OccurrenceChange): Promise<void> {
    this.ctx.access.require('agenda.write');
    await this.ctx.db.transaction(async (trx) => {
      const { row, event } = await this.require(trx, id);
      const m = this.ctx.mutator.with(trx);
      if (!change.cancelled) localToDateTime(change.start, event.timeZone);
      if (!event.recurrence) {
        if (occurrence !== event.start) throw new AppError('NOT_FOUND', `L'événement n'a pas lieu le ${occurrence.replace('T', ' à ')}.`);
        if (change.cancelled) await m.tombstone(EVENTS, id);
        else await m.update(EVENTS, id, { ...this.plainColumns({ ...event, start: change.start, minutes: change.minutes ?? event.minutes }) });
      } else {
        if (!isOccurrenceOf(event, occurrence)) throw new AppError('NOT_FOUND', `La série n'a pas d'occurrence le ${occurrence.replace('T', ' à ')}.`);
        const existing = (await trx(EXCEPTIONS).where({ event_id: id, occurrence }).whereNull('deleted_at').first('id')) as { id: string } | undefined;
        const values = change.cancelled ? { cancelled: 1, start_local: null, minutes: null } : { cancelled: 0, start_local: change.start, minutes: change.minutes };
        if (existing) await m.update(EXCEPTIONS, existing.id, values);
        else await m.insert(EXCEPTIONS, [{ id: uuidv7(), event_id: id, occurrence, ...values, scope_id: scopeIdOf(event.visibility, row.created_by ?? this.ctx.user.id) }]);
      }
      await this.ctx.audit({ action: 'agenda.occurrence', targetType: 'event', targetId: id, details: { occurrence, cancelled: change.cancelled } }, trx);
    });
  }

  private plainColumns(e: Pick<EventInput, 'kind' | 'start' | 'minutes' | 'timeZone' | 'recurrence' | 'userIds'>): Row {
    const { startsAt, endsOn } = scheduleBounds(e);
    return {
      kind: e.kind,
      start_local: e.start,
      time_zone: e.timeZone,
      minutes: e.minutes,
      every_weeks: e.recurrence?.everyWeeks ?? null,
      until: e.recurrence?.until ?? null,
      starts_at: startsAt,
      ends_on: endsOn,
      user_ids: JSON.stringify([...new Set(e.userIds)]),
    };
  }

  /** The content columns for `visibility`: in clear for everyone, else sealed (`title` '' as the column is NOT NULL). */
  private async sealed(trx: Knex.Transaction, id: string, e: EventInput, visibility: Visibility): Promise<Row> {
    const scope_id = scopeIdOf(visibility, this.ctx.user.id);
    const vis = JSON.stringify(visibility);
    if (visibility.kind === 'everyone') return { title: e.title, place: e.place, description: e.description, ciphertext: null, key_wraps: null, visibility: vis, scope_id };
    const fields: EventContent = { title: e.title, place: e.place, description: e.description };
    const box = await this.ctx.scopes.sealRecord(trx, this.ctx.mutator, visibility, EVENTS, id, { ...fields });
    return { title: '', place: null, description: null, ...box, visibility: vis, scope_id };
  }

  /** Adds and tombstones `event_people` rows so that the event names exactly `after`. */
  private async setPeople(trx: Knex.Transaction, eventId: string, before: readonly string[], after: readonly string[], scopeId: string): Promise<void> {
    const m = this.ctx.mutator.with(trx);
    const gone = before.filter((p) => !after.includes(p));
    if (gone.length) for (const r of (await trx(EVENT_PEOPLE).where({ event_id: eventId }).whereIn('person_id', gone).whereNull('deleted_at').select('id')) as { id: string }[]) await m.tombstone(EVENT_PEOPLE, r.id);
    const added = [...new Set(after)].filter((p) => !before.includes(p));
    if (added.length) await m.insert(EVENT_PEOPLE, added.map((person_id) => ({ id: uuidv7(), event_id: eventId, person_id, scope_id: scopeId })));
  }

  /** An event the user can read: NOT_FOUND when deleted, unknown or not decryptable. */
  private async require(db: Knex | Knex.Transaction, id: string): Promise<{ row: EventRow; event: AgendaEvent }> {
    const row = (await db(EVENTS).where({ id }).whereNull('deleted_at').first()) as EventRow | undefined;
    const event = row ? (await readEvents(this.ctx, db, [row]))[0] : undefined;
    if (!row || !event) throw NOT_FOUND();
    return { row, event };
  }

  private async check(trx: Knex.Transaction, input: EventInput): Promise<void> {
    const people = [...new Set(input.personIds)];
    if (people.length) {
      const q = trx('people').whereIn('people.id', people).whereNull('people.deleted_at');
      const visible = this.ctx.access.hasAny('people.read', 'people.readGroups') && this.ctx.access.scopePeople(q, 'people');
      const found = visible ? ((await q.select('people.id')) as { id: string }[]).length : 0;
      if (found !== people.length) throw new AppError('NOT_FOUND', "Une personne concernée par l'événement est introuvable.");
    }
    const users = [...new Set(input.userIds)];
    if (users.length && ((await trx('users').whereIn('id', users).whereNull('deleted_at').select('id')) as unknown[]).length !== users.length) {
      throw new AppError('NOT_FOUND', "Un utilisateur invité à l'événement est introuvable.");
    }
  }
}

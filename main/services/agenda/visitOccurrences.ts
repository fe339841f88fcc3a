/**
 * The planned visits of the visit rota (docs/volunteers.md) as agenda occurrences and iCalendar entries
 * (docs/agenda.md "Visits in the agenda"). Read-only over the `visits` table of migration 0130, with the rota's own
 * rules for who sees what: `volunteers.read` and a visited person the user may see — or the user's own visits as a
 * volunteer (their profile's `user_id`). Cancelled visits are left out; a circle's plan goes through CirclesService
 * and VisitsService (their access checks).
 */
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import type { Occurrence } from '../../../shared/domain/agenda';
import { AppError } from '../../../shared/domain/errors';
import type { ServiceContext } from '../context';
import type { VisitRow } from '../visits/visitsService';
import { VisitsService } from '../visits/visitsService';
import { CirclesService } from '../volunteers/circlesService';
import { VolunteersService } from '../volunteers/volunteersService';
import type { VisitSource } from './agendaExport';
import type { CalendarVisit } from './icalendar';
import { toLocal } from './recurrence';

type Row = VisitRow & { first_name: string | null; last_name: string | null };

/** « Visite — Awa Diallo » (the person's name only when the reader may see them). */
function visitTitle(name: string | null): string {
  return name ? `Visite — ${name}` : 'Visite';
}

export class VisitOccurrences implements VisitSource {
  constructor(private readonly ctx: ServiceContext) {}

  /** The person id of the current user's volunteer profile, or null. */
  private ownPersonId(): Promise<string | null> {
    return new VolunteersService(this.ctx).ownPersonId();
  }

  /** Live, not cancelled visits starting in [fromIso, toIso), with the visited person's names. */
  private query(db: Knex, fromIso: string, toIso: string): Knex.QueryBuilder {
    return db('visits as v')
      .leftJoin('people', 'people.id', 'v.person_id')
      .whereNull('v.deleted_at')
      .whereNot('v.status', 'cancelled')
      .where('v.start_at', '>=', fromIso)
      .where('v.start_at', '<', toIso)
      .orderBy('v.start_at')
      .select('v.*', 'people.first_name', 'people.last_name');
  }

  /**
   * Visits in [fromMs, toMs) as occurrences: with `mine`, the user's own visits as a volunteer; otherwise every visit
   * of a person the user may see (`volunteers.read`), plus their own. Empty without either.
   */
  async occurrences(fromMs: number, toMs: number, mine: boolean): Promise<Occurrence[]> {
    const own = await this.ownPersonId();
    const reads = this.ctx.access.has('volunteers.read');
    if (!own && (mine || !reads)) return [];
    const q = this.query(this.ctx.db, new Date(fromMs).toISOString(), new Date(toMs).toISOString());
    if (mine || !reads) q.where('v.volunteer_id', own);
    else if (!this.ctx.access.scopePeople(q, 'people')) q.where('v.volunteer_id', own ?? '');
    const rows = (await q) as Row[];
    const names = await this.names(rows);
    return rows.map((r) => {
      const start = DateTime.fromISO(r.start_at, { zone: r.zone });
      const name = names.get(r.person_id) ?? null;
      return {
        source: 'visit' as const,
        id: r.id,
        occurrence: toLocal(r.original_start_at ? DateTime.fromISO(r.original_start_at, { zone: r.zone }) : start),
        kind: 'visit' as const,
        title: visitTitle(name),
        place: null,
        startLocal: toLocal(start),
        timeZone: r.zone,
        start: start.toUTC().toISO()!,
        end: start.plus({ minutes: r.minutes }).toUTC().toISO()!,
        recurring: r.series_id !== null,
        moved: r.original_start_at !== null,
        // The visited person is in the title; « avec » names the volunteer (when the reader may see them).
        people: r.volunteer_id && names.has(r.volunteer_id) ? [{ id: r.volunteer_id, name: names.get(r.volunteer_id)! }] : [],
        users: [],
        visitStatus: r.status === 'done' || r.status === 'missed' ? r.status : 'planned',
      };
    });
  }

  /** Names of the visited people and volunteers the user may see (a volunteer sees their circle's person through its group). */
  private async names(rows: readonly Row[]): Promise<Map<string, string>> {
    const ids = [...new Set(rows.flatMap((r) => (r.volunteer_id ? [r.person_id, r.volunteer_id] : [r.person_id])))];
    const out = new Map<string, string>();
    if (ids.length === 0 || !this.ctx.access.hasAny('people.read', 'people.readGroups')) return out;
    const q = this.ctx.db('people').whereIn('people.id', ids).whereNull('people.deleted_at');
    if (!this.ctx.access.scopePeople(q, 'people')) return out;
    for (const p of (await q.select('people.id', 'first_name', 'last_name')) as { id: string; first_name: string; last_name: string }[]) out.set(p.id, `${p.first_name} ${p.last_name}`.trim());
    return out;
  }

  private static toCalendar(o: Occurrence): CalendarVisit {
    return { id: o.id, title: o.title, start: o.start, minutes: Math.round((Date.parse(o.end) - Date.parse(o.start)) / 60_000), timeZone: o.timeZone, cancelled: false };
  }

  /** The user's own visits from a year back to two years ahead, for « Mon agenda » in iCalendar. */
  async mine(): Promise<CalendarVisit[]> {
    const now = this.ctx.clock.now().getTime();
    return (await this.occurrences(now - 366 * 86_400_000, now + 2 * 366 * 86_400_000, true)).map(VisitOccurrences.toCalendar);
  }

  /** A circle the user may see (CirclesService), its visited person and its visits a year back to two years ahead. */
  async circle(circleId: string): Promise<{ name: string; visits: CalendarVisit[]; personIds: string[] }> {
    const circle = (await new CirclesService(this.ctx).list()).find((c) => c.id === circleId);
    if (!circle) throw new AppError('NOT_FOUND', 'Cercle introuvable.');
    if (!circle.personId) return { name: circle.name, visits: [], personIds: [] };
    const now = DateTime.fromJSDate(this.ctx.clock.now(), { zone: 'Europe/Paris' });
    const visits = await new VisitsService(this.ctx).list(circle.personId, toLocal(now.minus({ years: 1 })), toLocal(now.plus({ years: 2 })));
    const title = visitTitle(circle.personName);
    return {
      name: circle.name,
      personIds: [circle.personId],
      visits: visits.filter((v) => v.status !== 'cancelled').map((v) => ({ id: v.id, title: v.volunteerName ? `${title} (${v.volunteerName})` : title, start: v.start, minutes: v.minutes, timeZone: v.zone, cancelled: false })),
    };
  }
}

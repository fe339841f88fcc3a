/**
 * Engagement (docs/agenda.md "Engagement"), over the visit rota's tables (migration 0130):
 * - « Mon engagement » (any user; empty when no volunteer profile is linked to their account): their next planned
 *   visits, their own tasks (TasksService « mine », when they may read tasks), the time given this month and this
 *   year — visits done, counted for the time spent noted, else their planned length;
 * - for coordination (`volunteers.manage`): the volunteers with no visit planned in the next N days (30 by default),
 *   and the hours given per volunteer in a calendar year with its CSV — the « valorisation du bénévolat » of the
 *   annual report (months and years are Europe/Paris calendar ones).
 */
import Papa from 'papaparse';
import { DateTime } from 'luxon';
import type { IdleVolunteer, MyEngagement, UpcomingVisit, VolunteerHours } from '../../../shared/domain/engagement';
import type { ServiceContext } from '../context';
import { TasksService } from '../tasks/tasksService';
import { VolunteersService } from '../volunteers/volunteersService';

const ZONE = 'Europe/Paris';
const NEXT_VISITS = 10;

interface DoneRow {
  volunteer_id: string;
  start_at: string;
  minutes: number;
  minutes_spent: number | null;
}

/** Minutes a done visit counts for: the time spent noted, else its planned length. */
const given = (r: DoneRow): number => r.minutes_spent ?? r.minutes;

/** Hours with a decimal comma, at most two decimals (`90` → `1,5`). */
export function frenchHours(minutes: number): string {
  return (Math.round((minutes / 60) * 100) / 100).toString().replace('.', ',');
}

export class EngagementService {
  constructor(private readonly ctx: ServiceContext) {}

  private now(): DateTime {
    return DateTime.fromJSDate(this.ctx.clock.now(), { zone: ZONE });
  }

  /** Done visits of `volunteers` starting in [from, to) (UTC ISO). */
  private async done(volunteers: readonly string[], from: string, to: string): Promise<DoneRow[]> {
    if (volunteers.length === 0) return [];
    return (await this.ctx.db('visits')
      .whereIn('volunteer_id', [...volunteers])
      .whereNull('deleted_at')
      .where('status', 'done')
      .where('start_at', '>=', from)
      .where('start_at', '<', to)
      .select('volunteer_id', 'start_at', 'minutes', 'minutes_spent')) as DoneRow[];
  }

  /** « Mon engagement » of the current user. */
  async mine(): Promise<MyEngagement> {
    const tasks = this.ctx.access.hasAny('tasks.read', 'tasks.readOwn') ? await new TasksService(this.ctx).list('mine') : [];
    const own = await new VolunteersService(this.ctx).ownPersonId();
    if (!own) return { linked: false, nextVisits: [], tasks, minutesThisMonth: 0, minutesThisYear: 0, visitsThisYear: 0 };
    const now = this.now();
    const rows = (await this.ctx.db('visits as v')
      .leftJoin('people', 'people.id', 'v.person_id')
      .where('v.volunteer_id', own)
      .whereNull('v.deleted_at')
      .where('v.status', 'planned')
      .where('v.start_at', '>=', now.toUTC().toISO()!)
      .orderBy('v.start_at')
      .limit(NEXT_VISITS)
      .select('v.id', 'v.person_id', 'v.start_at', 'v.zone', 'v.minutes')) as { id: string; person_id: string; start_at: string; zone: string; minutes: number }[];
    const names = await this.visibleNames(rows.map((r) => r.person_id));
    const nextVisits: UpcomingVisit[] = rows.map((r) => ({ id: r.id, personId: r.person_id, personName: names.get(r.person_id) ?? null, start: r.start_at, timeZone: r.zone, minutes: r.minutes }));
    const year = await this.done([own], now.startOf('year').toUTC().toISO()!, now.plus({ years: 1 }).startOf('year').toUTC().toISO()!);
    const monthStart = now.startOf('month').toUTC().toISO()!;
    return {
      linked: true,
      nextVisits,
      tasks,
      minutesThisMonth: year.filter((r) => r.start_at >= monthStart && r.start_at < now.plus({ months: 1 }).startOf('month').toUTC().toISO()!).reduce((n, r) => n + given(r), 0),
      minutesThisYear: year.reduce((n, r) => n + given(r), 0),
      visitsThisYear: year.length,
    };
  }

  /** Names of the people among `ids` the user may see. */
  private async visibleNames(ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (ids.length === 0 || !this.ctx.access.hasAny('people.read', 'people.readGroups')) return out;
    const q = this.ctx.db('people').whereIn('people.id', [...new Set(ids)]).whereNull('people.deleted_at');
    if (!this.ctx.access.scopePeople(q, 'people')) return out;
    for (const p of (await q.select('people.id', 'first_name', 'last_name')) as { id: string; first_name: string; last_name: string }[]) out.set(p.id, `${p.first_name} ${p.last_name}`.trim());
    return out;
  }

  /** The volunteers (that the user may see) and when their profile was made. */
  private async volunteers(): Promise<{ personId: string; name: string; since: string }[]> {
    const list = await new VolunteersService(this.ctx).load();
    if (list.length === 0) return [];
    const created = (await this.ctx.db('volunteer_profiles').whereIn('person_id', list.map((v) => v.personId)).whereNull('deleted_at').select('person_id', 'created_at')) as { person_id: string; created_at: string }[];
    const since = new Map(created.map((c) => [c.person_id, c.created_at.slice(0, 10)]));
    return list.map((v) => ({ personId: v.personId, name: v.name, since: since.get(v.personId) ?? this.now().toISODate()! }));
  }

  /**
   * Volunteers with no visit planned from now to `days` days ahead, newest profiles first (`volunteers.manage`),
   * with their last visit done and their next planned visit (beyond the window), if any.
   */
  async idle(days: number): Promise<IdleVolunteer[]> {
    this.ctx.access.require('volunteers.manage');
    const volunteers = await this.volunteers();
    if (volunteers.length === 0) return [];
    const ids = volunteers.map((v) => v.personId);
    const now = this.now().toUTC().toISO()!;
    const horizon = this.now().plus({ days }).toUTC().toISO()!;
    const visits = (await this.ctx.db('visits').whereIn('volunteer_id', ids).whereNull('deleted_at').whereIn('status', ['planned', 'done']).select('volunteer_id', 'status', 'start_at')) as { volunteer_id: string; status: string; start_at: string }[];
    const out: IdleVolunteer[] = [];
    for (const v of volunteers) {
      const theirs = visits.filter((x) => x.volunteer_id === v.personId);
      const planned = theirs.filter((x) => x.status === 'planned' && x.start_at >= now).map((x) => x.start_at).sort();
      if (planned.some((s) => s < horizon)) continue;
      const done = theirs.filter((x) => x.status === 'done').map((x) => x.start_at).sort();
      out.push({ personId: v.personId, name: v.name, lastVisit: done.at(-1) ?? null, nextVisit: planned[0] ?? null, since: v.since });
    }
    return out.sort((a, b) => b.since.localeCompare(a.since) || a.name.localeCompare(b.name, 'fr'));
  }

  /** Visits done and minutes given per volunteer in the calendar year `year` (`volunteers.manage`), by name. */
  async hours(year: number): Promise<VolunteerHours[]> {
    this.ctx.access.require('volunteers.manage');
    const volunteers = await this.volunteers();
    const start = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: ZONE });
    const rows = await this.done(volunteers.map((v) => v.personId), start.toUTC().toISO()!, start.plus({ years: 1 }).toUTC().toISO()!);
    return volunteers
      .map((v) => {
        const theirs = rows.filter((r) => r.volunteer_id === v.personId);
        return { personId: v.personId, name: v.name, visits: theirs.length, minutes: theirs.reduce((n, r) => n + given(r), 0) };
      })
      .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  }

  /**
   * The hours of `year` as CSV for a spreadsheet (UTF-8 with BOM, `;`, decimal comma, CRLF): one line per volunteer
   * and a total. Audited (engagement.export).
   */
  async hoursCsv(year: number): Promise<{ fileName: string; csv: string }> {
    const items = await this.hours(year);
    const total = items.reduce((a, r) => ({ visits: a.visits + r.visits, minutes: a.minutes + r.minutes }), { visits: 0, minutes: 0 });
    const csv = Papa.unparse(
      {
        fields: ['Bénévole', 'Visites faites', 'Heures données', 'Minutes'],
        data: [...items.map((r) => [r.name, r.visits, frenchHours(r.minutes), r.minutes]), ['Total', total.visits, frenchHours(total.minutes), total.minutes]],
      },
      { delimiter: ';', newline: '\r\n', escapeFormulae: true },
    );
    await this.ctx.audit({ action: 'engagement.export', details: { year, volunteers: items.length } });
    return { fileName: `valorisation-benevolat-${year}.csv`, csv: `\uFEFF${csv}\r\n` };
  }
}

/**
 * The visit rota (planning des visites) of an accompanied person: the coverage rule, planned visits and series,
 * moving and cancelling, a volunteer taking a slot, a visit marked done (note, time spent) or missed, the gaps and,
 * for a gap, the volunteers proposed. docs/volunteers.md.
 *
 * Access: reading needs `volunteers.read` and a person the user may see; planning, moving and rules need
 * `volunteers.manage`; a volunteer (`visits.write`) takes a slot for themselves and marks or cancels their own visits.
 * A visit's note is sealed to the circle's group scope (docs/access.md), so only the circle reads it.
 * When a change opens a gap within 72 hours, the circle's coordinator gets a task (GapAlerts).
 */
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { v7 as uuidv7 } from 'uuid';
import type { Visibility } from '../../../shared/domain/access';
import { AppError } from '../../../shared/domain/errors';
import { DEFAULT_MAX_GAP_HOURS, type Gap, type Proposal, type Visit, type VisitPlanInput, type VisitRule } from '../../../shared/domain/volunteers';
import type { ServiceContext } from '../context';
import { CirclesService } from '../volunteers/circlesService';
import { NOT_A_VOLUNTEER, VolunteersService } from '../volunteers/volunteersService';
import { COUNTING_STATUSES, coverageGaps } from './coverage';
import { propose } from './matching';
import { weeklyOccurrences } from './recurrence';
import { instantOf, inZone, localIso, utcIso } from './time';
import { GapAlerts } from './gapAlerts';

export interface VisitRow {
  id: string;
  person_id: string;
  volunteer_id: string | null;
  circle_id: string | null;
  start_at: string;
  zone: string;
  minutes: number;
  status: Visit['status'];
  minutes_spent: number | null;
  note: string | null;
  ciphertext: string | null;
  key_wraps: string | null;
  visibility: string;
  series_id: string | null;
  original_start_at: string | null;
  created_by: string | null;
}

const NOT_FOUND = () => new AppError('NOT_FOUND', 'Visite introuvable.');
const ZONE = 'Europe/Paris';

export class VisitsService {
  private readonly volunteers: VolunteersService;
  private readonly circles: CirclesService;
  private readonly alerts: GapAlerts;

  constructor(private readonly ctx: ServiceContext) {
    this.volunteers = new VolunteersService(ctx);
    this.circles = new CirclesService(ctx);
    this.alerts = new GapAlerts(
      ctx,
      (db, personId, from, to) => this.gapSpans(db, personId, from, to),
      (db, personId) => this.ruleOf(db, personId),
    );
  }

  /** The person's rule (default 48 hours, no skill, no area when none was set). `volunteers.read`. */
  async rule(personId: string): Promise<VisitRule> {
    this.ctx.access.require('volunteers.read');
    await this.ctx.access.requirePerson(this.ctx.db, personId);
    return this.ruleOf(this.ctx.db, personId);
  }

  private async ruleOf(db: Knex | Knex.Transaction, personId: string): Promise<VisitRule> {
    const row = (await db('visit_rules').where({ person_id: personId }).whereNull('deleted_at').orderBy('created_at').first()) as { max_gap_hours: number; skills: string; area: string | null } | undefined;
    let skills: string[] = [];
    try {
      const parsed: unknown = JSON.parse(row?.skills ?? '[]');
      if (Array.isArray(parsed)) skills = parsed.filter((s): s is string => typeof s === 'string');
    } catch {
      skills = [];
    }
    return { personId, maxGapHours: row?.max_gap_hours ?? DEFAULT_MAX_GAP_HOURS, skills, area: row?.area ?? null };
  }

  /** Sets the person's rule (`volunteers.manage`). Audited (visit.rule). */
  async setRule(input: { personId: string; maxGapHours: number; skills: string[]; area: string | null }): Promise<VisitRule> {
    this.ctx.access.require('volunteers.manage');
    await this.ctx.access.requirePerson(this.ctx.db, input.personId);
    await this.ctx.db.transaction(async (trx) => {
      const row = { max_gap_hours: input.maxGapHours, skills: JSON.stringify(input.skills), area: input.area };
      const existing = (await trx('visit_rules').where({ person_id: input.personId }).whereNull('deleted_at').orderBy('created_at').first('id')) as { id: string } | undefined;
      const m = this.ctx.mutator.with(trx);
      if (existing) await m.update('visit_rules', existing.id, row);
      else await m.insert('visit_rules', [{ person_id: input.personId, ...row }]);
      await this.ctx.audit({ action: 'visit.rule', targetType: 'person', targetId: input.personId, details: { maxGapHours: input.maxGapHours } }, trx);
    });
    return this.ruleOf(this.ctx.db, input.personId);
  }

  /** Visits of a person starting in [from, to] (any status), oldest first. `volunteers.read`. */
  async list(personId: string, from: string, to: string, zone = ZONE): Promise<Visit[]> {
    this.ctx.access.require('volunteers.read');
    await this.ctx.access.requirePerson(this.ctx.db, personId);
    const a = instantOf(from, zone, 'Début');
    const b = instantOf(to, zone, 'Fin');
    const rows = (await this.ctx.db('visits as v')
      .leftJoin('people', 'people.id', 'v.volunteer_id')
      .where('v.person_id', personId)
      .whereNull('v.deleted_at')
      .where('v.start_at', '>=', utcIso(a))
      .where('v.start_at', '<=', utcIso(b))
      .orderBy('v.start_at')
      .select('v.*', 'people.first_name', 'people.last_name')) as (VisitRow & { first_name: string | null; last_name: string | null })[];
    const out: Visit[] = [];
    for (const r of rows) out.push(await this.toVisit(r, r.volunteer_id ? `${r.first_name ?? ''} ${r.last_name ?? ''}`.trim() : null));
    return out;
  }

  private async toVisit(r: VisitRow, volunteerName: string | null): Promise<Visit> {
    let note = r.note;
    if (r.ciphertext) {
      const open = await this.ctx.scopes.openRecord<{ note?: unknown }>('visits', r.id, r.ciphertext, r.key_wraps);
      note = open && typeof open.note === 'string' ? open.note : null;
    }
    return {
      id: r.id,
      personId: r.person_id,
      volunteerId: r.volunteer_id,
      volunteerName,
      circleId: r.circle_id,
      start: utcIso(inZone(r.start_at, r.zone)),
      zone: r.zone,
      minutes: r.minutes,
      status: r.status,
      minutesSpent: r.minutes_spent,
      note,
      noteSealed: r.ciphertext !== null,
      seriesId: r.series_id,
      originalStart: r.original_start_at,
    };
  }

  /**
   * Plans one visit or a weekly series (`volunteers.manage`): `at` read in `zone`; with `recurrence`, every `interval`
   * weeks at the same wall-clock time until the day given. The volunteer, when given, must have a profile. Returns
   * the ids in order. Audited (visit.plan). Throws NOT_FOUND (person, volunteer), VALIDATION (times, series).
   */
  async plan(input: VisitPlanInput): Promise<string[]> {
    this.ctx.access.require('volunteers.manage');
    await this.ctx.access.requirePerson(this.ctx.db, input.personId);
    const first = instantOf(input.at, input.zone, 'Date et heure de la visite');
    const starts = input.recurrence ? weeklyOccurrences(first, input.recurrence.interval, input.recurrence.until) : [first];
    return this.ctx.db.transaction(async (trx) => {
      if (input.volunteerId && !(await trx('volunteer_profiles').where({ person_id: input.volunteerId }).whereNull('deleted_at').first('id'))) throw NOT_A_VOLUNTEER();
      const circle = await this.circles.ofPerson(trx, input.personId);
      const seriesId = starts.length > 1 ? uuidv7() : null;
      const recurrence = input.recurrence ? `weekly;interval=${input.recurrence.interval};until=${input.recurrence.until}` : null;
      const rows = starts.map((s) => ({
        id: uuidv7(),
        person_id: input.personId,
        volunteer_id: input.volunteerId,
        circle_id: circle?.id ?? null,
        start_at: utcIso(s),
        zone: input.zone,
        minutes: input.minutes,
        status: 'planned',
        series_id: seriesId,
        recurrence,
        created_by: this.ctx.user.id,
      }));
      const ids = await this.ctx.mutator.with(trx).insert('visits', rows);
      await this.ctx.audit({ action: 'visit.plan', targetType: 'person', targetId: input.personId, details: { visits: ids.length, seriesId, volunteerId: input.volunteerId } }, trx);
      return ids;
    });
  }

  /**
   * A volunteer takes a slot for themselves (`visits.write`, a profile linked to their user): a new visit at `at`
   * for a person they may see. Returns its id. Audited (visit.plan).
   */
  async take(personId: string, at: string, zone: string, minutes: number): Promise<string> {
    this.ctx.access.require('visits.write');
    await this.ctx.access.requirePerson(this.ctx.db, personId);
    const own = await this.volunteers.ownPersonId();
    if (!own) throw new AppError('VALIDATION', 'Votre compte n’est lié à aucun profil de bénévole : demandez à la coordination de le relier.');
    const start = instantOf(at, zone, 'Date et heure de la visite');
    return this.ctx.db.transaction(async (trx) => {
      const circle = await this.circles.ofPerson(trx, personId);
      const [id] = await this.ctx.mutator.with(trx).insert('visits', [{ person_id: personId, volunteer_id: own, circle_id: circle?.id ?? null, start_at: utcIso(start), zone, minutes, status: 'planned', created_by: this.ctx.user.id }]);
      await this.ctx.audit({ action: 'visit.plan', targetType: 'person', targetId: personId, details: { visits: 1, taken: true } }, trx);
      return id!;
    });
  }

  /** Moves one visit (`volunteers.manage`); an occurrence of a series keeps its series and its first place. */
  async move(id: string, at: string, zone: string): Promise<void> {
    this.ctx.access.require('volunteers.manage');
    const start = instantOf(at, zone, 'Nouvelle date et heure');
    const row = await this.require(id);
    await this.ctx.db.transaction(async (trx) => {
      await this.ctx.mutator.with(trx).update('visits', id, { start_at: utcIso(start), zone, original_start_at: row.original_start_at ?? row.start_at });
      await this.ctx.audit({ action: 'visit.update', targetType: 'visit', targetId: id, details: { fields: ['start'] } }, trx);
      await this.alerts.check(trx, row.person_id);
    });
  }

  /** Cancels a planned visit (`volunteers.manage`, or its own volunteer with `visits.write`). May raise a gap alert. */
  async cancel(id: string): Promise<void> {
    const row = await this.requireOwnOrManager(id);
    if (row.status !== 'planned') throw new AppError('VALIDATION', 'Seule une visite prévue peut être annulée.');
    await this.setStatus(row, { status: 'cancelled' }, true);
  }

  /** Marks a visit done with the time spent (default: its planned minutes) and a short note sealed to the circle. */
  async done(id: string, minutesSpent: number | undefined, note: string | undefined): Promise<void> {
    const row = await this.requireOwnOrManager(id);
    if (row.status === 'cancelled') throw new AppError('VALIDATION', 'Une visite annulée ne peut pas être marquée faite.');
    await this.setStatus(row, { status: 'done', minutes_spent: minutesSpent ?? row.minutes }, false, note);
  }

  /** Marks a visit missed (may raise a gap alert: it no longer counts). */
  async missed(id: string, note: string | undefined): Promise<void> {
    const row = await this.requireOwnOrManager(id);
    await this.setStatus(row, { status: 'missed', minutes_spent: null }, true, note);
  }

  private async setStatus(row: VisitRow, change: Record<string, string | number | null>, alert: boolean, note?: string): Promise<void> {
    await this.ctx.db.transaction(async (trx) => {
      const sealed = note !== undefined && note !== '' ? await this.sealNote(trx, row, note) : {};
      await this.ctx.mutator.with(trx).update('visits', row.id, { ...change, ...sealed });
      await this.ctx.audit({ action: 'visit.update', targetType: 'visit', targetId: row.id, details: { status: change['status'], note: note ? true : undefined } }, trx);
      if (alert) await this.alerts.check(trx, row.person_id);
    });
  }

  /**
   * The note's columns: sealed to the circle's group scope (its members read it), else to the circle's coordinator,
   * else to the writer alone; always readable by the writer.
   */
  private async sealNote(trx: Knex.Transaction, row: VisitRow, note: string): Promise<Record<string, string | null>> {
    const circle = row.circle_id ? ((await trx('circles').where({ id: row.circle_id }).first('group_id', 'coordinator_user_id')) as { group_id: string | null; coordinator_user_id: string | null } | undefined) : undefined;
    const choices: Visibility[] = [];
    if (circle?.group_id) choices.push({ kind: 'groups', groupIds: [circle.group_id] });
    if (circle?.coordinator_user_id && circle.coordinator_user_id !== this.ctx.user.id) choices.push({ kind: 'users', userIds: [circle.coordinator_user_id] });
    choices.push({ kind: 'me' });
    for (const visibility of choices) {
      try {
        const box = await this.ctx.scopes.sealRecord(trx, this.ctx.mutator, visibility, 'visits', row.id, { note });
        return { note: null, ...box, visibility: JSON.stringify(visibility) };
      } catch (e) {
        if (!(e instanceof AppError) || visibility.kind === 'me') throw e;
      }
    }
    throw new AppError('INTERNAL', 'Note impossible à chiffrer.');
  }

  /** Records an absence and cancels the planned visits of that volunteer it covers. Returns the id and the count. */
  async addAbsence(personId: string, from: string, to: string): Promise<{ id: string; cancelledVisits: number }> {
    await this.volunteers.requireSelfOrManager(personId);
    return this.ctx.db.transaction(async (trx) => {
      const id = await this.volunteers.insertAbsence(trx, personId, from, to);
      const planned = (await trx('visits').where({ volunteer_id: personId, status: 'planned' }).whereNull('deleted_at').select('id', 'person_id', 'start_at', 'zone')) as { id: string; person_id: string; start_at: string; zone: string }[];
      const covered = planned.filter((v) => {
        const day = inZone(v.start_at, v.zone).toISODate()!;
        return from <= day && day <= to;
      });
      for (const v of covered) {
        await this.ctx.mutator.with(trx).update('visits', v.id, { status: 'cancelled' });
        await this.ctx.audit({ action: 'visit.update', targetType: 'visit', targetId: v.id, details: { status: 'cancelled', reason: 'absence' } }, trx);
      }
      for (const p of new Set(covered.map((v) => v.person_id))) await this.alerts.check(trx, p);
      return { id, cancelledVisits: covered.length };
    });
  }

  /** Gaps of the person's rule in the window [from, to] (local times of `zone`). `volunteers.read`. */
  async gaps(personId: string, from: string, to: string, zone = ZONE): Promise<{ maxGapHours: number; items: Gap[] }> {
    this.ctx.access.require('volunteers.read');
    await this.ctx.access.requirePerson(this.ctx.db, personId);
    const a = instantOf(from, zone, 'Début');
    const b = instantOf(to, zone, 'Fin');
    if (b <= a) throw new AppError('VALIDATION', 'Fin : elle doit suivre le début de la période.');
    const rule = await this.ruleOf(this.ctx.db, personId);
    const spans = await this.gapSpans(this.ctx.db, personId, a, b);
    return { maxGapHours: rule.maxGapHours, items: spans.map((g) => ({ from: localIso(g.from, zone), to: localIso(g.to, zone), hours: g.hours })) };
  }

  /** The gap spans of the person's rule in [a, b] (no access check). */
  private async gapSpans(db: Knex | Knex.Transaction, personId: string, a: DateTime, b: DateTime) {
    const rule = await this.ruleOf(db, personId);
    const starts = (await db('visits').where({ person_id: personId }).whereNull('deleted_at').whereIn('status', [...COUNTING_STATUSES]).where('start_at', '>', utcIso(a)).where('start_at', '<', utcIso(b)).pluck('start_at')) as string[];
    return coverageGaps(a, b, starts.map((s) => inZone(s, ZONE)), rule.maxGapHours);
  }

  /**
   * Volunteers proposed for the gap [from, to] (ISO instants, as `gaps` answers them): available at an instant where
   * one visit keeps the rule — start in [max(from, to − N h), from + N h] — with the rule's skills, from its area,
   * least loaded first. `volunteers.read`.
   */
  async proposals(personId: string, from: string, to: string, minutes: number): Promise<Proposal[]> {
    this.ctx.access.require('volunteers.read');
    await this.ctx.access.requirePerson(this.ctx.db, personId);
    const a = instantOf(from, ZONE, 'Début du trou');
    const b = instantOf(to, ZONE, 'Fin du trou');
    const rule = await this.ruleOf(this.ctx.db, personId);
    const byRule = a.plus({ hours: rule.maxGapHours });
    const fromRule = b.minus({ hours: rule.maxGapHours });
    const latestStart: DateTime = b < byRule ? b : byRule;
    let earliest: DateTime = a > fromRule ? a : fromRule;
    if (earliest > latestStart) earliest = a; // longer than twice the rule: the first visit needed comes first
    const skillNames = (await this.volunteers.skills().catch(() => [])).filter((s) => rule.skills.includes(s.id) || rule.skills.includes(s.name)).map((s) => s.name);
    const candidates = (await this.volunteers.load()).filter((v) => v.personId !== personId);
    return propose(candidates, { earliest, latest: latestStart, minutes, skills: skillNames.length ? skillNames : rule.skills, area: rule.area, zone: ZONE }).map(({ candidate: c, at }) => ({
      personId: c.personId,
      name: c.name,
      at: localIso(at, ZONE),
      skills: [...c.skills],
      area: c.area,
      plannedMinutes: c.plannedMinutes,
      hoursPerMonth: c.hoursPerMonth,
    }));
  }

  /**
   * Every visit a person received or gave, oldest first, with the notes the user can open (portability export).
   * `volunteers.read` and a person the user may see.
   */
  async ofPerson(personId: string): Promise<(Visit & { role: 'visited' | 'volunteer' })[]> {
    this.ctx.access.require('volunteers.read');
    await this.ctx.access.requirePerson(this.ctx.db, personId);
    const rows = (await this.ctx.db('visits').where((w) => w.where('person_id', personId).orWhere('volunteer_id', personId)).whereNull('deleted_at').orderBy('start_at')) as VisitRow[];
    const out: (Visit & { role: 'visited' | 'volunteer' })[] = [];
    for (const r of rows) out.push({ ...(await this.toVisit(r, null)), role: r.person_id === personId ? 'visited' : 'volunteer' });
    return out;
  }

  /** Open gap notices of the circles the current user coordinates (`volunteers.read`). */
  async notices() {
    this.ctx.access.require('volunteers.read');
    return this.alerts.notices();
  }

  private async require(id: string): Promise<VisitRow> {
    this.ctx.access.requireAny('volunteers.read', 'visits.write');
    const row = (await this.ctx.db('visits').where({ id }).whereNull('deleted_at').first()) as VisitRow | undefined;
    if (!row) throw NOT_FOUND();
    const q = this.ctx.db('people').where('people.id', row.person_id);
    if (!this.ctx.access.scopePeople(q, 'people') || !(await q.first('people.id'))) throw NOT_FOUND();
    return row;
  }

  /** The visit, when the user manages visits or is its volunteer (`visits.write`). Throws NOT_FOUND / FORBIDDEN. */
  private async requireOwnOrManager(id: string): Promise<VisitRow> {
    const row = await this.require(id);
    if (this.ctx.access.has('volunteers.manage')) return row;
    this.ctx.access.require('visits.write');
    const own = await this.volunteers.ownPersonId();
    if (!own || row.volunteer_id !== own) throw new AppError('FORBIDDEN', 'Seul le bénévole de cette visite, ou la coordination, peut la modifier.');
    return row;
  }
}

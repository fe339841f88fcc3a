/**
 * Volunteers (bénévoles): profiles (skills, weekly availability, area, hours a month offered), absences, the skills
 * list the association edits, the search « who holds skill S, is available at T, from area A », and the skills map
 * (« cartographie des savoirs »). docs/volunteers.md.
 *
 * Access: reading needs `volunteers.read` and shows only volunteers whose person the user may see (people.read, or
 * people.readGroups for the people of their groups); writing needs `volunteers.manage`, except a volunteer editing
 * their own availability and absences (a profile linked to their user, `visits.write`).
 */
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { AppError } from '../../../shared/domain/errors';
import { foldDiacritics } from '../../../shared/domain/text';
import type { Absence, AvailabilitySlot, Skill, SkillsMapEntry, Volunteer, VolunteerInput } from '../../../shared/domain/volunteers';
import { DEFAULT_ZONE } from '../../../shared/domain/volunteers';
import type { ServiceContext } from '../context';
import { isAbsent, isAvailable, sameText, type Candidate } from '../visits/matching';
import { instantOf, inZone } from '../visits/time';

interface ProfileRow {
  id: string;
  person_id: string;
  user_id: string | null;
  skills: string;
  area: string | null;
  hours_per_month: number | null;
  first_name: string;
  last_name: string;
}

const skillIds = z.array(z.string());
const parseSkillIds = (json: string): string[] => {
  try {
    const r = skillIds.safeParse(JSON.parse(json));
    return r.success ? r.data : [];
  } catch {
    return [];
  }
};

export const NOT_A_VOLUNTEER = () => new AppError('NOT_FOUND', 'Bénévole introuvable : cette personne n’a pas de profil de bénévole.');

/** The 4 weeks from now, for the load of each volunteer. */
const LOAD_WEEKS = 4;

export class VolunteersService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Every skill, by name (`volunteers.read`). */
  async skills(): Promise<Skill[]> {
    this.ctx.access.require('volunteers.read');
    const rows = (await this.ctx.db('skills').whereNull('deleted_at').select('id', 'name', 'category')) as Skill[];
    return rows.sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  }

  /** Adds a skill or renames one (`volunteers.manage`). Throws ALREADY_EXISTS for a name in use (accents, case aside). */
  async saveSkill(input: { id?: string | undefined; name: string; category: Skill['category'] }): Promise<string> {
    this.ctx.access.require('volunteers.manage');
    return this.ctx.db.transaction(async (trx) => {
      const all = (await trx('skills').whereNull('deleted_at').select('id', 'name')) as { id: string; name: string }[];
      if (all.some((s) => s.id !== input.id && sameText(s.name, input.name))) throw new AppError('ALREADY_EXISTS', `La compétence « ${input.name} » existe déjà.`);
      const m = this.ctx.mutator.with(trx);
      let id = input.id;
      if (id) {
        if (!all.some((s) => s.id === id)) throw new AppError('NOT_FOUND', 'Compétence introuvable.');
        await m.update('skills', id, { name: input.name, category: input.category });
      } else [id] = await m.insert('skills', [{ name: input.name, category: input.category }]);
      await this.ctx.audit({ action: 'skill.save', targetType: 'skill', targetId: id!, details: { category: input.category } }, trx);
      return id!;
    });
  }

  /** Ids of `names` (names or ids), adding the names not in the list yet. Throws VALIDATION for an unknown id. */
  private async resolveSkills(trx: Knex.Transaction, names: readonly string[]): Promise<string[]> {
    const all = (await trx('skills').whereNull('deleted_at').select('id', 'name')) as { id: string; name: string }[];
    const out: string[] = [];
    for (const n of names) {
      const hit = all.find((s) => s.id === n || sameText(s.name, n));
      if (hit) {
        if (!out.includes(hit.id)) out.push(hit.id);
        continue;
      }
      const [id] = await this.ctx.mutator.with(trx).insert('skills', [{ name: n.trim(), category: 'skill' }]);
      all.push({ id: id!, name: n.trim() });
      out.push(id!);
    }
    return out;
  }

  /**
   * Creates or replaces the profile of `input.personId` (`volunteers.manage`): skills (names or ids; new names join
   * the list), weekly availability (replaced whole), area, hours a month, linked user. Audited (volunteer.save).
   * Throws NOT_FOUND for a person the user may not see, VALIDATION for overlapping slots on one day.
   */
  async save(input: VolunteerInput): Promise<void> {
    this.ctx.access.require('volunteers.manage');
    await this.ctx.access.requirePerson(this.ctx.db, input.personId);
    checkSlots(input.availability);
    await this.ctx.db.transaction(async (trx) => {
      if (input.userId && !(await trx('users').where({ id: input.userId }).whereNull('deleted_at').first('id'))) throw new AppError('NOT_FOUND', 'Utilisateur introuvable.');
      const skills = await this.resolveSkills(trx, input.skills);
      const m = this.ctx.mutator.with(trx);
      const row = { user_id: input.userId, skills: JSON.stringify(skills), area: input.area, hours_per_month: input.hoursPerMonth };
      const existing = (await trx('volunteer_profiles').where({ person_id: input.personId }).whereNull('deleted_at').orderBy('created_at').first('id')) as { id: string } | undefined;
      if (existing) await m.update('volunteer_profiles', existing.id, row);
      else await m.insert('volunteer_profiles', [{ person_id: input.personId, ...row }]);
      await this.replaceAvailability(trx, input.personId, input.availability);
      await this.ctx.audit({ action: 'volunteer.save', targetType: 'person', targetId: input.personId, details: { skills: skills.length, slots: input.availability.length } }, trx);
    });
  }

  private async replaceAvailability(trx: Knex.Transaction, personId: string, slots: readonly AvailabilitySlot[]): Promise<void> {
    const m = this.ctx.mutator.with(trx);
    const old = (await trx('availability_slots').where({ person_id: personId }).whereNull('deleted_at').pluck('id')) as string[];
    for (const id of old) await m.tombstone('availability_slots', id);
    if (slots.length) await m.insert('availability_slots', slots.map((s) => ({ person_id: personId, weekday: s.weekday, start_time: s.start, end_time: s.end, zone: DEFAULT_ZONE })));
  }

  /**
   * Writes an absence (inclusive days) inside `trx`, audited. The caller has checked `requireSelfOrManager` first (the
   * one connection is held by `trx`); VisitsService.addAbsence also cancels the visits it covers.
   */
  async insertAbsence(trx: Knex.Transaction, personId: string, from: string, to: string): Promise<string> {
    const [id] = await this.ctx.mutator.with(trx).insert('absences', [{ person_id: personId, from_date: from, to_date: to }]);
    await this.ctx.audit({ action: 'volunteer.absence', targetType: 'person', targetId: personId, details: { from, to } }, trx);
    return id!;
  }

  /** Removes an absence (tombstone); same rights as adding it. Throws NOT_FOUND. */
  async removeAbsence(id: string): Promise<void> {
    const row = (await this.ctx.db('absences').where({ id }).whereNull('deleted_at').first('person_id')) as { person_id: string } | undefined;
    if (!row) throw new AppError('NOT_FOUND', 'Absence introuvable.');
    await this.requireSelfOrManager(row.person_id);
    await this.ctx.db.transaction(async (trx) => {
      await this.ctx.mutator.with(trx).tombstone('absences', id);
      await this.ctx.audit({ action: 'volunteer.absence', targetType: 'person', targetId: row.person_id, details: { removed: id } }, trx);
    });
  }

  /** `volunteers.manage`, or `visits.write` on the profile linked to the current user. Throws FORBIDDEN / NOT_FOUND. */
  async requireSelfOrManager(personId: string): Promise<void> {
    const own = await this.ownPersonId();
    if (own === personId) return this.ctx.access.requireAny('visits.write', 'volunteers.manage');
    this.ctx.access.require('volunteers.manage');
    await this.ctx.access.requirePerson(this.ctx.db, personId);
  }

  /** The person id of the current user's volunteer profile, or null. */
  async ownPersonId(): Promise<string | null> {
    const row = (await this.ctx.db('volunteer_profiles').where({ user_id: this.ctx.user.id }).whereNull('deleted_at').first('person_id')) as { person_id: string } | undefined;
    return row?.person_id ?? null;
  }

  /** Every volunteer the user may see, by name (`volunteers.read`). */
  async list(): Promise<Volunteer[]> {
    this.ctx.access.require('volunteers.read');
    return (await this.load()).map(({ busy: _busy, ...v }) => v);
  }

  /** One volunteer's profile (their own always), or null when the person has none (`volunteers.read`; NOT_FOUND for a hidden person). */
  async get(personId: string): Promise<Volunteer | null> {
    this.ctx.access.require('volunteers.read');
    if ((await this.ownPersonId()) !== personId) await this.ctx.access.requirePerson(this.ctx.db, personId);
    const [v] = await this.load([personId]);
    if (!v) return null;
    const { busy: _busy, ...out } = v;
    return out;
  }

  /** Volunteers with `skill` (name), available at `at` (local time of `zone` or with offset), from `area`. */
  async find(filter: { skill?: string | undefined; at?: string | undefined; area?: string | undefined; zone: string }): Promise<Volunteer[]> {
    this.ctx.access.require('volunteers.read');
    const at = filter.at ? instantOf(filter.at, filter.zone, 'Date et heure') : null;
    return (await this.load())
      .filter((v) => !filter.skill || v.skills.some((s) => sameText(s, filter.skill!)))
      .filter((v) => !filter.area || sameText(v.area, filter.area))
      .filter((v) => !at || (isAvailable(v.availability, at.setZone(DEFAULT_ZONE), 1) && !isAbsent(v.absences, at.setZone(DEFAULT_ZONE))))
      .map(({ busy: _busy, ...v }) => v);
  }

  /**
   * The skills map: every skill (even held by nobody), its holders grouped by area — areas compared without case or
   * accents, shown as first spelt, in alphabetical order, no area last.
   */
  async skillsMap(): Promise<SkillsMapEntry[]> {
    const skills = await this.skills();
    const volunteers = await this.load();
    return skills.map((s) => {
      const areas = new Map<string, { area: string | null; volunteers: { personId: string; name: string }[] }>();
      for (const h of volunteers.filter((v) => v.skills.includes(s.name))) {
        const key = h.area === null ? '' : foldDiacritics(h.area.trim());
        if (!areas.has(key)) areas.set(key, { area: h.area, volunteers: [] });
        areas.get(key)!.volunteers.push({ personId: h.personId, name: h.name });
      }
      const sorted = [...areas.entries()].sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b, 'fr'))).map(([, v]) => v);
      return { skill: s.name, category: s.category, areas: sorted };
    });
  }

  /**
   * Profiles the user may see, and their own (optionally only `personIds`) with skills by name, availability, absences not over,
   * minutes planned in the coming 4 weeks and those visits (`busy`, for matching). No permission check: callers do it.
   */
  async load(personIds?: readonly string[]): Promise<(Volunteer & { busy: Candidate['busy'] })[]> {
    const db = this.ctx.db;
    const q = db('volunteer_profiles as v').join('people', 'people.id', 'v.person_id').whereNull('v.deleted_at').whereNull('people.deleted_at');
    // The people the user may see, and always their own profile (a volunteer is rarely in their own groups).
    const access = this.ctx.access;
    q.where((w) => {
      w.where('v.user_id', this.ctx.user.id);
      if (access.hasAny('people.read', 'people.readGroups')) w.orWhere((p) => void (access.scopePeople(p, 'people') ? p.whereNotNull('people.id') : p.whereRaw('0')));
    });
    if (personIds) q.whereIn('v.person_id', [...personIds]);
    const rows = (await q.select('v.id', 'v.person_id', 'v.user_id', 'v.skills', 'v.area', 'v.hours_per_month', 'people.first_name', 'people.last_name')) as ProfileRow[];
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.person_id);
    const skillNames = new Map(((await db('skills').whereNull('deleted_at').select('id', 'name')) as { id: string; name: string }[]).map((s) => [s.id, s.name]));
    const slots = (await db('availability_slots').whereIn('person_id', ids).whereNull('deleted_at').select('person_id', 'weekday', 'start_time', 'end_time')) as { person_id: string; weekday: number; start_time: string; end_time: string }[];
    const today = DateTime.fromJSDate(this.ctx.clock.now(), { zone: DEFAULT_ZONE });
    const absences = (await db('absences').whereIn('person_id', ids).whereNull('deleted_at').where('to_date', '>=', today.minus({ days: 60 }).toISODate()!).select('id', 'person_id', 'from_date', 'to_date')) as { id: string; person_id: string; from_date: string; to_date: string }[];
    const horizon = today.plus({ weeks: LOAD_WEEKS });
    const visits = (await db('visits').whereIn('volunteer_id', ids).whereNull('deleted_at').whereIn('status', ['planned', 'done']).where('start_at', '>=', today.minus({ weeks: 1 }).toUTC().toISO()!).select('volunteer_id', 'start_at', 'zone', 'minutes')) as { volunteer_id: string; start_at: string; zone: string; minutes: number }[];
    return rows
      .map((r) => {
        const mine = visits.filter((v) => v.volunteer_id === r.person_id);
        const planned = mine.filter((v) => v.start_at >= today.toUTC().toISO()! && v.start_at < horizon.toUTC().toISO()!).reduce((n, v) => n + v.minutes, 0);
        return {
          personId: r.person_id,
          name: `${r.first_name} ${r.last_name}`.trim(),
          userId: r.user_id,
          skills: parseSkillIds(r.skills).map((id) => skillNames.get(id)).filter((n): n is string => n !== undefined),
          availability: slots
            .filter((s) => s.person_id === r.person_id)
            .map((s) => ({ weekday: s.weekday, start: s.start_time, end: s.end_time }))
            .sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start)),
          absences: absences.filter((a) => a.person_id === r.person_id).map((a): Absence => ({ id: a.id, from: a.from_date, to: a.to_date })).sort((a, b) => a.from.localeCompare(b.from)),
          area: r.area,
          hoursPerMonth: r.hours_per_month,
          plannedMinutes: planned,
          busy: mine.map((v) => ({ start: inZone(v.start_at, v.zone), minutes: v.minutes })),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  }
}

/** Refuses (VALIDATION) two slots of one weekday that overlap, naming the day. */
function checkSlots(slots: readonly AvailabilitySlot[]): void {
  const days = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
  for (const a of slots) {
    for (const b of slots) {
      if (a !== b && a.weekday === b.weekday && a.start < b.end && b.start < a.end) {
        throw new AppError('VALIDATION', `Disponibilités : deux créneaux du ${days[a.weekday - 1]} se chevauchent (${a.start}-${a.end} et ${b.start}-${b.end}).`);
      }
    }
  }
}

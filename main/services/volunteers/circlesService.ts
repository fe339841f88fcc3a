/**
 * Support circles (cercles, « galaxies »): families and volunteers who accompany a person or a household together,
 * with a coordinator (docs/volunteers.md "Circles").
 *
 * Confidentiality: each circle is backed by a group (`circles.group_id`) and so by a group scope with its own sealed
 * key (docs/access.md). The accompanied person is placed in that group, and the users of the circle's members (and its
 * coordinator) join it: a volunteer with `people.readGroups` then sees that person (identity and contact only) and
 * the circle's plan, and reads the visit notes sealed to the circle's scope — nothing of other people. Joining a
 * group is a signed access decision (root key): when the acting coordinator does not hold the root key, the member
 * is recorded with `accessPending` and an administrator grants it (`grantPending`).
 */
import type { Knex } from 'knex';
import { AppError } from '../../../shared/domain/errors';
import type { Circle } from '../../../shared/domain/volunteers';
import { groupScope } from '../access/scopeKeys';
import type { ServiceContext } from '../context';
import { setUserGroups } from '../users/membership';

interface CircleRow {
  id: string;
  name: string;
  person_id: string | null;
  household_id: string | null;
  coordinator_user_id: string | null;
  group_id: string | null;
}

const NOT_FOUND = () => new AppError('NOT_FOUND', 'Cercle introuvable.');

export class CirclesService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Circles whose accompanied person the user may see (`volunteers.read`), with their members.
   * A circle around a household only is listed to those who may see every person (`people.read`).
   */
  async list(): Promise<Circle[]> {
    this.ctx.access.require('volunteers.read');
    const db = this.ctx.db;
    const q = db('circles as c').leftJoin('people', 'people.id', 'c.person_id').whereNull('c.deleted_at');
    if (!this.ctx.access.has('people.read')) {
      if (!this.ctx.access.scopePeople(q, 'people')) return [];
    }
    const rows = (await q.select('c.*', 'people.first_name', 'people.last_name').orderBy('c.name')) as (CircleRow & { first_name: string | null; last_name: string | null })[];
    if (rows.length === 0) return [];
    const members = (await db('circle_members as m')
      .join('people', 'people.id', 'm.person_id')
      .whereIn('m.circle_id', rows.map((r) => r.id))
      .whereNull('m.deleted_at')
      .select('m.circle_id', 'm.person_id', 'm.user_id', 'm.role', 'people.first_name', 'people.last_name')) as { circle_id: string; person_id: string; user_id: string | null; role: 'family' | 'volunteer'; first_name: string; last_name: string }[];
    const inGroups = (await db('group_members').whereIn('group_id', rows.map((r) => r.group_id).filter((g): g is string => g !== null)).whereNull('deleted_at').select('group_id', 'user_id')) as { group_id: string; user_id: string }[];
    const joined = (groupId: string | null, userId: string | null) => userId === null || inGroups.some((g) => g.group_id === groupId && g.user_id === userId);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      personId: r.person_id,
      personName: r.person_id ? `${r.first_name ?? ''} ${r.last_name ?? ''}`.trim() : null,
      householdId: r.household_id,
      coordinatorUserId: r.coordinator_user_id,
      groupId: r.group_id,
      members: members
        .filter((m) => m.circle_id === r.id)
        .map((m) => ({ personId: m.person_id, name: `${m.first_name} ${m.last_name}`.trim(), userId: m.user_id, role: m.role, accessPending: !joined(r.group_id, m.user_id) }))
        .sort((a, b) => a.name.localeCompare(b.name, 'fr')),
    }));
  }

  /**
   * Creates a circle around a person (or a household) with its backing group (`volunteers.manage`). The person joins
   * the group; the coordinator (a user) too, when the acting user holds the root key. Audited (circle.create).
   * Throws NOT_FOUND for a person the user may not see or an unknown coordinator.
   */
  async create(input: { name: string; personId: string | null; householdId: string | null; coordinatorUserId: string | null }): Promise<string> {
    this.ctx.access.require('volunteers.manage');
    if (input.personId) await this.ctx.access.requirePerson(this.ctx.db, input.personId);
    const id = await this.ctx.db.transaction(async (trx) => {
      if (input.coordinatorUserId && !(await trx('users').where({ id: input.coordinatorUserId }).whereNull('deleted_at').first('id'))) throw new AppError('NOT_FOUND', 'Coordinateur introuvable : choisissez un utilisateur existant.');
      if (input.householdId && !(await trx('households').where({ id: input.householdId }).whereNull('deleted_at').first('id'))) throw new AppError('NOT_FOUND', 'Foyer introuvable.');
      const m = this.ctx.mutator.with(trx);
      const [groupId] = await m.insert('groups', [{ name: `Cercle — ${input.name}` }]);
      const epoch = this.ctx.scopes.root.held ? await this.ctx.scopes.newEpoch(trx, this.ctx.mutator, groupScope(groupId!), [], 'created') : null;
      await this.ctx.audit({ action: 'group.create', targetType: 'group', targetId: groupId!, details: { circle: true, ...(epoch ? { epoch } : {}) } }, trx);
      const [id] = await m.insert('circles', [{ name: input.name, person_id: input.personId, household_id: input.householdId, coordinator_user_id: input.coordinatorUserId, group_id: groupId! }]);
      const accompanied = input.personId ? [input.personId] : ((await trx('people').where({ household_id: input.householdId }).whereNull('deleted_at').pluck('id')) as string[]);
      if (accompanied.length) await m.insert('person_groups', accompanied.map((person_id) => ({ person_id, group_id: groupId! })));
      if (input.coordinatorUserId) await this.joinGroup(trx, groupId!, input.coordinatorUserId);
      await this.ctx.audit({ action: 'circle.create', targetType: 'circle', targetId: id!, details: { personId: input.personId, householdId: input.householdId, coordinator: input.coordinatorUserId } }, trx);
      return id!;
    });
    await this.ctx.access.reload(this.ctx.db); // the acting user may have joined the group
    return id;
  }

  /**
   * Adds a person to a circle as family or volunteer (`volunteers.manage`); their user (from their volunteer profile)
   * joins the circle's group when the acting user holds the root key. Returns the member row's id (the existing one
   * when already a member). Audited (circle.member).
   */
  async addMember(circleId: string, personId: string, role: 'family' | 'volunteer'): Promise<string> {
    this.ctx.access.require('volunteers.manage');
    await this.ctx.access.requirePerson(this.ctx.db, personId);
    const id = await this.ctx.db.transaction(async (trx) => {
      const circle = await this.require(trx, circleId);
      const existing = (await trx('circle_members').where({ circle_id: circleId, person_id: personId }).whereNull('deleted_at').first('id')) as { id: string } | undefined;
      if (existing) return existing.id;
      const profile = (await trx('volunteer_profiles').where({ person_id: personId }).whereNull('deleted_at').first('user_id')) as { user_id: string | null } | undefined;
      const userId = profile?.user_id ?? null;
      const [id] = await this.ctx.mutator.with(trx).insert('circle_members', [{ circle_id: circleId, person_id: personId, user_id: userId, role }]);
      if (userId && circle.group_id) await this.joinGroup(trx, circle.group_id, userId);
      await this.ctx.audit({ action: 'circle.member', targetType: 'circle', targetId: circleId, details: { added: personId, role } }, trx);
      return id!;
    });
    await this.ctx.access.reload(this.ctx.db);
    return id;
  }

  /** Removes a person from a circle (`volunteers.manage`); their user leaves the group (its key rotates). Audited. */
  async removeMember(circleId: string, personId: string): Promise<void> {
    this.ctx.access.require('volunteers.manage');
    await this.ctx.db.transaction(async (trx) => {
      const circle = await this.require(trx, circleId);
      const row = (await trx('circle_members').where({ circle_id: circleId, person_id: personId }).whereNull('deleted_at').first('id', 'user_id')) as { id: string; user_id: string | null } | undefined;
      if (!row) throw new AppError('NOT_FOUND', 'Cette personne n’est pas membre du cercle.');
      await this.ctx.mutator.with(trx).tombstone('circle_members', row.id);
      if (row.user_id && circle.group_id && this.ctx.scopes.root.held && row.user_id !== circle.coordinator_user_id) {
        const current = (await trx('group_members').where({ user_id: row.user_id }).whereNull('deleted_at').pluck('group_id')) as string[];
        await setUserGroups(this.ctx, trx, row.user_id, current.filter((g) => g !== circle.group_id));
      }
      await this.ctx.audit({ action: 'circle.member', targetType: 'circle', targetId: circleId, details: { removed: personId } }, trx);
    });
  }

  /**
   * Gives every circle member's user (and coordinator) who is not yet in the circle's group their membership (root
   * key holders only: signed decisions). Returns how many were added.
   */
  async grantPending(): Promise<number> {
    this.ctx.access.require('volunteers.manage');
    if (!this.ctx.scopes.root.held) throw new AppError('VALIDATION', "Seul un administrateur qui détient la clé racine de l'association peut donner l'accès aux cercles : ouvrez une session d'administrateur.");
    const n = await this.ctx.db.transaction(async (trx) => {
      let n = 0;
      const circles = (await trx('circles').whereNull('deleted_at').whereNotNull('group_id').select('id', 'group_id', 'coordinator_user_id')) as CircleRow[];
      for (const c of circles) {
        const users = new Set((await trx('circle_members').where({ circle_id: c.id }).whereNull('deleted_at').whereNotNull('user_id').pluck('user_id')) as string[]);
        if (c.coordinator_user_id) users.add(c.coordinator_user_id);
        for (const u of users) if (await this.joinGroup(trx, c.group_id!, u)) n++;
      }
      return n;
    });
    await this.ctx.access.reload(this.ctx.db);
    return n;
  }

  /** The circle around `personId` (the first made), or null. */
  async ofPerson(db: Knex | Knex.Transaction, personId: string): Promise<CircleRow | null> {
    const row = (await db('circles').where({ person_id: personId }).whereNull('deleted_at').orderBy('created_at').first()) as CircleRow | undefined;
    return row ?? null;
  }

  /** Adds `userId` to `groupId` keeping their other groups; false when already in it or without the root key. */
  private async joinGroup(trx: Knex.Transaction, groupId: string, userId: string): Promise<boolean> {
    const current = (await trx('group_members').where({ user_id: userId }).whereNull('deleted_at').pluck('group_id')) as string[];
    if (current.includes(groupId) || !this.ctx.scopes.root.held) return false;
    await setUserGroups(this.ctx, trx, userId, [...current, groupId]);
    return true;
  }

  private async require(trx: Knex.Transaction, id: string): Promise<CircleRow> {
    const row = (await trx('circles').where({ id }).whereNull('deleted_at').first()) as CircleRow | undefined;
    if (!row) throw NOT_FOUND();
    return row;
  }
}

/**
 * Roles (permission matrix editable by `roles.manage`), groups (`groups.manage`), the groups of a person
 * (`people.assignGroups`), and the audit trail (`audit.read`).
 */
import type { Knex } from 'knex';
import { ADMIN_PROTECTED_PERMISSIONS, isProtectedPermission, missingDefaultPermissions, PERMISSIONS, type Group, type Permission, type Role } from '../../../shared/domain/access';
import type { AuditEntry, AuditVerifyReport } from '../../../shared/domain/audit';
import { AppError } from '../../../shared/domain/errors';
import type { OpenAssociation } from '../association/associationStore';
import { listAudit, verifyAudit } from '../audit/auditLog';
import type { ServiceContext } from '../context';
import { parsePermissions } from './access';
import { groupScope } from './scopeKeys';
import { signRow, updateSigned } from './signedAccess';
import { syncTreasuryKeys } from '../treasury/treasuryScope';

export class AccessService {
  constructor(
    private readonly ctx: ServiceContext,
    readonly association: OpenAssociation,
  ) {}

  /** Every role with its permissions and how many users hold it. Anyone may read them (the screens show role names). */
  async roles(): Promise<Role[]> {
    const rows = (await this.ctx.db('roles').whereNull('deleted_at').orderBy([{ column: 'builtin', order: 'desc' }, 'name'])) as {
      id: string;
      name: string;
      permissions: string;
      builtin: number;
    }[];
    const counts = (await this.ctx.db('users').whereNull('deleted_at').groupBy('role_id').select('role_id').count({ n: '*' })) as { role_id: string; n: number }[];
    return rows.map((r) => {
      const permissions = parsePermissions(r.permissions);
      return {
        id: r.id,
        name: r.name,
        permissions,
        builtin: r.builtin === 1,
        userCount: Number(counts.find((c) => c.role_id === r.id)?.n ?? 0),
        missingDefaults: r.builtin === 1 ? missingDefaultPermissions(r.id, permissions) : [],
      };
    });
  }

  /**
   * Gives built-in roles the permissions this version grants them by default and they lack (`roles.manage`): each
   * role is saved as by `saveRole` (signed by the root key, audited `role.save` with the permissions added, keys
   * granted). Every id is checked before anything is written.
   * @returns the roles named, as saved.
   * @throws AppError NOT_FOUND for an unknown role, VALIDATION for a role of the association's own (it has no
   *   defaults), FORBIDDEN without `roles.manage`.
   */
  async applyDefaultPermissions(roleIds: readonly string[]): Promise<Role[]> {
    this.ctx.access.require('roles.manage');
    const all = await this.roles();
    const named = roleIds.map((id) => {
      const found = all.find((r) => r.id === id);
      if (!found) throw new AppError('NOT_FOUND', `Rôle inconnu : « ${id} ».`, { field: 'roleIds' });
      if (!found.builtin) throw new AppError('VALIDATION', `Le rôle « ${found.name} » a été créé par l’association : il n’a pas de droits par défaut.`, { field: 'roleIds' });
      return found;
    });
    for (const r of named) {
      if (r.missingDefaults.length > 0) await this.saveRole({ id: r.id, name: r.name, permissions: [...r.permissions, ...r.missingDefaults] });
    }
    const saved = await this.roles();
    return named.map((r) => saved.find((x) => x.id === r.id)!);
  }

  /**
   * Creates or changes a role (`roles.manage`). The `admin` role keeps `users.manage` and `roles.manage` (or nobody
   * could ever manage again). Audited with the permissions added and removed.
   */
  async saveRole(input: { id: string; name: string; permissions: Permission[] }): Promise<Role> {
    this.ctx.access.require('roles.manage');
    const permissions = PERMISSIONS.filter((p) => input.permissions.includes(p));
    if (ADMIN_PROTECTED_PERMISSIONS.some((p) => isProtectedPermission(input.id, p) && !permissions.includes(p))) {
      throw new AppError('VALIDATION', 'Le rôle Administrateur garde la gestion des utilisateurs et des rôles.');
    }
    const before = (await this.ctx.db('roles').where({ id: input.id }).first('permissions', 'deleted_at')) as { permissions: string; deleted_at: string | null } | undefined;
    await this.ctx.db.transaction(async (trx) => {
      // Permissions signed by the root key (docs/access.md "Signed access decisions"): refused without it.
      const root = this.ctx.scopes.root;
      if (before) await updateSigned(trx, this.ctx.mutator, root, 'roles', input.id, { name: input.name, permissions: JSON.stringify(permissions), deleted_at: null });
      else await this.ctx.mutator.with(trx).insert('roles', [await signRow(root, this.ctx.mutator, 'roles', { id: input.id, name: input.name, permissions: JSON.stringify(permissions), builtin: 0, deleted_at: null })]);
      const old = parsePermissions(before?.permissions);
      await this.ctx.audit(
        { action: 'role.save', targetType: 'role', targetId: input.id, details: { name: input.name, added: permissions.filter((p) => !old.includes(p)), removed: old.filter((p) => !permissions.includes(p)) } },
        trx,
      );
      // A role gaining or losing users.manage: its users gain or lose their root grant (named in the audit trail).
      const rootGranted = await this.ctx.scopes.root.syncGrants(trx, this.ctx.mutator);
      if (rootGranted.length > 0) await this.ctx.audit({ action: 'keys.certified', targetType: 'role', targetId: input.id, details: { users: [], groups: [], rootGrants: rootGranted } }, trx);
      // A role gaining or losing treasury.read: its users gain the treasury keys, or the treasury key rotates.
      const treasury = await syncTreasuryKeys(trx, this.ctx.scopes, this.ctx.mutator);
      if (treasury.epoch !== null || treasury.granted.length > 0) await this.ctx.audit({ action: 'treasury.keys', targetType: 'role', targetId: input.id, details: { ...treasury } }, trx);
    });
    await this.ctx.access.reload(this.ctx.db);
    return (await this.roles()).find((r) => r.id === input.id)!;
  }

  /** Every group with its members and people count (anyone: to choose a visibility, a volunteer needs group names). */
  async groups(): Promise<Group[]> {
    const groups = (await this.ctx.db('groups').whereNull('deleted_at').orderBy('name').select('id', 'name', 'created_at')) as { id: string; name: string; created_at: string }[];
    const members = (await this.ctx.db('group_members').whereNull('deleted_at').select('group_id', 'user_id')) as { group_id: string; user_id: string }[];
    // People counted only among those the reader may see (a volunteer learns nothing about other groups' people).
    const q = this.ctx.db('person_groups as pg').join('people', 'people.id', 'pg.person_id').whereNull('pg.deleted_at').whereNull('people.deleted_at');
    const people = this.ctx.access.scopePeople(q, 'people') ? ((await q.groupBy('pg.group_id').select('pg.group_id').countDistinct({ n: 'pg.person_id' })) as { group_id: string; n: number }[]) : [];
    return groups.map((g) => ({
      id: g.id,
      name: g.name,
      userIds: [...new Set(members.filter((m) => m.group_id === g.id).map((m) => m.user_id))],
      peopleCount: Number(people.find((p) => p.group_id === g.id)?.n ?? 0),
      createdAt: g.created_at,
    }));
  }

  /** Creates a group (`groups.manage`). Throws ALREADY_EXISTS for a name in use (any case). */
  async createGroup(name: string): Promise<string> {
    this.ctx.access.require('groups.manage');
    const names = (await this.ctx.db('groups').whereNull('deleted_at').pluck('name')) as string[];
    if (names.some((n) => n.localeCompare(name, 'fr', { sensitivity: 'base' }) === 0)) throw new AppError('ALREADY_EXISTS', `Un groupe « ${name} » existe déjà.`);
    return this.ctx.db.transaction(async (trx) => {
      const [id] = await this.ctx.mutator.with(trx).insert('groups', [{ name }]);
      // Epoch 1 at once, certified by the root key (sealed to no one yet): writers never make group keys themselves.
      // Without the root key (a role with groups.manage but not users.manage), the next root holder's unlock makes it.
      const epoch = this.ctx.scopes.root.held ? await this.ctx.scopes.newEpoch(trx, this.ctx.mutator, groupScope(id!), [], 'created') : null;
      await this.ctx.audit({ action: 'group.create', targetType: 'group', targetId: id!, details: { name, ...(epoch ? { epoch } : {}) } }, trx);
      return id!;
    });
  }

  /** The groups of a person (anyone who may see the person). */
  async personGroups(personId: string): Promise<string[]> {
    await this.ctx.access.requirePerson(this.ctx.db, personId);
    return personGroupIds(this.ctx.db, personId);
  }

  /** Makes `groupIds` the groups of a person (`people.assignGroups`). Throws VALIDATION for an unknown group. */
  async setPersonGroups(personId: string, groupIds: string[]): Promise<string[]> {
    this.ctx.access.require('people.assignGroups');
    await this.ctx.access.requirePerson(this.ctx.db, personId);
    const wanted = [...new Set(groupIds)];
    await this.ctx.db.transaction(async (trx) => {
      const known = (await trx('groups').whereIn('id', wanted).whereNull('deleted_at').pluck('id')) as string[];
      const unknown = wanted.find((g) => !known.includes(g));
      if (unknown) throw new AppError('VALIDATION', `Groupe introuvable (${unknown}).`);
      const rows = (await trx('person_groups').where({ person_id: personId }).whereNull('deleted_at').select('id', 'group_id')) as { id: string; group_id: string }[];
      const m = this.ctx.mutator.with(trx);
      const added = wanted.filter((g) => !rows.some((r) => r.group_id === g));
      if (added.length > 0) await m.insert('person_groups', added.map((group_id) => ({ person_id: personId, group_id })));
      for (const r of rows.filter((r) => !wanted.includes(r.group_id))) await m.tombstone('person_groups', r.id);
      await this.ctx.audit({ action: 'person.groups', targetType: 'person', targetId: personId, details: { groupIds: wanted } }, trx);
    });
    return personGroupIds(this.ctx.db, personId);
  }

  /** Audit entries, newest first (`audit.read`). */
  async audit(filter: Parameters<typeof listAudit>[1]): Promise<{ items: AuditEntry[]; total: number }> {
    this.ctx.access.require('audit.read');
    return listAudit(this.ctx.db, filter);
  }

  /** Walks the audit chain (`audit.read`). */
  async verifyAudit(): Promise<AuditVerifyReport> {
    this.ctx.access.require('audit.read');
    return verifyAudit(this.ctx.db);
  }
}

async function personGroupIds(db: Knex, personId: string): Promise<string[]> {
  return [...new Set((await db('person_groups').where({ person_id: personId }).whereNull('deleted_at').pluck('group_id')) as string[])];
}

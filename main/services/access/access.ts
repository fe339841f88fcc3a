/**
 * What the current user may do: their role's permissions and their groups, loaded at unlock and after any change
 * to them. Every service asks here before acting (issue 3 §1: checked in the services for every path, never only by
 * hiding buttons). A refusal is FORBIDDEN with a message naming the missing permission.
 */
import type { Knex } from 'knex';
import { PERMISSION_LABELS_FR, PERMISSIONS, type Permission } from '../../../shared/domain/access';
import { AppError } from '../../../shared/domain/errors';

export interface AccessSnapshot {
  roleId: string;
  roleName: string;
  permissions: ReadonlySet<Permission>;
  groupIds: readonly string[];
}

/** The error for a missing permission: French sentence with the permission's label and id (the CLI prints it as is). */
export function forbidden(p: Permission): AppError {
  return new AppError('FORBIDDEN', `Permission manquante : ${PERMISSION_LABELS_FR[p]} (${p}). Demandez-la à un administrateur.`, { permission: p });
}

/** Parses a role's permissions column (JSON array); unknown ids (from a newer version) are ignored. */
export function parsePermissions(json: string | null | undefined): Permission[] {
  try {
    const v = JSON.parse(json ?? '[]') as unknown;
    return Array.isArray(v) ? (PERMISSIONS.filter((p) => v.includes(p)) as Permission[]) : [];
  } catch {
    return [];
  }
}

/** Reads the role and groups of `userId`. A user whose role row is missing gets no permission at all. */
export async function loadAccess(db: Knex | Knex.Transaction, userId: string): Promise<AccessSnapshot> {
  const user = (await db('users').where({ id: userId }).first('role_id')) as { role_id: string } | undefined;
  const role = user ? ((await db('roles').where({ id: user.role_id }).whereNull('deleted_at').first('id', 'name', 'permissions')) as { id: string; name: string; permissions: string } | undefined) : undefined;
  const groups = (await db('group_members as m')
    .join('groups as g', 'g.id', 'm.group_id')
    .where('m.user_id', userId)
    .whereNull('m.deleted_at')
    .whereNull('g.deleted_at')
    .distinct('m.group_id')) as { group_id: string }[];
  return {
    roleId: user?.role_id ?? '',
    roleName: role?.name ?? '',
    permissions: new Set(parsePermissions(role?.permissions)),
    groupIds: groups.map((g) => g.group_id),
  };
}

export class Access {
  constructor(
    readonly userId: string,
    private snapshot: AccessSnapshot,
  ) {}

  get roleId(): string {
    return this.snapshot.roleId;
  }
  get roleName(): string {
    return this.snapshot.roleName;
  }
  get groupIds(): readonly string[] {
    return this.snapshot.groupIds;
  }
  get permissions(): Permission[] {
    return PERMISSIONS.filter((p) => this.snapshot.permissions.has(p));
  }

  has(p: Permission): boolean {
    return this.snapshot.permissions.has(p);
  }

  /** True when the user has at least one of the permissions. */
  hasAny(...ps: Permission[]): boolean {
    return ps.some((p) => this.snapshot.permissions.has(p));
  }

  /** Throws FORBIDDEN naming `p` unless the user has it. */
  require(p: Permission): void {
    if (!this.has(p)) throw forbidden(p);
  }

  /** Throws FORBIDDEN naming the first of `ps` unless the user has one of them. */
  requireAny(...ps: Permission[]): void {
    if (!this.hasAny(...ps)) throw forbidden(ps[0]!);
  }

  /** Reloads role and groups (after an administrator changed them in this session). */
  async reload(db: Knex): Promise<void> {
    this.snapshot = await loadAccess(db, this.userId);
  }

  /**
   * Limits a people query (alias `alias`) to those the user may see: everyone with `people.read`, the people of their
   * groups with `people.readGroups`, nobody otherwise. Returns false when nobody is visible (callers answer empty).
   */
  scopePeople(q: Knex.QueryBuilder, alias = 'people'): boolean {
    if (this.has('people.read')) return true;
    if (!this.has('people.readGroups') || this.groupIds.length === 0) return false;
    q.whereIn(`${alias}.id`, (sub) => sub.from('person_groups').select('person_id').whereNull('deleted_at').whereIn('group_id', [...this.groupIds]));
    return true;
  }

  /** Throws NOT_FOUND (as for a missing person: no hint that they exist) unless the user may see this person. */
  async requirePerson(db: Knex | Knex.Transaction, personId: string): Promise<void> {
    this.requireAny('people.read', 'people.readGroups');
    const q = db('people').where('people.id', personId).whereNull('people.deleted_at');
    if (!this.scopePeople(q) || !(await q.first('people.id'))) throw new AppError('NOT_FOUND', 'Personne introuvable.');
  }
}

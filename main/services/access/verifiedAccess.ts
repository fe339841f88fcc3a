/**
 * What the signed access decisions say (docs/access.md "Signed access decisions"): the users, roles and group
 * memberships whose rows carry a valid signature by the association root key, checked against the root public key
 * pinned in the current user's own sealed bundle. Whatever decides where keys go — root holders, group members —
 * is read from here, never from the bare columns. Rows that matter (an enabled user, a live role or membership)
 * and fail the check are listed in `refused`, for the unlock to audit by name.
 */
import type { Knex } from 'knex';
import type { Permission } from '../../../shared/domain/access';
import { verifyAccess, type SignedRow } from '../../crypto/accessRecords';
import { parsePermissions } from './access';

export interface RefusedAccess {
  /** Enabled users whose role or status row is not signed by the root key (or was changed since). */
  users: { id: string; name: string }[];
  /** Live roles whose permissions are not signed. */
  roles: string[];
  /** Live group memberships that are not signed: { id, group, user }. */
  memberships: { id: string; groupId: string; userId: string }[];
}

export interface VerifiedAccess {
  /** Users whose signed row says enabled and not deleted → their signed role id. */
  activeUsers: Map<string, string>;
  /** Live roles with signed permissions. */
  roles: Map<string, Permission[]>;
  /** Group id → users with a signed, live membership who are themselves signed and active. */
  members: Map<string, Set<string>>;
  refused: RefusedAccess;
}

/** The root a check is made against: the pinned public key (undefined: nothing verifies) and the association id. */
export interface AccessRoot {
  publicKey: Uint8Array | undefined;
  associationId: string;
}

/** Reads users, roles and memberships and keeps what the root key signed. Cost: one Ed25519 check per row. */
export async function verifiedAccess(db: Knex | Knex.Transaction, root: AccessRoot): Promise<VerifiedAccess> {
  const check = (table: 'users' | 'roles' | 'group_members', row: SignedRow) => verifyAccess(root.publicKey, root.associationId, table, row);
  const out: VerifiedAccess = { activeUsers: new Map(), roles: new Map(), members: new Map(), refused: { users: [], roles: [], memberships: [] } };
  const roles = (await db('roles').select('id', 'permissions', 'deleted_at', 'access_rev', 'access_sig')) as SignedRow[];
  for (const r of roles) {
    if (r['deleted_at'] !== null) continue;
    if (await check('roles', r)) out.roles.set(String(r['id']), parsePermissions(r['permissions'] as string));
    else out.refused.roles.push(String(r['id']));
  }
  const users = (await db('users').select('id', 'name', 'role_id', 'disabled', 'deleted_at', 'access_rev', 'access_sig')) as SignedRow[];
  for (const u of users) {
    if (u['deleted_at'] !== null || Number(u['disabled']) === 1) continue;
    if (await check('users', u)) out.activeUsers.set(String(u['id']), String(u['role_id']));
    else out.refused.users.push({ id: String(u['id']), name: String(u['name']) });
  }
  const memberships = (await db('group_members').whereNull('deleted_at').select('id', 'group_id', 'user_id', 'deleted_at', 'access_rev', 'access_sig')) as SignedRow[];
  for (const m of memberships) {
    const groupId = String(m['group_id']);
    const userId = String(m['user_id']);
    if (!(await check('group_members', m))) {
      out.refused.memberships.push({ id: String(m['id']), groupId, userId });
      continue;
    }
    if (!out.activeUsers.has(userId)) continue;
    let set = out.members.get(groupId);
    if (!set) out.members.set(groupId, (set = new Set()));
    set.add(userId);
  }
  return out;
}

/** Signed, active users whose signed role has `users.manage`: they hold the association root key. */
export function signedRootHolders(v: VerifiedAccess): string[] {
  return [...v.activeUsers].filter(([, role]) => v.roles.get(role)?.includes('users.manage')).map(([id]) => id);
}

/** True when nothing needs an audit entry. */
export const nothingRefused = (r: RefusedAccess): boolean => r.users.length + r.roles.length + r.memberships.length === 0;

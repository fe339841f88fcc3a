/**
 * Group membership of users and what it does to keys (docs/access.md): a user added to a group receives every epoch of
 * the group's key the acting user holds (so they read its history); if the acting user holds none, a new epoch sealed
 * to all members lets the newcomer read new content at once, and a member's next unlock hands over the older epochs.
 * Removing a user from a group — or disabling them — starts a new epoch sealed to the remaining members: the key
 * rotates for new content.
 */
import type { Knex } from 'knex';
import { AppError } from '../../../shared/domain/errors';
import { groupScope } from '../access/scopeKeys';
import { endMembership, insertMemberships } from '../access/signedAccess';
import type { ServiceContext } from '../context';

/**
 * Makes `groupIds` the groups of `userId` inside `trx`. With `rotateAll` (the user is being disabled), every group
 * they stay in rotates too. Memberships are signed by the root key (docs/access.md "Signed access decisions").
 * Throws VALIDATION for an unknown group, or when the current user does not hold the root key.
 */
export async function setUserGroups(ctx: ServiceContext, trx: Knex.Transaction, userId: string, groupIds: readonly string[], rotateAll = false): Promise<void> {
  const wanted = [...new Set(groupIds)];
  const known = (await trx('groups').whereIn('id', wanted).whereNull('deleted_at').pluck('id')) as string[];
  const unknown = wanted.find((g) => !known.includes(g));
  if (unknown) throw new AppError('VALIDATION', `Groupe introuvable (${unknown}).`);
  const rows = (await trx('group_members').where({ user_id: userId }).whereNull('deleted_at').select('id', 'group_id')) as { id: string; group_id: string }[];
  const current = new Set(rows.map((r) => r.group_id));
  const added = wanted.filter((g) => !current.has(g));
  const removed = rows.filter((r) => !wanted.includes(r.group_id));
  const root = ctx.scopes.root;
  await insertMemberships(trx, ctx.mutator, root, added.map((group_id) => ({ group_id, user_id: userId })));
  for (const r of removed) await endMembership(trx, ctx.mutator, root, r.id, ctx.clock.now().toISOString());

  const user = (await trx('users').where({ id: userId }).first('disabled')) as { disabled: number } | undefined;
  for (const gid of added) {
    if (user?.disabled) continue;
    const scope = groupScope(gid);
    if (await ctx.scopes.grantHeld(trx, ctx.mutator, scope, [userId])) continue;
    if (await hasKeys(trx, scope)) await rotate(ctx, trx, gid, 'member-added');
  }
  const rotateIn = new Set([...removed.map((r) => r.group_id), ...(rotateAll ? wanted : [])]);
  for (const gid of rotateIn) if (await hasKeys(trx, groupScope(gid))) await rotate(ctx, trx, gid, rotateAll ? 'member-disabled' : 'member-removed');
}

async function hasKeys(trx: Knex.Transaction, scope: string): Promise<boolean> {
  return (await trx('scope_key_pairs').where({ key_scope: scope }).whereNull('deleted_at').first('id')) !== undefined;
}

/** A new epoch of the group's key for its current active members; audited. */
async function rotate(ctx: ServiceContext, trx: Knex.Transaction, groupId: string, reason: string): Promise<void> {
  const members = await ctx.scopes.members(trx, groupId);
  const epoch = await ctx.scopes.newEpoch(trx, ctx.mutator, groupScope(groupId), members, reason);
  await ctx.audit({ action: 'group.keyRotated', targetType: 'group', targetId: groupId, details: { epoch, reason, members: members.length } }, trx);
}

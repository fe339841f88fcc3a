/** Channels to create, unlock and lock an association, and its users. */
import { z } from 'zod';
import { channels } from './define';
import { accountRequest, recoveryCode, sessionInfo, user, userName, password } from '../domain/user';
import { roleId } from '../domain/access';
import { bytes, id } from '../domain/common';

const dir = z.string().trim().min(1).max(1024);
const empty = z.object({}).strict();

export const sessionChannels = channels({
  /** Creates the association; the response carries the recovery code, shown once and never stored in clear. */
  'association:create': {
    request: z.object({ dir, name: z.string().trim().min(1).max(200), adminName: userName, password }),
    response: sessionInfo.extend({ recoveryCode: z.string() }),
  },
  /** A newcomer asks for an account on the office PC; they cannot unlock until an administrator approves. */
  'session:requestAccount': {
    request: z.object({ dir, name: userName, displayName: z.string().trim().max(200).optional(), password }),
    response: z.object({ requested: z.literal(true) }),
  },
  /** Resets a user's password with the association's recovery code (no e-mail, no internet). Audited. */
  'session:resetPassword': {
    request: z.object({ dir, userName: z.string().trim().min(1).max(64), recoveryCode, newPassword: password }),
    response: z.object({ reset: z.literal(true) }),
  },
  'session:unlock': {
    request: z.object({ dir, userName: z.string().trim().min(1).max(64), password: z.string().min(1).max(1024) }),
    response: sessionInfo,
  },
  'session:lock': {
    request: z.object({ reason: z.enum(['user', 'idle']).default('user') }).strict(),
    response: z.object({ locked: z.literal(true) }),
  },
  /** The person is active in the window (typing, moving the pointer) without calling the core: not idle. */
  'session:touch': { request: empty, response: z.object({ unlocked: z.boolean() }) },
  'session:current': { request: empty, response: sessionInfo.nullable() },
  /**
   * A window (re)starts: a reload, a new window or a renderer brought back after a crash. No window inherits an open
   * session: the core locks it (audited) and answers with the association and user name to prefill the unlock form
   * (docs/ui.md « Session and locking »).
   */
  'session:start': {
    request: empty,
    response: z.object({ locked: z.boolean(), last: z.object({ dir: z.string(), userName: z.string() }).nullable() }),
  },
  'session:recentAssociations': {
    request: empty,
    response: z.object({ items: z.array(z.object({ dir: z.string(), name: z.string() })) }),
  },
  'settings:update': {
    request: z.object({ autoLockMinutes: z.number().int().min(1).max(240) }),
    response: sessionInfo,
  },
  'users:list': { request: empty, response: z.object({ items: z.array(user) }) },
  /** Names of the active users, for anyone unlocked: to address a note or a task to someone (no role, no groups). */
  'users:directory': { request: empty, response: z.object({ items: z.array(z.object({ id, name: z.string(), displayName: z.string() })) }) },
  'users:add': {
    request: z.object({
      name: userName,
      displayName: z.string().trim().max(200).optional(),
      password,
      roleId,
      groupIds: z.array(id).max(100).default([]),
    }),
    response: z.object({ id }),
  },
  'users:requests': { request: empty, response: z.object({ items: z.array(accountRequest) }) },
  'users:approve': {
    request: z.object({ requestId: id, roleId, groupIds: z.array(id).max(100).default([]) }),
    response: z.object({ id }),
  },
  'users:reject': { request: z.object({ requestId: id }), response: z.object({ id }) },
  /** Changes a user's role, groups or status; disabling takes effect at once (slot withdrawn, group keys rotated). */
  'users:update': {
    request: z.object({ id, roleId: roleId.optional(), groupIds: z.array(id).max(100).optional(), disabled: z.boolean().optional() }),
    response: user,
  },
  /**
   * Certifies the keys now in a user's row whose certificate no longer matches (« clés à confirmer »: recovery reset
   * without escrow, or keys written there by someone else), after comparing the fingerprint with the person.
   * Needs users.manage and the root key; audited (`keys.confirmed`).
   */
  'users:confirmKeys': { request: z.object({ userId: id }), response: z.object({ id, fingerprint: z.string() }) },
  /** A new recovery code replaces the old one (administrators); shown once. */
  'recovery:renew': { request: empty, response: z.object({ recoveryCode: z.string() }) },
  /** The printable sheet for a recovery code just shown (PDF bytes). */
  'recovery:sheet': { request: z.object({ recoveryCode }), response: z.object({ pdf: bytes }) },
  /** A decrypted copy of association.db for audits and disaster recovery (administrators; audited). */
  'db:rawCopy': { request: z.object({ out: z.string().trim().min(1).max(1024) }), response: z.object({ path: z.string() }) },
  'users:changePassword': {
    request: z.object({ currentPassword: z.string().min(1).max(1024), newPassword: password }),
    response: z.object({ changed: z.literal(true) }),
  },
});

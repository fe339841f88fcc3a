/** Channels to create, unlock and lock an association, and its users. */
import { z } from 'zod';
import { channels } from './define';
import { sessionInfo, user, userName, password } from '../domain/user';
import { id } from '../domain/common';

const dir = z.string().trim().min(1, "le dossier de l'association est obligatoire").max(1024);
const empty = z.object({}).strict();

export const sessionChannels = channels({
  'association:create': {
    request: z.object({ dir, name: z.string().trim().min(1).max(200), adminName: userName, password }),
    response: sessionInfo,
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
  'session:recentAssociations': {
    request: empty,
    response: z.object({ items: z.array(z.object({ dir: z.string(), name: z.string() })) }),
  },
  'settings:update': {
    request: z.object({ autoLockMinutes: z.number().int().min(1).max(240) }),
    response: sessionInfo,
  },
  'users:list': { request: empty, response: z.object({ items: z.array(user) }) },
  'users:add': {
    request: z.object({
      name: userName,
      displayName: z.string().trim().max(200).optional(),
      password,
      isAdmin: z.boolean().default(false),
    }),
    response: z.object({ id }),
  },
  'users:changePassword': {
    request: z.object({ currentPassword: z.string().min(1).max(1024), newPassword: password }),
    response: z.object({ changed: z.literal(true) }),
  },
});

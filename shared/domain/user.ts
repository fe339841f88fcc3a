/** Users of the association (staff and volunteers who log in), and the unlocked session. */
import { z } from 'zod';
import { id, instant } from './common';
import { permission, roleId } from './access';

/** A login name: letters, digits, dot, dash, underscore, 1–64 characters. */
export const userName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}._-]+$/u, 'seuls les lettres, chiffres, « . », « - » et « _ » sont acceptés, sans espace');

/** At least 10 characters: the password protects the whole association's data. */
export const password = z.string().min(10).max(1024);

export const user = z.object({
  id,
  name: z.string(),
  displayName: z.string(),
  /** True when the role grants `users.manage` (kept for screens that only ask "may administer?"). */
  isAdmin: z.boolean(),
  disabled: z.boolean(),
  roleId,
  roleName: z.string(),
  groupIds: z.array(id),
});
export type User = z.infer<typeof user>;

/** An account requested on the office PC, waiting for an administrator's approval (it cannot unlock before). */
export const accountRequest = z.object({ id, name: z.string(), displayName: z.string(), requestedAt: instant });
export type AccountRequest = z.infer<typeof accountRequest>;

/** A recovery code as shown to people: 5 groups of 5 characters (Crockford base32, 125 bits). */
export const recoveryCode = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .transform((s) => s.toUpperCase().replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^[0-9A-HJKMNP-TV-Z]{25}$/, '25 caractères (chiffres et lettres), tirets facultatifs'));

export const sessionInfo = z.object({
  associationId: id,
  associationName: z.string(),
  dir: z.string(),
  user,
  /** The current user's permissions: the screens hide what is refused (the core checks anyway). */
  permissions: z.array(permission),
  autoLockMinutes: z.number().int().min(1).max(240),
  /** What the unlock refused in keyring.json, in French (docs/access.md "Keyring signature"); absent when nothing. */
  warnings: z.array(z.string().max(1000)).max(10).optional(),
});
export type SessionInfo = z.infer<typeof sessionInfo>;

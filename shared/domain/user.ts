/** Users of the association (staff and volunteers who log in), and the unlocked session. */
import { z } from 'zod';
import { id } from './common';

/** A login name: letters, digits, dot, dash, underscore, 1–64 characters. */
export const userName = z
  .string()
  .trim()
  .min(1, "le nom d'utilisateur est obligatoire")
  .max(64)
  .regex(/^[\p{L}\p{N}._-]+$/u, "le nom d'utilisateur ne peut contenir que des lettres, chiffres, « . », « - » et « _ »");

/** At least 10 characters: the password protects the whole association's data. */
export const password = z.string().min(10, 'le mot de passe doit compter au moins 10 caractères').max(1024);

export const user = z.object({
  id,
  name: z.string(),
  displayName: z.string(),
  isAdmin: z.boolean(),
  disabled: z.boolean(),
});
export type User = z.infer<typeof user>;

export const sessionInfo = z.object({
  associationId: id,
  associationName: z.string(),
  dir: z.string(),
  user,
  autoLockMinutes: z.number().int().min(1).max(240),
});
export type SessionInfo = z.infer<typeof sessionInfo>;

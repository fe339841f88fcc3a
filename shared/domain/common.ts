/**
 * Small zod building blocks shared by every schema of the contract.
 * Dates travel as ISO strings: calendar dates `YYYY-MM-DD`, instants ISO 8601 UTC (`2026-11-21T08:32:00.000Z`).
 */
import { z } from 'zod';
import { isIsoDay } from './dates';

/**
 * A calendar date `YYYY-MM-DD` that exists (31/02 is refused, never dropped). With `label` (the field as the forms
 * name it, e.g. « Date de naissance ») the messages name it: « Date de naissance : cette date n’existe pas. »
 */
export const calendarDate = (label?: string) => {
  const named = (m: string) => (label ? `${label} : ${m}` : m);
  return z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: named('date attendue au format AAAA-MM-JJ.'), abort: true })
    .refine(isIsoDay, named('cette date n’existe pas.'));
};

/** A calendar date `YYYY-MM-DD` that exists (31/02 is refused). */
export const isoDate = calendarDate();

/** A UUID string (v7 for rows created on a device, see DESIGN.md "Data model rules"). */
export const id = z.string().uuid();

/** An instant as an ISO 8601 string. */
export const instant = z.string().datetime({ offset: true });

/** Raw bytes (file contents). Travel as Uint8Array over IPC, base64 over the browser host (shared/contract/wire.ts). */
export const bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'contenu de fichier (octets) attendu');

/** Optional free text: trimmed, empty becomes null. */
export const optionalText = (max = 2000) =>
  z
    .string()
    .max(max)
    .transform((s) => (s.trim() === '' ? null : s.trim()))
    .nullable()
    .optional()
    .transform((v) => v ?? null);

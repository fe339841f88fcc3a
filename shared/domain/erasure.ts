/**
 * Erasure (RGPD art. 17) and retention (RGPD art. 5-1-e): the shapes that cross IPC and files (docs/erasure.md).
 * The register holds ids, kinds and dates only, never personal data.
 */
import { z } from 'zod';
import { id, instant, isoDate } from './common';

export const erasureEntry = z.object({
  id: z.string().min(1).max(100),
  kind: z.string().regex(/^[a-z_]+$/),
  personId: z.string().min(1).max(100),
  blobName: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  erasedAt: instant,
});
export type ErasureEntryShape = z.infer<typeof erasureEntry>;

/** The register as a file in a backup destination (`erasures.json`), versioned. */
export const erasureRegisterFile = z.object({
  format: z.literal('solidariciel-erasures'),
  version: z.literal(1),
  associationId: z.string().min(1).max(100),
  writtenAt: instant,
  entries: z.array(erasureEntry),
});
export type ErasureRegisterFile = z.infer<typeof erasureRegisterFile>;

export const eraseResult = z.object({
  personId: id,
  counts: z.record(z.string(), z.number().int().nonnegative()),
  papers: z.number().int().nonnegative(),
});
export type EraseResult = z.infer<typeof eraseResult>;

/** A legal hold that applies to a person: its id and a French sentence saying why. */
export const legalHold = z.object({ id: z.string(), reason: z.string() });
export type LegalHold = z.infer<typeof legalHold>;

/** Retention periods of an association (defaults: 3 years, 6 months, 6 years). */
export const retentionRules = z.object({
  peopleInactiveYears: z.number().int().min(1).max(50),
  papersExpiredMonths: z.number().int().min(1).max(600),
  auditYears: z.number().int().min(1).max(50),
});
export type RetentionRules = z.infer<typeof retentionRules>;

export const retentionPerson = z.object({
  id,
  firstName: z.string(),
  lastName: z.string(),
  lastActivity: instant,
  archived: z.boolean(),
});
export const retentionPaper = z.object({
  id,
  personId: id,
  type: z.string(),
  expiresOn: isoDate,
});
export const retentionReview = z.object({
  rules: retentionRules,
  people: z.array(retentionPerson),
  papers: z.array(retentionPaper),
  auditEntriesBeyond: z.number().int().nonnegative(),
});
export type RetentionReview = z.infer<typeof retentionReview>;

/**
 * The administrators' notice of the monthly review (docs/erasure.md "Retention"): `due` when the rules propose someone
 * or some paper and the review was last looked at more than 30 days ago (or never); `reviewedAt` an ISO instant.
 */
export const retentionNotice = z.object({ due: z.boolean(), reviewedAt: instant.nullable() });
export type RetentionNotice = z.infer<typeof retentionNotice>;

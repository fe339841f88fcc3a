/** Channels for a person's data handed over (portability), erasure and retention rules (docs/erasure.md, docs/portability.md). */
import { z } from 'zod';
import { channels } from './define';
import { bytes, id } from '../domain/common';
import { eraseResult, legalHold, retentionNotice, retentionReview, retentionRules } from '../domain/erasure';

/** A person's export: 500 MiB at most in one ZIP. */
export const MAX_EXPORT_BYTES = 500 * 1024 * 1024;

export const erasureChannels = channels({
  /** Second step of the confirmation: `confirmName` is the person's « Prénom Nom » as typed by the administrator. */
  'people:erase': { request: z.object({ id, confirmName: z.string().min(1).max(400) }), response: eraseResult },
  'people:legalHolds': { request: z.object({ id }), response: z.object({ items: z.array(legalHold) }) },
  'people:exportData': { request: z.object({ id }), response: z.object({ fileName: z.string(), zip: bytes }) },
  'people:importData': {
    request: z.object({ zip: bytes.refine((b) => b.byteLength <= MAX_EXPORT_BYTES, 'archive trop volumineuse (500 Mo au plus)') }),
    response: z.object({ personId: id, papers: z.number().int().nonnegative() }),
  },
  'retention:rules': { request: z.object({}).strict(), response: retentionRules },
  'retention:saveRules': { request: retentionRules, response: retentionRules },
  'retention:review': { request: z.object({}).strict(), response: retentionReview },
  /** Records that an administrator looked at the review now (synced); answers the notice as it now stands. */
  'retention:markReviewed': { request: z.object({}).strict(), response: retentionNotice },
  /** Whether the shell shows « Revue de conservation à faire » (administrators). */
  'retention:notice': { request: z.object({}).strict(), response: retentionNotice },
});

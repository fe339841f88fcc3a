/**
 * The monthly retention review (docs/erasure.md "Retention"; RGPD art. 5-1-e asks that periods be applied, the CNIL
 * recommends a periodic review): when an administrator last looked at what the rules propose, kept in the synced
 * `retention_reviews` row (id `last`), and the rule of the shell's notice.
 */
import type { Knex } from 'knex';

/** A review older than this many days (24 h each) is due again. */
export const REVIEW_EVERY_DAYS = 30;
export const LAST_REVIEW_ID = 'last';
const DAY_MS = 86_400_000;

/**
 * True when the notice must show: the rules propose at least one person or one paper (audit entries past their period
 * are only counted, nothing to act on) and the last review (`reviewedAt`, ISO instant, null = never) is more than
 * 30 days before `now`.
 */
export function retentionReviewDue(proposals: { people: number; papers: number }, reviewedAt: string | null, now: Date): boolean {
  if (proposals.people + proposals.papers === 0) return false;
  return reviewedAt === null || now.getTime() - Date.parse(reviewedAt) > REVIEW_EVERY_DAYS * DAY_MS;
}

/** True when a review at `reviewedAt` is recent enough that the rules need not even be run (saves the query). */
export function reviewedRecently(reviewedAt: string | null, now: Date): boolean {
  return reviewedAt !== null && now.getTime() - Date.parse(reviewedAt) <= REVIEW_EVERY_DAYS * DAY_MS;
}

/** When the review was last looked at (ISO instant), or null when never. */
export async function readLastReview(db: Knex | Knex.Transaction): Promise<string | null> {
  const r = (await db('retention_reviews').where({ id: LAST_REVIEW_ID }).whereNull('deleted_at').first('reviewed_at')) as { reviewed_at: string } | undefined;
  return r?.reviewed_at ?? null;
}

/**
 * Retention rules (RGPD art. 5-1-e: data kept no longer than needed; docs/erasure.md "Retention"). Per association,
 * in the synced `retention_rules` row; defaults: people without activity for 3 years (CNIL's reference period for
 * members and beneficiaries after the last contact), papers expired for 6 months, audit entries kept 6 years.
 * The review only proposes: nothing is erased or archived without a click (people:erase, people:archive).
 * Administrators only (`users.manage`).
 *
 * A person's last activity is the latest of: their record's update, a note, a task's update, a paper added, a
 * consent recorded. Archived people are listed too (archiving is the soft option; erasure the end).
 */
import type { Knex } from 'knex';
import { retentionRules, type RetentionNotice, type RetentionReview, type RetentionRules } from '../../../shared/domain/erasure';
import type { ServiceContext } from '../context';
import { LAST_REVIEW_ID, readLastReview, retentionReviewDue, reviewedRecently } from './reviewNotice';

export const DEFAULT_RETENTION: RetentionRules = { peopleInactiveYears: 3, papersExpiredMonths: 6, auditYears: 6 };
const RULES_ID = 'rules';

interface RulesRow {
  people_inactive_years: number;
  papers_expired_months: number;
  audit_years: number;
}

/** `date` moved back by whole years or months (UTC calendar; the 31st falls back to the month's last day). */
export function subtractPeriod(date: Date, years: number, months = 0): Date {
  const d = new Date(Date.UTC(date.getUTCFullYear() - years, date.getUTCMonth() - months, 1, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()));
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(date.getUTCDate(), last));
  return d;
}

/** The association's rules (defaults when never saved). */
export async function readRetentionRules(db: Knex | Knex.Transaction): Promise<RetentionRules> {
  const r = (await db('retention_rules').where({ id: RULES_ID }).whereNull('deleted_at').first()) as RulesRow | undefined;
  return r ? { peopleInactiveYears: r.people_inactive_years, papersExpiredMonths: r.papers_expired_months, auditYears: r.audit_years } : { ...DEFAULT_RETENTION };
}

/**
 * What the rules propose at `now`: people whose last activity is older than the period, papers whose expiry date is
 * older than the period, and the count of audit entries older than the audit period.
 */
export async function reviewRetention(db: Knex, rules: RetentionRules, now: Date): Promise<RetentionReview> {
  const peopleBefore = subtractPeriod(now, rules.peopleInactiveYears).toISOString();
  const papersBefore = subtractPeriod(now, 0, rules.papersExpiredMonths).toISOString().slice(0, 10);
  const auditBefore = subtractPeriod(now, rules.auditYears).toISOString();
  const activity = (table: string, column: string) => `(SELECT max(${column}) FROM ${table} x WHERE x.person_id = p.id AND x.deleted_at IS NULL)`;
  const last = `max(p.updated_at, coalesce(${activity('case_notes', 'created_at')}, ''), coalesce(${activity('tasks', 'updated_at')}, ''), coalesce(${activity('documents', 'created_at')}, ''), coalesce(${activity('consents', 'updated_at')}, ''))`;
  const people = (await db.raw(
    `SELECT * FROM (SELECT p.id, p.first_name, p.last_name, p.archived_at, ${last} AS last_activity FROM people p WHERE p.deleted_at IS NULL) WHERE last_activity < ? ORDER BY last_activity, id`,
    [peopleBefore],
  )) as { id: string; first_name: string; last_name: string; archived_at: string | null; last_activity: string }[];
  const papers = (await db('documents').whereNull('deleted_at').whereNotNull('expires_on').where('expires_on', '<', papersBefore).orderBy(['expires_on', 'id']).select('id', 'person_id', 'type', 'expires_on')) as {
    id: string;
    person_id: string;
    type: string;
    expires_on: string;
  }[];
  const audit = (await db('audit_log').where('at', '<', auditBefore).count({ n: '*' })) as { n: number }[];
  return {
    rules,
    people: people.map((p) => ({ id: p.id, firstName: p.first_name, lastName: p.last_name, lastActivity: p.last_activity, archived: p.archived_at !== null })),
    papers: papers.map((d) => ({ id: d.id, personId: d.person_id, type: d.type, expiresOn: d.expires_on })),
    auditEntriesBeyond: Number(audit[0]?.n ?? 0),
  };
}

export class RetentionService {
  constructor(private readonly ctx: ServiceContext) {}

  /** The rules in force. Throws FORBIDDEN without `users.manage`. */
  async rules(): Promise<RetentionRules> {
    this.ctx.access.require('users.manage');
    return readRetentionRules(this.ctx.db);
  }

  /** Saves new periods (validated: whole numbers within bounds), audited. Throws FORBIDDEN, VALIDATION. */
  async save(input: RetentionRules): Promise<RetentionRules> {
    this.ctx.access.require('users.manage');
    const rules = retentionRules.parse(input);
    const row = { people_inactive_years: rules.peopleInactiveYears, papers_expired_months: rules.papersExpiredMonths, audit_years: rules.auditYears };
    await this.ctx.db.transaction(async (trx) => {
      const m = this.ctx.mutator.with(trx);
      const exists = (await trx('retention_rules').where({ id: RULES_ID }).first('id')) as { id: string } | undefined;
      if (exists) await m.update('retention_rules', RULES_ID, { ...row, deleted_at: null });
      else await m.insert('retention_rules', [{ id: RULES_ID, ...row }]);
      await this.ctx.audit({ action: 'retention.update', targetType: 'retention', targetId: RULES_ID, details: { ...rules } }, trx);
    });
    return rules;
  }

  /** What the rules propose today. Throws FORBIDDEN. */
  async review(): Promise<RetentionReview> {
    const rules = await this.rules();
    return reviewRetention(this.ctx.db, rules, this.ctx.clock.now());
  }

  /** Records (synced) that the current administrator looked at the review now; the notice is then off. Throws FORBIDDEN. */
  async markReviewed(): Promise<RetentionNotice> {
    this.ctx.access.require('users.manage');
    const row = { reviewed_at: this.ctx.clock.now().toISOString(), reviewed_by: this.ctx.user.id };
    await this.ctx.db.transaction(async (trx) => {
      const m = this.ctx.mutator.with(trx);
      const exists = (await trx('retention_reviews').where({ id: LAST_REVIEW_ID }).first('id')) as { id: string } | undefined;
      if (exists) await m.update('retention_reviews', LAST_REVIEW_ID, { ...row, deleted_at: null });
      else await m.insert('retention_reviews', [{ id: LAST_REVIEW_ID, ...row }]);
    });
    return { due: false, reviewedAt: row.reviewed_at };
  }

  /** Whether the monthly review is due (reviewNotice.ts): the rules run only when the last review is old. Throws FORBIDDEN. */
  async notice(): Promise<RetentionNotice> {
    const rules = await this.rules();
    const now = this.ctx.clock.now();
    const reviewedAt = await readLastReview(this.ctx.db);
    if (reviewedRecently(reviewedAt, now)) return { due: false, reviewedAt };
    const review = await reviewRetention(this.ctx.db, rules, now);
    return { due: retentionReviewDue({ people: review.people.length, papers: review.papers.length }, reviewedAt, now), reviewedAt };
  }
}

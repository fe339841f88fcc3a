/**
 * Retention rules (docs/erasure.md "Retention"): periods by calendar, defaults, saved rules synced in their table,
 * and the review at a fixed date — a person is proposed only when every activity (record, note, task, paper, consent)
 * is older than the period; a paper only when expired for longer than its period. Nothing is erased by a review.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION, reviewRetention, subtractPeriod } from '../../main/services/retention/retentionService';
import { retentionReviewDue } from '../../main/services/retention/reviewNotice';
import { fixture, newTestCore, type TestCore } from '../helpers/core';
import { addUser, switchTo } from '../helpers/access';

describe('retention periods', () => {
  it('subtracts whole years and months by the calendar, the 31st falling back to the month’s last day', () => {
    expect(subtractPeriod(new Date('2026-03-31T10:00:00Z'), 0, 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(subtractPeriod(new Date('2028-02-29T00:00:00Z'), 1).toISOString()).toBe('2027-02-28T00:00:00.000Z');
    expect(subtractPeriod(new Date('2026-12-06T08:30:00Z'), 3).toISOString()).toBe('2023-12-06T08:30:00.000Z');
    expect(subtractPeriod(new Date('2026-01-15T00:00:00Z'), 0, 6).toISOString()).toBe('2025-07-15T00:00:00.000Z');
  });
});

describe('monthly review notice', () => {
  const now = new Date('2026-12-06T09:00:00Z');
  it('is due when the rules propose something and the last review is more than 30 days old (or never)', () => {
    expect(retentionReviewDue({ people: 1, papers: 0 }, null, now)).toBe(true);
    expect(retentionReviewDue({ people: 0, papers: 2 }, '2026-11-06T08:59:59.000Z', now)).toBe(true);
    expect(retentionReviewDue({ people: 3, papers: 2 }, '2026-11-06T09:00:00.000Z', now)).toBe(false);
    expect(retentionReviewDue({ people: 3, papers: 0 }, '2026-12-01T00:00:00.000Z', now)).toBe(false);
    // Nothing proposed: no notice, however old the review.
    expect(retentionReviewDue({ people: 0, papers: 0 }, null, now)).toBe(false);
  });
});

describe('retention review', () => {
  let t: TestCore;
  const ids: Record<string, string> = {};
  const now = new Date('2026-12-06T09:00:00Z');

  beforeAll(async () => {
    t = await newTestCore();
    for (const name of ['Ancien', 'Note', 'Tache', 'Recent', 'Archive']) ids[name] = (await t.call('people:create', { person: { firstName: name, lastName: 'Test', kinds: ['member'] } })).id;
    await t.call('people:archive', { id: ids['Archive']!, archived: true });
    await t.call('notes:add', { personId: ids['Note']!, text: 'Passage à l’accueil', visibility: { kind: 'everyone' } });
    await t.call('tasks:create', { task: { title: 'Rappeler', personId: ids['Tache']! } });
    const paper = (n: string, expiresOn: string) =>
      t.call('vault:addDocument', { personId: ids['Recent']!, meta: { type: 'autre', title: n, expiresOn }, files: [{ name: 'c.png', bytes: fixture('scans', 'carte-identite-specimen.png') }] });
    ids['expiredLong'] = (await paper('vieille', '2026-05-31')).id;
    ids['expiredRecently'] = (await paper('récente', '2026-06-07')).id;
    const db = t.core.session()!.ctx.db;
    const old = '2023-01-01T00:00:00.000Z';
    // Everyone's record untouched since 2023; the note of « Note » also old, the task of « Tache » updated in 2024.
    await db('people').update({ updated_at: old });
    await db('case_notes').update({ created_at: old });
    await db('tasks').update({ updated_at: '2024-01-10T00:00:00.000Z' });
    await db('people').where({ id: ids['Recent']! }).update({ updated_at: '2026-11-01T00:00:00.000Z' });
  }, 60_000);

  afterAll(async () => {
    await t.cleanup();
  });

  it('proposes the people inactive for 3 years (archived ones too, said so) and the papers expired for 6 months', async () => {
    const db = t.core.session()!.ctx.db;
    const r = await reviewRetention(db, DEFAULT_RETENTION, now);
    expect(r.people.map((p) => p.firstName).sort()).toEqual(['Ancien', 'Archive', 'Note']);
    expect(r.people.find((p) => p.firstName === 'Archive')?.archived).toBe(true);
    expect(r.people.find((p) => p.firstName === 'Ancien')?.lastActivity).toBe('2023-01-01T00:00:00.000Z');
    expect(r.papers.map((p) => p.id)).toEqual([ids['expiredLong']]);
    // Two years: the task of 2024 is now too old as well; 5 months: the recently expired paper too.
    const r2 = await reviewRetention(db, { ...DEFAULT_RETENTION, peopleInactiveYears: 2, papersExpiredMonths: 5 }, now);
    expect(r2.people.map((p) => p.firstName).sort()).toEqual(['Ancien', 'Archive', 'Note', 'Tache']);
    expect(r2.papers.map((p) => p.id)).toEqual([ids['expiredLong'], ids['expiredRecently']]);
    // Audit entries older than the period are counted, never removed.
    expect(r.auditEntriesBeyond).toBe(0);
    expect((await reviewRetention(db, { ...DEFAULT_RETENTION, auditYears: 1 }, new Date('2030-01-01T00:00:00Z'))).auditEntriesBeyond).toBeGreaterThan(10);
  });

  it('rules: defaults, then saved (audited) and used by the review; nothing is erased by a review', async () => {
    expect(await t.call('retention:rules', {})).toEqual({ peopleInactiveYears: 3, papersExpiredMonths: 6, auditYears: 6 });
    await expect(t.call('retention:saveRules', { peopleInactiveYears: 0, papersExpiredMonths: 6, auditYears: 6 })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await t.call('retention:saveRules', { peopleInactiveYears: 5, papersExpiredMonths: 12, auditYears: 10 })).toEqual({ peopleInactiveYears: 5, papersExpiredMonths: 12, auditYears: 10 });
    expect(await t.call('retention:rules', {})).toEqual({ peopleInactiveYears: 5, papersExpiredMonths: 12, auditYears: 10 });
    await t.call('retention:saveRules', { peopleInactiveYears: 4, papersExpiredMonths: 12, auditYears: 10 });
    const db = t.core.session()!.ctx.db;
    expect(await db('retention_rules').count({ n: '*' })).toEqual([{ n: 1 }]);
    expect((await t.call('audit:list', { action: 'retention.update', limit: 5, offset: 0 })).total).toBe(2);
    const review = await t.call('retention:review', {});
    expect(review.rules.peopleInactiveYears).toBe(4);
    expect((await t.call('people:search', { query: '', limit: 50, includeArchived: true })).items).toHaveLength(5);
  });

  it('records the monthly review (synced) and shows the notice again after 30 days', async () => {
    const db = t.core.session()!.ctx.db;
    await t.call('retention:saveRules', { peopleInactiveYears: 10, papersExpiredMonths: 120, auditYears: 10 });
    expect(await t.call('retention:notice', {})).toEqual({ due: false, reviewedAt: null });
    await t.call('retention:saveRules', DEFAULT_RETENTION);
    expect(await t.call('retention:notice', {})).toEqual({ due: true, reviewedAt: null });
    const marked = await t.call('retention:markReviewed', {});
    expect(marked.due).toBe(false);
    expect(await t.call('retention:notice', {})).toEqual({ due: false, reviewedAt: marked.reviewedAt });
    const row = (await db('retention_reviews').select('id', 'reviewed_by')) as { id: string; reviewed_by: string }[];
    expect(row).toEqual([{ id: 'last', reviewed_by: t.core.session()!.ctx.user.id }]);
    expect(await db('change_log').where({ table_name: 'retention_reviews' }).count({ n: '*' })).toEqual([{ n: 1 }]);
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
    await db('retention_reviews').update({ reviewed_at: daysAgo(29) });
    expect((await t.call('retention:notice', {})).due).toBe(false);
    await db('retention_reviews').update({ reviewed_at: daysAgo(31) });
    expect((await t.call('retention:notice', {})).due).toBe(true);
    await t.call('retention:markReviewed', {});
    expect(await db('retention_reviews').count({ n: '*' })).toEqual([{ n: 1 }]);
    expect(await db('change_log').where({ table_name: 'retention_reviews' }).count({ n: '*' })).toEqual([{ n: 2 }]);
  });

  it('is for administrators only', async () => {
    await addUser(t, 'vera', 'volunteer');
    await switchTo(t, 'vera');
    await expect(t.call('retention:review', {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.call('retention:notice', {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.call('retention:markReviewed', {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.call('people:erase', { id: ids['Ancien']!, confirmName: 'Ancien Test' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await switchTo(t, 'admin');
  });
});

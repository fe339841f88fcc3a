/**
 * Migration 0080 (STYLE.md §6): a database at 0070 with retention rules, migrated to 0080: rules kept, the synced
 * `retention_reviews` table exists (empty: never reviewed), a write through the Mutator reaches the change log, and
 * running it again changes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { openSqlCipher } from '../../main/db/sqlcipherClient';
import { appliedMigrations, migrate, MIGRATIONS } from '../../main/db/migrations';
import { Mutator } from '../../main/db/mutations';
import { HybridLogicalClock } from '../../main/sync/hlc';
import { readRetentionRules } from '../../main/services/retention/retentionService';
import { readLastReview } from '../../main/services/retention/reviewNotice';
import { tempDir } from '../helpers/core';

describe('migration 0080_retention_reviews', () => {
  let root: string;
  let db: Knex;
  let mutator: Mutator;
  beforeEach(async () => {
    root = tempDir('solidariciel-m0080-');
    db = openSqlCipher(join(root, 'association.db'), randomBytes(32).toString('hex'));
    mutator = new Mutator(db, new HybridLogicalClock('device-test'), { now: () => new Date('2026-12-06T09:00:00.000Z') });
    await migrate(db, MIGRATIONS.filter((m) => m.name < '0080'));
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps the rules, adds the synced review row, never reviewed until written', async () => {
    await mutator.insert('retention_rules', [{ id: 'rules', people_inactive_years: 5, papers_expired_months: 6, audit_years: 6 }]);
    expect(await appliedMigrations(db)).not.toContain('0080_retention_reviews');
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await readRetentionRules(db)).toEqual({ peopleInactiveYears: 5, papersExpiredMonths: 6, auditYears: 6 });
    const columns = ((await db.raw(`PRAGMA table_info("retention_reviews")`)) as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(['id', 'created_at', 'updated_at', 'deleted_at', 'scope_id', 'reviewed_at', 'reviewed_by']);
    expect(await readLastReview(db)).toBeNull();
    await mutator.insert('retention_reviews', [{ id: 'last', reviewed_at: '2026-12-06T09:00:00.000Z', reviewed_by: 'u1' }]);
    expect(await readLastReview(db)).toBe('2026-12-06T09:00:00.000Z');
    const log = (await db('change_log').where({ table_name: 'retention_reviews' }).select('op', 'row_ids')) as { op: string; row_ids: string }[];
    expect(log).toEqual([{ op: 'insert', row_ids: JSON.stringify(['last']) }]);
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
  });
});

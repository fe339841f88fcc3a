/**
 * Migration 0060 (STYLE.md §6): a database at 0040 with people, migrated to 0060: rows kept, the synced erasure
 * register and retention rules tables exist (empty: the default rules apply), writes through the Mutator reach the
 * change log, and running it again changes nothing.
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
import { readErasureRegister } from '../../main/db/erasure';
import { tempDir } from '../helpers/core';

const columns = async (db: Knex, table: string) => ((await db.raw(`PRAGMA table_info("${table}")`)) as { name: string }[]).map((c) => c.name);

describe('migration 0060_erasure_retention', () => {
  let root: string;
  let db: Knex;
  let mutator: Mutator;
  beforeEach(async () => {
    root = tempDir('solidariciel-m0060-');
    db = openSqlCipher(join(root, 'association.db'), randomBytes(32).toString('hex'));
    mutator = new Mutator(db, new HybridLogicalClock('device-test'), { now: () => new Date('2026-12-06T09:00:00.000Z') });
    await migrate(db, MIGRATIONS.slice(0, 4));
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps the people, adds the erasure register and the retention rules, both synced through the Mutator', async () => {
    const [person] = await mutator.insert('people', [{ first_name: 'Awa', last_name: 'Diallo' }]);
    expect(await appliedMigrations(db)).not.toContain('0060_erasure_retention');
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await db('people').where({ id: person }).first('first_name')).toEqual({ first_name: 'Awa' });
    expect(await columns(db, 'erasures')).toEqual(['id', 'created_at', 'updated_at', 'deleted_at', 'scope_id', 'kind', 'person_id', 'blob_name', 'erased_at']);
    expect(await columns(db, 'retention_rules')).toEqual(['id', 'created_at', 'updated_at', 'deleted_at', 'scope_id', 'people_inactive_years', 'papers_expired_months', 'audit_years']);
    expect(await readErasureRegister(db)).toEqual([]);
    expect(await readRetentionRules(db)).toEqual({ peopleInactiveYears: 3, papersExpiredMonths: 6, auditYears: 6 });
    await mutator.insert('erasures', [{ id: person!, kind: 'people', person_id: person!, blob_name: null, erased_at: '2026-12-06T09:00:00.000Z' }]);
    const log = (await db('change_log').where({ table_name: 'erasures' }).select('op', 'row_ids')) as { op: string; row_ids: string }[];
    expect(log).toEqual([{ op: 'insert', row_ids: JSON.stringify([person]) }]);
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
  });
});

/**
 * Migration 0160 (STYLE.md §6): a database at 0080 with a person, migrated to 0160: the person is kept with no
 * referent, `papers_settings` and `deposit_receipts` exist (synced: writes through the Mutator reach the change log),
 * the paper settings read as the defaults until saved, and running it again changes nothing.
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
import { SYNCED_TABLES } from '../../main/sync/tables';
import { PERSON_TABLES } from '../../main/db/erasure';
import { readPapersSettings } from '../../main/services/papers/expiryService';
import { tempDir } from '../helpers/core';

const columns = async (db: Knex, table: string) => ((await db.raw(`PRAGMA table_info("${table}")`)) as { name: string }[]).map((c) => c.name);

describe('migration 0160_papers', () => {
  let root: string;
  let db: Knex;
  let mutator: Mutator;
  beforeEach(async () => {
    root = tempDir('solidariciel-m0160-');
    db = openSqlCipher(join(root, 'association.db'), randomBytes(32).toString('hex'));
    mutator = new Mutator(db, new HybridLogicalClock('device-test'), { now: () => new Date('2026-12-06T09:00:00.000Z') });
    await migrate(db, MIGRATIONS.filter((m) => m.name < '0160'));
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps people, adds the referent column and the two synced tables', async () => {
    await mutator.insert('people', [{ id: '01900000-0000-7000-8000-000000000001', first_name: 'Awa', last_name: 'Diallo', search_text: ' awa diallo ', kinds: '[]' }]);
    expect(await columns(db, 'people')).not.toContain('referent_id');
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await db('people').select('first_name', 'referent_id')).toEqual([{ first_name: 'Awa', referent_id: null }]);
    expect(await columns(db, 'papers_settings')).toEqual(['id', 'created_at', 'updated_at', 'deleted_at', 'scope_id', 'reminder_days', 'tsa_url']);
    expect(await columns(db, 'deposit_receipts')).toEqual(['id', 'created_at', 'updated_at', 'deleted_at', 'scope_id', 'person_id', 'statement', 'issued_at', 'issued_by']);
    expect(Object.keys(SYNCED_TABLES)).toEqual(expect.arrayContaining(['papers_settings', 'deposit_receipts']));
    expect(PERSON_TABLES).toContain('deposit_receipts');
    expect(await readPapersSettings(db)).toEqual({ reminderDays: 60, tsaUrl: null });
    await mutator.insert('papers_settings', [{ id: 'settings', reminder_days: 30, tsa_url: 'http://127.0.0.1:3180/tsa' }]);
    expect(await readPapersSettings(db)).toEqual({ reminderDays: 30, tsaUrl: 'http://127.0.0.1:3180/tsa' });
    const log = (await db('change_log').where({ table_name: 'papers_settings' }).select('op')) as { op: string }[];
    expect(log).toEqual([{ op: 'insert' }]);
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
  });
});

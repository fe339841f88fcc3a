/**
 * Migration 0100 (STYLE.md §6): a database at 0080 with people, migrated to 0100: people kept, the treasury tables
 * exist with their sync columns, are synced (SYNCED_TABLES) and person tables are erased with the person
 * (PERSON_TABLES), a write through the Mutator reaches the change log, and running it again changes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { openSqlCipher } from '../../main/db/sqlcipherClient';
import { appliedMigrations, migrate, MIGRATIONS } from '../../main/db/migrations';
import { Mutator } from '../../main/db/mutations';
import { PERSON_TABLES } from '../../main/db/erasure';
import { SYNCED_TABLES } from '../../main/sync/tables';
import { HybridLogicalClock } from '../../main/sync/hlc';
import { tempDir } from '../helpers/core';

const TABLES = ['fee_types', 'dues_payments', 'dues_exemptions', 'fee_tariffs', 'treasury_settings'];

describe('migration 0100_treasury_dues', () => {
  let root: string;
  let db: Knex;
  let mutator: Mutator;
  beforeEach(async () => {
    root = tempDir('solidariciel-m0100-');
    db = openSqlCipher(join(root, 'association.db'), randomBytes(32).toString('hex'));
    mutator = new Mutator(db, new HybridLogicalClock('device-test'), { now: () => new Date('2026-12-06T09:00:00.000Z') });
    await migrate(db, MIGRATIONS.filter((m) => m.name < '0100'));
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  it('adds the synced treasury tables; people are kept; writes are captured', async () => {
    const [pid] = await mutator.insert('people', [{ first_name: 'Aminata', last_name: 'Diallo' }]);
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await db('people').where({ id: pid }).first('first_name')).toEqual({ first_name: 'Aminata' });
    for (const table of TABLES) {
      const columns = ((await db.raw(`PRAGMA table_info("${table}")`)) as { name: string }[]).map((c) => c.name);
      expect(columns.slice(0, 5), table).toEqual(['id', 'created_at', 'updated_at', 'deleted_at', 'scope_id']);
      expect(Object.keys(SYNCED_TABLES), table).toContain(table);
    }
    expect(PERSON_TABLES).toEqual(expect.arrayContaining(['dues_payments', 'dues_exemptions']));
    const payments = ((await db.raw(`PRAGMA table_info("dues_payments")`)) as { name: string }[]).map((c) => c.name);
    // Amounts and payment details exist only sealed.
    expect(payments).not.toContain('amount_cents');
    expect(payments).toEqual(expect.arrayContaining(['person_id', 'fee_type_id', 'paid_on', 'covers_from', 'covers_to', 'settled', 'source', 'external_receipt', 'ciphertext', 'key_wraps']));
    await mutator.insert('treasury_settings', [{ id: 'treasury', due_soon_days: 30 }]);
    const log = (await db('change_log').where({ table_name: 'treasury_settings' }).select('op', 'row_ids')) as { op: string; row_ids: string }[];
    expect(log).toEqual([{ op: 'insert', row_ids: JSON.stringify(['treasury']) }]);
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
  });
});

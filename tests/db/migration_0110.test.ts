/**
 * Migration 0110 (STYLE.md §6): a database at 0100 with a person, migrated to 0110: the person kept, the gift and
 * receipt tables exist with their sync columns and are synced, gifts are erased with the person, a receipt in
 * `tax_receipts` is seen by the erasure legal hold, amounts exist only sealed, and running it again changes nothing.
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
import { legalHoldsOf } from '../../main/services/erasure/legalHolds';
import { tempDir } from '../helpers/core';

const TABLES = ['gifts', 'tax_receipts', 'receipt_series', 'receipt_settings'];

describe('migration 0110_gifts_receipts', () => {
  let root: string;
  let db: Knex;
  let mutator: Mutator;
  beforeEach(async () => {
    root = tempDir('solidariciel-m0110-');
    db = openSqlCipher(join(root, 'association.db'), randomBytes(32).toString('hex'));
    mutator = new Mutator(db, new HybridLogicalClock('device-test'), { now: () => new Date('2026-12-06T09:00:00.000Z') });
    await migrate(db, MIGRATIONS.filter((m) => m.name < '0110'));
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  it('adds the synced gift and receipt tables; the legal hold sees a receipt', async () => {
    const [pid] = await mutator.insert('people', [{ first_name: 'Aminata', last_name: 'Diallo' }]);
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await db('people').where({ id: pid }).first('first_name')).toEqual({ first_name: 'Aminata' });
    for (const table of TABLES) {
      const columns = ((await db.raw(`PRAGMA table_info("${table}")`)) as { name: string }[]).map((c) => c.name);
      expect(columns.slice(0, 5), table).toEqual(['id', 'created_at', 'updated_at', 'deleted_at', 'scope_id']);
      expect(Object.keys(SYNCED_TABLES), table).toContain(table);
    }
    expect(PERSON_TABLES).toContain('gifts');
    for (const table of ['gifts', 'tax_receipts']) {
      const columns = ((await db.raw(`PRAGMA table_info("${table}")`)) as { name: string }[]).map((c) => c.name);
      expect(columns).not.toContain('amount_cents');
      expect(columns).toEqual(expect.arrayContaining(['person_id', 'ciphertext', 'key_wraps']));
    }
    expect(await legalHoldsOf(db, pid!)).toEqual([]);
    await mutator.insert('tax_receipts', [
      { person_id: pid!, number: '2026-ABCDE-0001', year: 2026, series: 'ABCDE', seq: 1, device_id: 'device-test', kind: 'gift', issued_on: '2026-12-06', status: 'issued', ciphertext: '{}', key_wraps: '[]' },
    ]);
    expect((await legalHoldsOf(db, pid!)).map((h) => h.id)).toEqual(['tax-receipt']);
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
  });
});

/**
 * Migration 0120 (STYLE.md §6): a database at 0100 migrated to 0120 keeps its rows, gains the synced ledger_entries and
 * bank_lines tables with their sync columns, writes through the Mutator reach the change log, and running it again
 * changes nothing.
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
import { tempDir } from '../helpers/core';

const columns = async (db: Knex, table: string) => ((await db.raw(`PRAGMA table_info("${table}")`)) as { name: string }[]).map((c) => c.name);

describe('migration 0120_ledger', () => {
  let root: string;
  let db: Knex;
  let mutator: Mutator;
  beforeEach(async () => {
    root = tempDir('solidariciel-m0120-');
    db = openSqlCipher(join(root, 'association.db'), randomBytes(32).toString('hex'));
    mutator = new Mutator(db, new HybridLogicalClock('device-test'), { now: () => new Date('2026-12-06T09:00:00.000Z') });
    await migrate(db, MIGRATIONS.filter((m) => m.name < '0120'));
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  it('adds ledger_entries and bank_lines, synced, written through the Mutator', async () => {
    const [person] = await mutator.insert('people', [{ first_name: 'Aminata', last_name: 'Diallo' }]);
    expect(await appliedMigrations(db)).not.toContain('0120_ledger');
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await db('people').where({ id: person }).first('first_name')).toEqual({ first_name: 'Aminata' });
    expect(await columns(db, 'ledger_entries')).toEqual(['id', 'created_at', 'updated_at', 'deleted_at', 'scope_id', 'journal', 'entry_date', 'source', 'source_id', 'deposit_id', 'created_by', 'ciphertext', 'key_wraps']);
    expect(await columns(db, 'bank_lines')).toEqual(['id', 'created_at', 'updated_at', 'deleted_at', 'scope_id', 'line_date', 'entry_id', 'matched_by', 'matched_at', 'ciphertext', 'key_wraps']);
    expect(SYNCED_TABLES).toHaveProperty('ledger_entries');
    expect(SYNCED_TABLES).toHaveProperty('bank_lines');
    const [entry] = await mutator.insert('ledger_entries', [{ scope_id: 'treasury', journal: 'cash', entry_date: '2026-01-02', source: 'manual', ciphertext: 'x', key_wraps: '[]' }]);
    await mutator.insert('bank_lines', [{ scope_id: 'treasury', line_date: '2026-01-03', entry_id: entry!, ciphertext: 'y', key_wraps: '[]' }]);
    const log = (await db('change_log').whereIn('table_name', ['ledger_entries', 'bank_lines']).select('table_name', 'op')) as { table_name: string; op: string }[];
    expect(log).toEqual([
      { table_name: 'ledger_entries', op: 'insert' },
      { table_name: 'bank_lines', op: 'insert' },
    ]);
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
  });
});

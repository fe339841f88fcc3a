/**
 * Migration 0130 (STYLE.md §6): a database at 0080 with people, migrated to 0130: people kept, the eight synced
 * tables exist with the sync columns, are listed in SYNCED_TABLES and, those naming a person, in PERSON_TABLES; a
 * write through the Mutator reaches the change log; running it again changes nothing.
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

const TABLES = ['skills', 'volunteer_profiles', 'availability_slots', 'absences', 'circles', 'circle_members', 'visits', 'visit_rules'];

describe('migration 0130_volunteers', () => {
  let root: string;
  let db: Knex;
  let mutator: Mutator;
  beforeEach(async () => {
    root = tempDir('solidariciel-m0130-');
    db = openSqlCipher(join(root, 'association.db'), randomBytes(32).toString('hex'));
    mutator = new Mutator(db, new HybridLogicalClock('device-test'), { now: () => new Date('2026-12-06T09:00:00.000Z') });
    await migrate(db, MIGRATIONS.filter((m) => m.name < '0130'));
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  it('adds the synced volunteer and visit tables, keeps people, and is idempotent', async () => {
    const [personId] = await mutator.insert('people', [{ first_name: 'Odile', last_name: 'Bernard', kinds: '[]' }]);
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(((await db('people').select('first_name')) as { first_name: string }[]).map((r) => r.first_name)).toEqual(['Odile']);
    for (const table of TABLES) {
      const columns = ((await db.raw(`PRAGMA table_info("${table}")`)) as { name: string }[]).map((c) => c.name);
      expect(columns.slice(0, 5), table).toEqual(['id', 'created_at', 'updated_at', 'deleted_at', 'scope_id']);
      expect(Object.hasOwn(SYNCED_TABLES, table), table).toBe(true);
      if (columns.includes('person_id')) expect(PERSON_TABLES as readonly string[], table).toContain(table);
    }
    const [visit] = await mutator.insert('visits', [{ person_id: personId!, start_at: '2027-03-28T08:00:00.000Z' }]);
    expect(await db('visits').where({ id: visit }).first('status', 'zone', 'minutes', 'visibility')).toEqual({ status: 'planned', zone: 'Europe/Paris', minutes: 60, visibility: '{"kind":"everyone"}' });
    const log = (await db('change_log').where({ table_name: 'visits' }).select('op', 'row_ids')) as { op: string; row_ids: string }[];
    expect(log).toEqual([{ op: 'insert', row_ids: JSON.stringify([visit]) }]);
    const rule = (await db.raw(`PRAGMA table_info("visit_rules")`)) as { name: string; dflt_value: string | null }[];
    expect(rule.find((c) => c.name === 'max_gap_hours')!.dflt_value).toBe("'48'");
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
  });
});

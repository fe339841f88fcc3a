/**
 * Migration 0140 (STYLE.md §6): a database at 0080 with people and tasks, migrated to 0140: data kept, the synced
 * agenda tables exist with the columns every synced table has, a write through the Mutator reaches the change log,
 * the range index is used, and running it again changes nothing.
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
import { tempDir } from '../helpers/core';

describe('migration 0140_agenda', () => {
  let root: string;
  let db: Knex;
  let mutator: Mutator;
  beforeEach(async () => {
    root = tempDir('solidariciel-m0140-');
    db = openSqlCipher(join(root, 'association.db'), randomBytes(32).toString('hex'));
    mutator = new Mutator(db, new HybridLogicalClock('device-test'), { now: () => new Date('2026-12-06T09:00:00.000Z') });
    await migrate(db, MIGRATIONS.filter((m) => m.name < '0140'));
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  it('adds the synced agenda tables and keeps what was there', async () => {
    await mutator.insert('tasks', [{ id: 't1', title: 'Appeler la CAF', priority: 'normal', status: 'todo' }]);
    expect(await appliedMigrations(db)).not.toContain('0140_agenda');
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await db('tasks').where({ id: 't1' }).first('title')).toEqual({ title: 'Appeler la CAF' });
    for (const table of ['events', 'event_exceptions', 'event_people']) {
      const columns = ((await db.raw(`PRAGMA table_info("${table}")`)) as { name: string }[]).map((c) => c.name);
      expect(columns.slice(0, 5)).toEqual(['id', 'created_at', 'updated_at', 'deleted_at', 'scope_id']);
      expect(Object.hasOwn(SYNCED_TABLES, table)).toBe(true);
    }
    expect(PERSON_TABLES).toContain('event_people');
    await mutator.insert('events', [{ id: 'e1', kind: 'meeting', title: 'Réunion', start_local: '2026-12-07T10:00', minutes: 60, starts_at: '2026-12-07T09:00:00.000Z' }]);
    const row = (await db('events').where({ id: 'e1' }).first()) as Record<string, unknown>;
    expect(row).toMatchObject({ time_zone: 'Europe/Paris', user_ids: '[]', visibility: '{"kind":"everyone"}', every_weeks: null });
    const log = (await db('change_log').where({ table_name: 'events' }).select('op', 'row_ids')) as { op: string; row_ids: string }[];
    expect(log).toEqual([{ op: 'insert', row_ids: JSON.stringify(['e1']) }]);
    const plan = JSON.stringify(await db.raw(`EXPLAIN QUERY PLAN SELECT * FROM events WHERE deleted_at IS NULL AND starts_at < '2027-01-01'`));
    expect(plan).toContain('events_starts_at_index');
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
  });
});

/**
 * Migration 0150 (STYLE.md §6): a database at 0130 with people and a case note, migrated to 0150: data kept, the five
 * synced tables exist with their sync columns, the default contact-drop rules apply until a row is written, a write
 * through the Mutator reaches the change log, and running it again changes nothing.
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
import { readContactDropRules } from '../../main/services/contacts/contactDropService';
import { DEFAULT_CONTACT_DROP_RULES } from '../../shared/domain/contactDrop';
import { tempDir } from '../helpers/core';

const TABLES = ['conversations', 'conversation_members', 'messages', 'message_reads', 'contact_drop_rules'];

describe('migration 0150_messages', () => {
  let root: string;
  let db: Knex;
  let mutator: Mutator;
  beforeEach(async () => {
    root = tempDir('solidariciel-m0150-');
    db = openSqlCipher(join(root, 'association.db'), randomBytes(32).toString('hex'));
    mutator = new Mutator(db, new HybridLogicalClock('device-test'), { now: () => new Date('2026-12-06T09:00:00.000Z') });
    await migrate(db, MIGRATIONS.filter((m) => m.name < '0150'));
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps the data, adds the synced tables, defaults the rules, and is idempotent', async () => {
    await mutator.insert('people', [{ id: 'p1', first_name: 'Odette', last_name: 'Martin', kinds: '["beneficiary"]' }]);
    expect(await appliedMigrations(db)).not.toContain('0150_messages');
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(((await db('people').where({ id: 'p1' }).first('first_name')) as { first_name: string }).first_name).toBe('Odette');
    for (const table of TABLES) {
      const columns = ((await db.raw(`PRAGMA table_info("${table}")`)) as { name: string }[]).map((c) => c.name);
      expect(columns.slice(0, 5), table).toEqual(['id', 'created_at', 'updated_at', 'deleted_at', 'scope_id']);
      expect(Object.hasOwn(SYNCED_TABLES, table), table).toBe(true);
    }
    expect(await readContactDropRules(db)).toEqual(DEFAULT_CONTACT_DROP_RULES);
    await mutator.insert('contact_drop_rules', [{ id: 'rules', recent_days: 21, baseline_weeks: 6, threshold_percent: 40, min_baseline_per_week: 0.5 }]);
    expect(await readContactDropRules(db)).toEqual({ recentDays: 21, baselineWeeks: 6, thresholdPercent: 40, minBaselinePerWeek: 0.5 });
    // A damaged row (out of range) falls back to the defaults rather than silencing the alert.
    await db('contact_drop_rules').where({ id: 'rules' }).update({ recent_days: 0 });
    expect(await readContactDropRules(db)).toEqual(DEFAULT_CONTACT_DROP_RULES);
    const log = (await db('change_log').where({ table_name: 'contact_drop_rules' }).select('op', 'row_ids')) as { op: string; row_ids: string }[];
    expect(log).toEqual([{ op: 'insert', row_ids: JSON.stringify(['rules']) }]);
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
  });
});

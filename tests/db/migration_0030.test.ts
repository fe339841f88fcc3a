/**
 * Migration 0030 (STYLE.md §6): a database at 0020 with people and change-log entries, migrated to 0030: data and
 * entries kept (old entries have no transaction id), the sync tables exist, key_slots carries the synced columns,
 * the Mutator writes the transaction id from then on (one per transaction), and running it again changes nothing.
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
import { tempDir } from '../helpers/core';

const columns = async (db: Knex, table: string) => ((await db.raw(`PRAGMA table_info("${table}")`)) as { name: string }[]).map((c) => c.name);

describe('migration 0030_sync', () => {
  let root: string;
  let db: Knex;
  let mutator: Mutator;
  beforeEach(async () => {
    root = tempDir('solidariciel-m0030-');
    db = openSqlCipher(join(root, 'association.db'), randomBytes(32).toString('hex'));
    mutator = new Mutator(db, new HybridLogicalClock('device-test'), { now: () => new Date('2026-11-21T09:00:00.000Z') });
    await migrate(db, MIGRATIONS.slice(0, 2));
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps data and old entries, adds the sync tables, and the Mutator then records one transaction id per transaction', async () => {
    await mutator.insert('households', [{ name: 'Famille Diallo' }]);
    expect(await columns(db, 'change_log')).not.toContain('tx');
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
    for (const t of ['sync_state', 'sync_versions', 'sync_outbox', 'sync_received', 'sync_history', 'sync_pending', 'sync_rejected', 'sync_blobs', 'key_slots']) {
      expect(await db.schema.hasTable(t), t).toBe(true);
    }
    expect(await columns(db, 'key_slots')).toEqual(expect.arrayContaining(['id', 'created_at', 'updated_at', 'deleted_at', 'scope_id', 'slot']));
    const old = (await db('change_log').select('tx', 'table_name')) as { tx: string | null; table_name: string }[];
    expect(old).toEqual([{ tx: null, table_name: 'households' }]);
    await db.transaction(async (trx) => {
      await mutator.with(trx).insert('households', [{ name: 'Famille Petit' }]);
      await mutator.with(trx).insert('people', [{ first_name: 'Jean', last_name: 'Petit', kinds: '[]', search_text: 'jean petit' }]);
    });
    await mutator.insert('households', [{ name: 'Famille Roux' }]);
    const entries = (await db('change_log').orderBy('seq').select('tx')) as { tx: string | null }[];
    expect(entries[1]!.tx).not.toBeNull();
    expect(entries[1]!.tx).toBe(entries[2]!.tx);
    expect(entries[3]!.tx).not.toBeNull();
    expect(entries[3]!.tx).not.toBe(entries[1]!.tx);
    expect(((await db('households').select('name')) as { name: string }[]).map((h) => h.name).sort()).toEqual(['Famille Diallo', 'Famille Petit', 'Famille Roux']);
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
  });
});

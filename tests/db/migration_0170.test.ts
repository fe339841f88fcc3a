/**
 * Migration 0170 (STYLE.md §6): a database at 0160 with a paper's row, migrated to 0170: the row is kept, the synced
 * `document_texts` table exists (writes through the Mutator reach the change log; erased with the person) and the
 * local `ocr_queue` does not sync; running it again changes nothing.
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
import { SYNCED_TABLES, keepsHistory } from '../../main/sync/tables';
import { PERSON_TABLES } from '../../main/db/erasure';
import { queueCounts, unqueuedPapers } from '../../main/services/ocr/ocrQueue';
import { tempDir } from '../helpers/core';

const columns = async (db: Knex, table: string) => ((await db.raw(`PRAGMA table_info("${table}")`)) as { name: string }[]).map((c) => c.name);
const PAPER = '01900000-0000-7000-8000-0000000000d1';

describe('migration 0170_ocr', () => {
  let root: string;
  let db: Knex;
  let mutator: Mutator;
  beforeEach(async () => {
    root = tempDir('solidariciel-m0170-');
    db = openSqlCipher(join(root, 'association.db'), randomBytes(32).toString('hex'));
    mutator = new Mutator(db, new HybridLogicalClock('device-test'), { now: () => new Date('2026-12-06T09:00:00.000Z') });
    await migrate(db, MIGRATIONS.filter((m) => m.name < '0170'));
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps papers, adds the synced text table and the local queue', async () => {
    await mutator.insert('documents', [{ id: PAPER, person_id: '01900000-0000-7000-8000-000000000001', type: 'autre', pages: 2, sha256: 'ab'.repeat(32), size: 10, blob_name: 'cd'.repeat(32), wrapped_key: '{}', visibility: '{"kind":"everyone"}' }]);
    expect(await db.schema.hasTable('document_texts')).toBe(false);
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await db('documents').pluck('id')).toEqual([PAPER]);
    expect(await columns(db, 'document_texts')).toEqual(['id', 'created_at', 'updated_at', 'deleted_at', 'scope_id', 'document_id', 'person_id', 'page', 'sha256', 'ciphertext']);
    expect(await columns(db, 'ocr_queue')).toEqual(['document_id', 'page', 'sha256', 'state', 'attempts', 'error', 'updated_at']);
    expect(Object.keys(SYNCED_TABLES)).toContain('document_texts');
    expect(Object.keys(SYNCED_TABLES)).not.toContain('ocr_queue');
    expect(PERSON_TABLES).toContain('document_texts');
    expect(keepsHistory('document_texts', 'ciphertext')).toBe(false);
    // The paper stored before the migration is found by the sweep, to be queued.
    expect(await unqueuedPapers(db)).toEqual([{ id: PAPER, sha256: 'ab'.repeat(32), pages: 2 }]);
    expect(await queueCounts(db)).toEqual({ pending: 0, done: 0, failed: 0 });
    await mutator.insert('document_texts', [{ id: '01900000-0000-7000-8000-0000000000e1', document_id: PAPER, person_id: '01900000-0000-7000-8000-000000000001', page: 1, sha256: 'ab'.repeat(32), ciphertext: '{}' }]);
    expect(await db('change_log').where({ table_name: 'document_texts' }).pluck('op')).toEqual(['insert']);
    expect(await unqueuedPapers(db)).toEqual([]);
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
  });
});

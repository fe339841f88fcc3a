/**
 * Bulk load (main/db/bulk.ts) and the one-entry-per-write outbox: a large import goes through the bulk path and
 * leaves people findable (trigram and short terms), the FTS index consistent and every index and trigger in place;
 * a failing bulk insert leaves the schema and the data as they were, even when the caller catches and commits.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { beginBulkLoad, replayInsertTrigger } from '../../main/db/bulk';
import { migrate } from '../../main/db/migrations';
import { BULK_MIN_ROWS, Mutator } from '../../main/db/mutations';
import { PeopleRepository, personToRow } from '../../main/db/repositories/people';
import { openSqlCipher } from '../../main/db/sqlcipherClient';
import { HybridLogicalClock } from '../../main/sync/hlc';
import { personInput } from '../../shared/domain/person';
import { newTestCore, tempDir, type TestCore } from '../helpers/core';

const clock = { now: () => new Date('2026-11-21T09:00:00.000Z') };

const schema = async (db: Knex) =>
  (await db.raw("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'people' AND type IN ('index', 'trigger') ORDER BY type, name")) as { type: string; name: string; sql: string | null }[];
const count = async (db: Knex, table: string) => Number(((await db(table).count({ n: '*' }).first()) as { n: number }).n);
const ftsHits = async (db: Knex, term: string) => ((await db.raw('SELECT rowid FROM people_fts WHERE people_fts MATCH ?', [`"${term}"`])) as unknown[]).length;

const NAMES = ['Zébulon', 'Ondine', 'Kévin', 'Anaïs', 'Wassim'];
function csv(n: number): Uint8Array {
  const lines = ['Nom;Prénom;Email;Date de naissance;Téléphone'];
  for (let i = 0; i < n; i++) {
    lines.push(`Quasimodo${i % 7 === 0 ? 'é' : ''};${NAMES[i % NAMES.length]};p${i}@exemple.fr;${String(1 + (i % 28)).padStart(2, '0')}/${String(1 + (Math.floor(i / 28) % 12)).padStart(2, '0')}/${1930 + Math.floor(i / 336)};06 12 ${String(i).padStart(6, '0').replace(/(\d\d)(?=\d)/g, '$1 ')}`);
  }
  return new TextEncoder().encode(lines.join('\r\n') + '\r\n');
}

describe('imports of ≥ BULK_MIN_ROWS people (bulk load)', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await newTestCore();
  });
  afterEach(async () => t.cleanup());

  it('finds the people by 3+ and 2-letter terms; FTS integrity holds; indexes, triggers and one change_log entry', async () => {
    const db = t.core.session()!.ctx.db;
    const before = await schema(db);
    const cacheBefore = (await db.raw('PRAGMA cache_size')) as unknown;
    expect(before.map((o) => o.name)).toEqual(expect.arrayContaining(['people_fts_ai', 'people_fts_au', 'people_fts_ad', 'people_live_search', 'people_sort_key_index', 'people_email_key_index']));
    const n = BULK_MIN_ROWS + 700;
    const bytes = csv(n);
    const preview = await t.call('imports:preview', { fileName: 'gros.csv', bytes });
    const seen: string[] = [];
    const listener = (q: { sql: string }) => seen.push(q.sql);
    db.on('query', listener);
    const report = await t.call('imports:run', { fileName: 'gros.csv', bytes, columns: preview.columns, dryRun: false });
    db.off('query', listener);
    expect(seen.filter((sql) => /^DROP INDEX/.test(sql)).length, 'the bulk path was taken').toBe(5);
    expect({ rows: report.rows, imported: report.imported, errors: report.errors.length }).toEqual({ rows: n, imported: n, errors: 0 });

    expect(await schema(db)).toEqual(before);
    expect(await db.raw('PRAGMA cache_size')).toEqual(cacheBefore); // raised during the load, given back
    await db.raw("INSERT INTO people_fts(people_fts) VALUES ('integrity-check')");
    expect(await count(db, 'people')).toBe(n);
    expect(await ftsHits(db, 'quasimodo')).toBe(n);
    const search = (query: string) => t.call('people:search', { query, limit: 5 });
    expect((await search('quasimodo')).total).toBe(1000); // capped
    expect((await search('ondine quasimodoé')).items.every((p) => p.firstName === 'Ondine' && p.lastName === 'Quasimodoé')).toBe(true);
    expect((await search('p1234@exemple.fr')).items.map((p) => p.email)).toEqual(['p1234@exemple.fr']);
    const last = await search(`p${n - 1}@exemple.fr`);
    expect(last.total).toBe(1);
    expect((await search('wa')).items.length).toBe(5);
    expect((await search('an')).total).toBeGreaterThan(0);
    // The indexes are used again (the plan of an e-mail key lookup) and the triggers fire: an edit is searchable.
    const plan = (await db.raw("EXPLAIN QUERY PLAN SELECT id FROM people WHERE email_key = 'p1@exemple.fr'")) as { detail: string }[];
    expect(plan.map((p) => p.detail).join()).toContain('people_email_key_index');
    const id = last.items[0]!.id;
    const person = (await t.call('people:get', { id })).person;
    await t.call('people:update', { id, person: { ...person, lastName: 'Esmeralda' } });
    expect((await search('esmeralda')).items.map((p) => p.id)).toEqual([id]);
    await db.raw("INSERT INTO people_fts(people_fts) VALUES ('integrity-check')");

    // The import is one change_log entry naming every new person (then one per later write).
    const log = (await db('change_log').orderBy('seq').select('*')) as { op: string; table_name: string; row_ids: string; columns: string }[];
    const imports = log.filter((e) => e.table_name === 'people' && e.op === 'insert');
    expect(imports).toHaveLength(1);
    expect(JSON.parse(imports[0]!.row_ids)).toHaveLength(n);
    expect(JSON.parse(imports[0]!.columns)).toEqual(expect.arrayContaining(['first_name', 'last_name', 'email', 'search_text', 'created_at']));

    // Importing the same file again changes nothing (and goes through no bulk load: nothing to insert).
    const again = await t.call('imports:run', { fileName: 'gros.csv', bytes, columns: preview.columns, dryRun: false });
    expect({ imported: again.imported, updated: again.updated, unchanged: again.unchanged }).toEqual({ imported: 0, updated: 0, unchanged: n });
    expect(await count(db, 'change_log')).toBe(log.length);
    expect(await schema(db)).toEqual(before);
  });
});

describe('bulk load failures restore the schema', () => {
  let root: string;
  let db: Knex;
  let mutator: Mutator;
  beforeEach(async () => {
    root = tempDir('solidariciel-bulk-');
    db = openSqlCipher(join(root, 'association.db'), randomBytes(32).toString('hex'));
    mutator = new Mutator(db, new HybridLogicalClock('device-test', () => clock.now().getTime()), clock);
    await migrate(db);
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  const rows = (n: number, bad = -1) =>
    Array.from({ length: n }, (_, i) => {
      const row = personToRow(personInput.parse({ firstName: `Prénom${i}`, lastName: `Nom${i}`, kinds: ['member'] }));
      if (i === bad) row['first_name'] = null; // NOT NULL: the statement fails
      return row;
    });

  it('a failing insert of ≥ BULK_MIN_ROWS rows leaves indexes, triggers and data as they were (error caught, transaction committed)', async () => {
    await mutator.insert('people', rows(3));
    const before = await schema(db);
    await db.transaction(async (trx) => {
      const error = await mutator.with(trx).insert('people', rows(BULK_MIN_ROWS + 10, BULK_MIN_ROWS)).catch((e: unknown) => e);
      expect(String(error)).toMatch(/NOT NULL/);
    });
    expect(await schema(db)).toEqual(before);
    expect(await count(db, 'people')).toBe(3);
    expect(await count(db, 'change_log')).toBe(1);
    await db.raw("INSERT INTO people_fts(people_fts) VALUES ('integrity-check')");
    // The triggers still work after the failed bulk load.
    await mutator.insert('people', rows(1));
    expect(await ftsHits(db, 'prenom0')).toBe(2);
  });

  it('a failing bulk insert outside a transaction rolls back everything too', async () => {
    const before = await schema(db);
    await expect(mutator.insert('people', rows(BULK_MIN_ROWS + 1, 5))).rejects.toThrow(/NOT NULL/);
    expect(await schema(db)).toEqual(before);
    expect(await count(db, 'people')).toBe(0);
    expect(await count(db, 'change_log')).toBe(0);
  });

  it('a successful bulk insert through the Mutator matches the trigger path', async () => {
    const before = await schema(db);
    const ids = await mutator.insert('people', rows(BULK_MIN_ROWS));
    expect(new Set(ids).size).toBe(BULK_MIN_ROWS);
    expect(await schema(db)).toEqual(before);
    await db.raw("INSERT INTO people_fts(people_fts) VALUES ('integrity-check')");
    expect(await ftsHits(db, 'prenom1999')).toBe(1);
    const found = await new PeopleRepository(db).search('nom1999', 10, false);
    expect(found.items.map((p) => p.id)).toEqual([ids[1999]]);
  });

  it('abort() inside a transaction undoes the drop and the rows', async () => {
    const before = await schema(db);
    await db.transaction(async (trx) => {
      const bulk = await beginBulkLoad(trx, 'people');
      expect((await schema(trx)).map((o) => o.name)).toEqual(['sqlite_autoindex_people_1', 'people_fts_ad', 'people_fts_au']); // the rest dropped
      await trx('people').insert({ id: 'x', created_at: 'now', updated_at: 'now', first_name: 'A', last_name: 'B' });
      await bulk.abort();
    });
    expect(await schema(db)).toEqual(before);
    expect(await count(db, 'people')).toBe(0);
  });

  it('replayInsertTrigger turns the FTS insert trigger into one INSERT … SELECT and leaves other triggers alone', () => {
    const ai = `CREATE TRIGGER people_fts_ai AFTER INSERT ON people BEGIN
      INSERT INTO people_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END`;
    expect(replayInsertTrigger(ai, 'people')).toEqual([
      'INSERT INTO "people_fts"("rowid", "search_text") SELECT "rowid", "search_text" FROM "people" WHERE rowid > ? AND rowid <= ? ORDER BY rowid',
    ]);
    expect(replayInsertTrigger(ai, 'tasks')).toBeNull();
    expect(replayInsertTrigger(ai.replace('new.search_text', "lower(new.search_text)"), 'people')).toBeNull();
    expect(replayInsertTrigger(ai.replace('AFTER INSERT', 'AFTER INSERT').replace('BEGIN', 'WHEN new.deleted_at IS NULL BEGIN'), 'people')).toBeNull();
    expect(replayInsertTrigger(`CREATE TRIGGER people_fts_ad AFTER DELETE ON people BEGIN
      INSERT INTO people_fts(people_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); END`, 'people')).toBeNull();
  });
});

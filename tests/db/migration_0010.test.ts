/**
 * Migration 0010 (STYLE.md §6): migrate a fresh SQLCipher database to n−1 (nothing: 0010 is the first), then to n;
 * check the schema in sqlite_master, data written through the Mutator, the people FTS index kept in step by its
 * triggers, the query plan of a search, and the refusal of a database carrying a migration this build does not know.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { openSqlCipher } from '../../main/db/sqlcipherClient';
import { appliedMigrations, migrate, MIGRATIONS } from '../../main/db/migrations';
import { Mutator, type Row } from '../../main/db/mutations';
import { PeopleRepository, personToRow } from '../../main/db/repositories/people';
import { HybridLogicalClock } from '../../main/sync/hlc';
import { personInput, type PersonInput } from '../../shared/domain/person';
import { AppError } from '../../shared/domain/errors';
import { openSlot, readKeyring } from '../../main/crypto/keyring';
import { newTestCore, PASSWORD, tempDir } from '../helpers/core';

const clock = { now: () => new Date('2026-11-21T09:00:00.000Z') };

interface MasterRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

async function master(db: Knex): Promise<MasterRow[]> {
  return (await db.raw("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")) as MasterRow[];
}

function person(first: string, last: string, extra: Record<string, unknown> = {}) {
  return personInput.parse({ firstName: first, lastName: last, kinds: ['member'], ...extra });
}

/** A person's row as 0010's schema holds it: `personToRow` without `member_search`, a column added by 0020. */
function row0010(p: PersonInput): Row {
  const { member_search: _added0020, ...row } = personToRow(p);
  return row;
}

/** Migration n of this file: the database as 0010 left it. */
const UP_TO_0010 = MIGRATIONS.slice(0, 1);

describe('migration 0010_initial', () => {
  let root: string;
  let db: Knex;
  let mutator: Mutator;

  beforeEach(() => {
    root = tempDir('solidariciel-mig-');
    db = openSqlCipher(join(root, 'association.db'), randomBytes(32).toString('hex'));
    mutator = new Mutator(db, new HybridLogicalClock('device-test', () => clock.now().getTime()), clock);
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  it('is the first migration; all are numbered in steps of 10, in order', () => {
    expect(MIGRATIONS[0]!.name).toBe('0010_initial');
    // Numbers may be left free for work on other branches (0050, 0060), never reused or out of order.
    const numbers = MIGRATIONS.map((m) => Number(m.name.slice(0, 4)));
    // Multiples of 10, strictly increasing: a number may be reserved by a branch not merged yet (a gap).
    for (const n of numbers) expect(n % 10).toBe(0);
    expect(numbers).toEqual([...new Set(numbers)].sort((a, b) => a - b));
  });

  it('creates the tables, the FTS table and its triggers (n−1 = empty schema, then n)', async () => {
    await migrate(db, MIGRATIONS.slice(0, 0));
    expect(await appliedMigrations(db)).toEqual([]);
    const before = (await master(db)).filter((r) => r.type === 'table').map((r) => r.name);
    expect(before.sort()).toEqual(['knex_migrations', 'knex_migrations_lock']);

    await migrate(db, UP_TO_0010);
    expect(await appliedMigrations(db)).toEqual(['0010_initial']);
    const rows = await master(db);
    const names = (type: string) => rows.filter((r) => r.type === type).map((r) => r.name).sort();
    expect(names('table')).toEqual(
      expect.arrayContaining(['meta', 'users', 'households', 'people', 'people_fts', 'tasks', 'documents', 'scope_keys', 'change_log']),
    );
    expect(names('trigger')).toEqual(['people_fts_ad', 'people_fts_ai', 'people_fts_au']);
    const fts = rows.find((r) => r.name === 'people_fts')!;
    expect(fts.sql).toMatch(/USING fts5\(search_text, content='people', content_rowid='rowid', tokenize='trigram'\)/);
    for (const trigger of rows.filter((r) => r.type === 'trigger')) expect(trigger.tbl_name).toBe('people');
    // Synced tables: id, created_at, updated_at, deleted_at, scope_id; no UNIQUE or foreign key a merge could violate.
    for (const table of ['users', 'households', 'people', 'tasks', 'documents']) {
      const cols = ((await db.raw(`PRAGMA table_info(${table})`)) as { name: string }[]).map((c) => c.name);
      expect(cols).toEqual(expect.arrayContaining(['id', 'created_at', 'updated_at', 'deleted_at', 'scope_id']));
      expect((await db.raw(`PRAGMA foreign_key_list(${table})`)) as unknown[]).toEqual([]);
      const uniques = ((await db.raw(`PRAGMA index_list(${table})`)) as { unique: number; origin: string }[]).filter((i) => i.unique === 1 && i.origin !== 'pk');
      expect({ table, uniques }).toEqual({ table, uniques: [] });
    }
    for (const index of ['people_sort_key_index', 'people_email_key_index', 'people_name_birth_key_index', 'tasks_status_due_date_index']) {
      expect(names('index')).toContain(index);
    }
  });

  it('running the migrations again is a no-op', async () => {
    await migrate(db, UP_TO_0010);
    const schema = await master(db);
    await migrate(db, UP_TO_0010);
    expect(await master(db)).toEqual(schema);
    expect(await appliedMigrations(db)).toEqual(['0010_initial']);
  });

  it('reads back what the Mutator wrote, with its change-log entries', async () => {
    await migrate(db, UP_TO_0010);
    const [id] = await mutator.insert('people', [row0010(person('Hélène', 'Lefèvre', { email: 'helene@exemple.fr', birthDate: '1980-05-01' }))]);
    const repo = new PeopleRepository(db);
    const got = await repo.get(id!);
    expect(got).toMatchObject({ id, firstName: 'Hélène', lastName: 'Lefèvre', email: 'helene@exemple.fr', birthDate: '1980-05-01', kinds: ['member'], archivedAt: null });
    expect(got!.createdAt).toBe('2026-11-21T09:00:00.000Z');
    const row = (await db('people').where({ id }).first()) as Record<string, unknown>;
    expect(row).toMatchObject({ scope_id: 'association', deleted_at: null, search_text: ' helene lefevre helene@exemple.fr 1980-05-01 ', email_key: 'helene@exemple.fr', name_birth_key: 'lefevre|helene|1980-05-01' });
    // One entry per write: the ids and the names of the columns written (values are read from the rows at push time).
    const log = (await db('change_log').select('*')) as { op: string; table_name: string; device_id: string; row_ids: string; columns: string; hlc: string }[];
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ op: 'insert', table_name: 'people', device_id: 'device-test' });
    expect(JSON.parse(log[0]!.row_ids)).toEqual([id]);
    expect(JSON.parse(log[0]!.columns)).toEqual(expect.arrayContaining(['id', 'first_name', 'last_name', 'search_text', 'created_at', 'scope_id']));
    expect(log[0]!.hlc).toMatch(/^\d{13}-[0-9a-f]{4}-device-test$/);
    // An update logs the changed columns only (and updated_at); a write of several rows is still one entry.
    await mutator.update('people', id!, { city: 'Paris' });
    const [a, b] = await mutator.insert('people', [row0010(person('Marc', 'Durand')), row0010(person('Zoé', 'Bernard'))]);
    const after = (await db('change_log').orderBy('seq').select('*')) as typeof log;
    expect(after.map((e) => [e.op, JSON.parse(e.row_ids), JSON.parse(e.columns).length > 2 ? 'all' : JSON.parse(e.columns)])).toEqual([
      ['insert', [id], 'all'],
      ['update', [id], ['city', 'updated_at']],
      ['insert', [a, b], 'all'],
    ]);
    expect(after[1]!.hlc > after[0]!.hlc && after[2]!.hlc > after[1]!.hlc).toBe(true);
  });

  it('keeps the people FTS index in step on insert and update: a renamed person is found by the new name only', async () => {
    await migrate(db, UP_TO_0010);
    const [id] = await mutator.insert('people', [row0010(person('Joël', 'Le Gall'))]);
    await mutator.insert('people', [row0010(person('Zoé', 'Bernard'))]);
    const match = async (q: string) => ((await db.raw('SELECT rowid FROM people_fts WHERE people_fts MATCH ?', [q])) as unknown[]).length;
    expect(await match('"gall"')).toBe(1);

    expect(await mutator.update('people', id!, row0010(person('Joël', 'Kerbrat')))).toEqual(
      expect.arrayContaining(['last_name', 'search_text', 'sort_key']),
    );
    // The FTS table holds the new text and not the old one (the repository's query needs the latest schema).
    expect(await match('"kerbrat"')).toBe(1);
    expect(await match('"gall"')).toBe(0);
    await db.raw("INSERT INTO people_fts(people_fts) VALUES ('integrity-check')");
    // A hard delete (never done by the app, but the trigger exists) also leaves the index consistent.
    await db('people').where({ id }).delete();
    expect(await match('"kerbrat"')).toBe(0);
    await db.raw("INSERT INTO people_fts(people_fts) VALUES ('integrity-check')");
  });

  it('a search of 3+ characters uses the FTS table (EXPLAIN QUERY PLAN of the repository query, latest schema)', async () => {
    await migrate(db);
    await mutator.insert('people', [row0010(person('Hélène', 'Lefèvre')), row0010(person('Marc', 'Durand'))]);
    const seen: { sql: string; bindings: unknown[] }[] = [];
    const listener = (q: { sql: string; bindings?: unknown[] }) => seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
    db.on('query', listener);
    const found = await new PeopleRepository(db).search('lefèvre', 10, false);
    db.off('query', listener);
    expect(found.items.map((p) => p.lastName)).toEqual(['Lefèvre']);
    const select = seen.find((q) => /people_fts/.test(q.sql) && /limit/i.test(q.sql));
    expect(select, 'the search query goes through people_fts').toBeDefined();
    const plan = (await db.raw(`EXPLAIN QUERY PLAN ${select!.sql}`, select!.bindings as Knex.RawBinding[])) as { detail: string }[];
    const details = plan.map((p) => p.detail);
    // The FTS5 index answers the MATCH (index plan "M…"), and people rows are then fetched by rowid, not scanned.
    expect(details.some((d) => /people_fts VIRTUAL TABLE INDEX \d+:M/.test(d))).toBe(true);
    expect(details).toContain('SEARCH people USING INTEGER PRIMARY KEY (rowid=?)');
    expect(details.filter((d) => /^SCAN people\b(?!_fts)/.test(d))).toEqual([]);
  });

  it('refuses a database carrying an unknown (newer) migration with DB_NEWER_VERSION and changes nothing', async () => {
    await migrate(db, UP_TO_0010);
    await db('knex_migrations').insert({ name: '9990_from_the_future', batch: 2, migration_time: new Date() });
    const schema = await master(db);
    const applied = await appliedMigrations(db);
    const error = await migrate(db, UP_TO_0010).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'DB_NEWER_VERSION' });
    expect((error as AppError).message).toContain('9990_from_the_future');
    expect(await master(db)).toEqual(schema);
    expect(await appliedMigrations(db)).toEqual(applied);
    expect(applied).toEqual(['0010_initial', '9990_from_the_future']);
  });
});

describe('unlocking an association written by a newer version', () => {
  it('is refused with DB_NEWER_VERSION; the database keeps its schema and data', async () => {
    const t = await newTestCore();
    try {
      const { id } = await t.call('people:create', { person: { firstName: 'Inès', lastName: 'Benoît' } });
      const db = t.core.session()!.ctx.db;
      await db('knex_migrations').insert({ name: '9990_from_the_future', batch: 2, migration_time: new Date() });
      const schema = await master(db);
      await t.call('session:lock', {});
      await expect(t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD })).rejects.toMatchObject({ code: 'DB_NEWER_VERSION' });
      expect(t.core.session()).toBeNull();
      // Open the file directly with its key: nothing was migrated or removed.
      const { dbKey } = await openSlot(await readKeyring(t.dir), 'admin', PASSWORD);
      const raw = openSqlCipher(join(t.dir, 'association.db'), Buffer.from(dbKey).toString('hex'));
      try {
        expect(await master(raw)).toEqual(schema);
        expect(await appliedMigrations(raw)).toEqual([...MIGRATIONS.map((m) => m.name), '9990_from_the_future']);
        expect(((await raw('people').select('id')) as { id: string }[]).map((r) => r.id)).toEqual([id]);
      } finally {
        await raw.destroy();
      }
    } finally {
      await t.cleanup();
    }
  });
});

/**
 * Migration 0020 (STYLE.md §6): a database at 0010 with users and a task, migrated to 0020: default roles seeded,
 * former administrators get `admin` and the others `social_worker`, existing tasks stay visible to everyone, the new
 * tables exist with the synced columns and no constraint a merge could violate, and the audit trail refuses UPDATE and
 * DELETE. People written at 0010 (member number inside search_text) get it moved to member_search, found by it only
 * by a reader with people.readMembership, through the FTS index (query plans for both readers).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { openSqlCipher } from '../../main/db/sqlcipherClient';
import { appliedMigrations, migrate, MIGRATIONS } from '../../main/db/migrations';
import { Mutator } from '../../main/db/mutations';
import { PeopleRepository, personToRow, type PeopleReader } from '../../main/db/repositories/people';
import { HybridLogicalClock } from '../../main/sync/hlc';
import { personInput } from '../../shared/domain/person';
import { DEFAULT_ROLES } from '../../shared/domain/access';
import { tempDir } from '../helpers/core';

const NOW = '2026-11-21T09:00:00.000Z';
const row = (id: string, extra: Record<string, unknown>) => ({ id, created_at: NOW, updated_at: NOW, scope_id: 'association', ...extra });
/** People as 0010 wrote them: the folded member number at the end of search_text (or, in development builds of 0020, after ' | '). */
const PEOPLE_0010 = [
  row('p-awa', { first_name: 'Awa', last_name: 'Diallo', member_number: 'A-042', phone: '06 12 34 56 78', sort_key: 'diallo\u0001awa', search_text: 'awa diallo 0612345678 a-042' }),
  row('p-lea', { first_name: 'Léa', last_name: 'Roux', member_number: 'B-7', sort_key: 'roux\u0001lea', search_text: 'lea roux | b-7' }),
  row('p-marc', { first_name: 'Marc', last_name: 'Durand', email: 'marc@exemple.fr', sort_key: 'durand\u0001marc', search_text: 'marc durand marc@exemple.fr' }),
];
const WITHOUT_MEMBERSHIP: PeopleReader = { scope: () => true, searchMemberNumbers: false };
const found = async (db: Knex, q: string, reader?: PeopleReader) => (await new PeopleRepository(db, reader).search(q, 10, false)).items.map((p) => p.id);

describe('migration 0020_access', () => {
  let root: string;
  let db: Knex;
  beforeEach(async () => {
    root = tempDir('solidariciel-m0020-');
    db = openSqlCipher(join(root, 'association.db'), randomBytes(32).toString('hex'));
    await migrate(db, MIGRATIONS.slice(0, 1));
    await db('users').insert([row('u-admin', { name: 'marie', display_name: 'Marie', is_admin: 1 }), row('u-staff', { name: 'paul', display_name: 'Paul', is_admin: 0 })]);
    await db('tasks').insert(row('t-1', { title: 'Rappeler la CAF' }));
    await db('people').insert(PEOPLE_0010);
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  it('seeds the default roles and gives existing users a role', async () => {
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(MIGRATIONS.map((m) => m.name).slice(0, 2)).toEqual(['0010_initial', '0020_access']);
    const roles = (await db('roles').select('id', 'permissions', 'builtin')) as { id: string; permissions: string; builtin: number }[];
    expect(roles.map((r) => r.id).sort()).toEqual(DEFAULT_ROLES.map((r) => r.id).sort());
    for (const r of DEFAULT_ROLES) expect(JSON.parse(roles.find((x) => x.id === r.id)!.permissions)).toEqual([...r.permissions]);
    expect(await db('users').orderBy('name').select('name', 'role_id')).toEqual([
      { name: 'marie', role_id: 'admin' },
      { name: 'paul', role_id: 'social_worker' },
    ]);
    expect(await db('tasks').where({ id: 't-1' }).first('title', 'visibility', 'ciphertext')).toEqual({ title: 'Rappeler la CAF', visibility: '{"kind":"everyone"}', ciphertext: null });
  });

  it('creates synced tables without UNIQUE or foreign keys', async () => {
    await migrate(db);
    for (const table of ['roles', 'groups', 'group_members', 'person_groups', 'scope_key_pairs', 'scope_key_grants', 'case_notes', 'consents']) {
      const cols = ((await db.raw(`PRAGMA table_info(${table})`)) as { name: string }[]).map((c) => c.name);
      expect(cols).toEqual(expect.arrayContaining(['id', 'created_at', 'updated_at', 'deleted_at', 'scope_id']));
      expect((await db.raw(`PRAGMA foreign_key_list(${table})`)) as unknown[]).toEqual([]);
      const uniques = ((await db.raw(`PRAGMA index_list(${table})`)) as { unique: number; origin: string }[]).filter((i) => i.unique === 1 && i.origin !== 'pk');
      expect({ table, uniques }).toEqual({ table, uniques: [] });
    }
  });

  it('the audit trail is append-only', async () => {
    await migrate(db);
    await db('audit_log').insert({ at: NOW, actor_name: 'marie', action: 'session.unlock', prev_hash: '0'.repeat(64), hash: 'x' });
    await expect(db('audit_log').update({ actor_name: 'intrus' })).rejects.toThrow(/append-only/);
    await expect(db('audit_log').delete()).rejects.toThrow(/append-only/);
    expect(await db('audit_log').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('moves the member number of people written at 0010 from search_text to member_search', async () => {
    // At 0010 the member number is in search_text: anyone finds it (the repository's query needs the latest schema).
    expect(((await db.raw(`SELECT rowid FROM people_fts WHERE people_fts MATCH '"a-042"'`)) as unknown[]).length).toBe(1);
    await migrate(db);
    expect(await db('people').orderBy('id').select('id', 'search_text', 'member_search')).toEqual([
      // Bounded by spaces since 0070 (migration_0070.test.ts).
      { id: 'p-awa', search_text: ' awa diallo 0612345678 ', member_search: 'a-042' },
      { id: 'p-lea', search_text: ' lea roux ', member_search: 'b-7' },
      { id: 'p-marc', search_text: ' marc durand marc@exemple.fr ', member_search: '' },
    ]);
    await db.raw("INSERT INTO people_fts(people_fts) VALUES ('integrity-check')");
    // An administrator finds people by member number (trigram and 1–2 letter terms); a reader without
    // people.readMembership does not, but still by everything else.
    for (const q of ['A-042', '042', 'awa a-04', 'diallo a-']) expect({ q, ids: await found(db, q) }).toEqual({ q, ids: ['p-awa'] });
    expect(await found(db, 'roux b-7')).toEqual(['p-lea']);
    expect(await found(db, 'b-')).toEqual(['p-lea']);
    for (const q of ['A-042', '042', 'awa a-04', 'diallo a-', 'b-7', 'b-']) expect({ q, ids: await found(db, q, WITHOUT_MEMBERSHIP) }).toEqual({ q, ids: [] });
    for (const q of ['diallo', '0612', 'aw', 'roux']) expect(await found(db, q, WITHOUT_MEMBERSHIP)).toHaveLength(1);
    expect(await found(db, 'exemple.fr', WITHOUT_MEMBERSHIP)).toEqual(['p-marc']);
  });

  it('recreates people_fts and people_live_search with member_search, and keeps them in step', async () => {
    await migrate(db);
    const objects = (await db.raw("SELECT name, sql FROM sqlite_master WHERE tbl_name IN ('people', 'people_fts') AND sql IS NOT NULL")) as { name: string; sql: string }[];
    const sql = (name: string) => objects.find((o) => o.name === name)?.sql ?? '';
    expect(sql('people_fts')).toMatch(/USING fts5\(search_text, member_search, content='people', content_rowid='rowid', tokenize='trigram'\)/);
    expect(sql('people_fts_au')).toMatch(/AFTER UPDATE OF search_text, member_search ON people/);
    expect(sql('people_live_search')).toMatch(/ON people \(sort_key, id, archived_at, search_text, member_search\) WHERE deleted_at IS NULL/);
    // Writes through the Mutator keep both columns indexed: a new member number is found, the old one no longer.
    const mutator = new Mutator(db, new HybridLogicalClock('device-test', () => Date.parse(NOW)), { now: () => new Date(NOW) });
    const person = (memberNumber: string) => personInput.parse({ firstName: 'Inès', lastName: 'Kaci', memberNumber, kinds: ['member'] });
    const [id] = await mutator.insert('people', [personToRow(person('C-100'))]);
    expect(await found(db, 'c-100')).toEqual([id]);
    await mutator.update('people', id!, personToRow(person('D-200')));
    expect(await found(db, 'c-100')).toEqual([]);
    expect(await found(db, 'd-200')).toEqual([id]);
    expect(await found(db, 'd-200', WITHOUT_MEMBERSHIP)).toEqual([]);
    await db.raw("INSERT INTO people_fts(people_fts) VALUES ('integrity-check')");
  });

  describe('query plans of a search, with and without people.readMembership', () => {
    type Statement = { sql: string; bindings: Knex.RawBinding[] };
    /** The repository's statements for `query` that match `which` (at least one). */
    async function statements(query: string, reader: PeopleReader | undefined, which: RegExp): Promise<Statement[]> {
      const seen: Statement[] = [];
      const listener = (q: { sql: string; bindings?: Knex.RawBinding[] }) => seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
      db.on('query', listener);
      await new PeopleRepository(db, reader).search(query, 10, false);
      db.off('query', listener);
      const selected = seen.filter((q) => which.test(q.sql));
      expect(selected.length, `a statement matches ${String(which)}`).toBeGreaterThan(0);
      return selected;
    }
    const plan = async (q: Statement) => ((await db.raw(`EXPLAIN QUERY PLAN ${q.sql}`, q.bindings)) as { detail: string }[]).map((p) => p.detail);
    beforeEach(async () => migrate(db));

    for (const [who, reader] of [['with', undefined], ['without', WITHOUT_MEMBERSHIP]] as const) {
      it(`3+ characters ${who} the permission: the FTS index answers, people is never scanned`, async () => {
        for (const q of await statements('diallo', reader, /people_fts/)) {
          const details = await plan(q);
          expect(details.some((d) => /people_fts VIRTUAL TABLE INDEX \d+:M/.test(d))).toBe(true);
          expect(details.filter((d) => /^SCAN people\b(?!_fts)/.test(d))).toEqual([]);
        }
      });

      it(`1–2 letters ${who} the permission: people_live_search covers the filter, no full row is read`, async () => {
        const [select] = await statements('aw', reader, /LIKE/);
        // Not called COVERING (the partial index's own condition, deleted_at IS NULL, is a column outside it), but
        // the bytecode defers the row seek and reads every column from the index cursor: no row is ever fetched.
        expect(await plan(select!)).toEqual(['SCAN people USING INDEX people_live_search']);
        const code = (await db.raw(`EXPLAIN ${select!.sql}`, select!.bindings)) as { opcode: string; p1: number; p4: string | null }[];
        const index = code.find((op) => op.opcode === 'OpenRead' && /^k\(/.test(op.p4 ?? ''))!.p1;
        expect(code.filter((op) => op.opcode === 'Column').map((op) => op.p1)).toEqual(expect.arrayContaining([index]));
        expect(code.filter((op) => op.opcode === 'Column' && op.p1 !== index)).toEqual([]);
      });
    }
  });
});


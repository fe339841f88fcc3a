/**
 * Migration 0070 (STYLE.md §6): people written before it (search text without birth date or bounding spaces) get
 * their search text recomputed — birth date included, a space at each end — without a change_log entry; the FTS
 * index is rebuilt and in step; a birth date and a whole word are then found through the trigram index.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appliedMigrations, migrate, MIGRATIONS } from '../../main/db/migrations';
import { PeopleRepository } from '../../main/db/repositories/people';
import { openSqlCipher } from '../../main/db/sqlcipherClient';
import { tempDir } from '../helpers/core';

const NOW = '2026-11-21T09:00:00.000Z';
const BEFORE_0070 = MIGRATIONS.filter((m) => m.name < '0070');
const row = (id: string, extra: Record<string, unknown>) => ({ id, created_at: NOW, updated_at: NOW, scope_id: 'association', kinds: '[]', ...extra });
/** People as 0020–0040 wrote them. */
const PEOPLE_0040 = [
  row('p-awa', { first_name: 'Awa', last_name: 'Diallo', birth_date: '1944-12-09', phone: '06 12 34 56 78', member_number: 'A-042', sort_key: 'diallo\u0001awa', search_text: 'awa diallo 0612345678', member_search: 'a-042' }),
  row('p-lea', { first_name: 'Léa', last_name: 'Roux', sort_key: 'roux\u0001lea', search_text: 'lea roux', member_search: '' }),
  row('p-gone', { first_name: 'Marc', last_name: 'Durand', birth_date: '1944-01-02', deleted_at: NOW, sort_key: 'durand\u0001marc', search_text: 'marc durand', member_search: '' }),
];

describe('migration 0070_search_birth_date', () => {
  let root: string;
  let db: Knex;
  beforeEach(async () => {
    root = tempDir('solidariciel-m0070-');
    db = openSqlCipher(join(root, 'association.db'), randomBytes(32).toString('hex'));
    await migrate(db, BEFORE_0070);
    await db('people').insert(PEOPLE_0040);
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  it('recomputes the search text with the birth date and bounding spaces, no change_log entry, FTS in step', async () => {
    const logBefore = await db('change_log').count({ n: '*' }).first();
    await migrate(db);
    expect(await appliedMigrations(db)).toContain('0070_search_birth_date');
    expect(await db('people').orderBy('id').select('id', 'search_text', 'member_search')).toEqual([
      { id: 'p-awa', search_text: ' awa diallo 0612345678 1944-12-09 ', member_search: 'a-042' },
      { id: 'p-gone', search_text: ' marc durand 1944-01-02 ', member_search: '' },
      { id: 'p-lea', search_text: ' lea roux ', member_search: '' },
    ]);
    expect(await db('change_log').count({ n: '*' }).first()).toEqual(logBefore);
    await db.raw("INSERT INTO people_fts(people_fts) VALUES ('integrity-check')");
    const match = async (q: string) => ((await db.raw('SELECT rowid FROM people_fts WHERE people_fts MATCH ?', [q])) as unknown[]).length;
    expect(await match('"1944-12-09"')).toBe(1);
    expect(await match('" roux "')).toBe(1);
    expect(await match('{member_search} : "a-042"')).toBe(1);
  });

  it('then finds a birth date and a typo, never a deleted person; the date query goes through the FTS index', async () => {
    await migrate(db);
    const repo = new PeopleRepository(db);
    const found = async (q: string) => (await repo.search(q, 10, false)).items.map((p) => p.id);
    expect(await found('09/12/1944')).toEqual(['p-awa']);
    expect(await found('1944')).toEqual(['p-awa']);
    expect(await found('dialo')).toEqual(['p-awa']);
    expect(await found('roux')).toEqual(['p-lea']);
    const seen: { sql: string; bindings: unknown[] }[] = [];
    const listener = (q: { sql: string; bindings?: unknown[] }) => seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
    db.on('query', listener);
    await repo.search('9/12/1944', 10, false);
    db.off('query', listener);
    const select = seen.find((q) => /people_fts/.test(q.sql));
    expect(select, 'the search query goes through people_fts').toBeDefined();
    const plan = ((await db.raw(`EXPLAIN QUERY PLAN ${select!.sql}`, select!.bindings as Knex.RawBinding[])) as { detail: string }[]).map((p) => p.detail);
    expect(plan.some((d) => /people_fts VIRTUAL TABLE INDEX \d+:M/.test(d))).toBe(true);
    expect(plan.filter((d) => /^SCAN people\b(?!_fts)/.test(d))).toEqual([]);
  });
});

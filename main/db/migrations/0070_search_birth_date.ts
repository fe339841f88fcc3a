/**
 * 0070 — people search finds birth dates, whole words and word starts (docs/architecture.md "Search"):
 * `people.search_text` gains the birth date (ISO, `1944-12-09`) and a space at each end (` awa diallo 1944-12-09 `),
 * so that the trigram index can look for a whole word (` diallo `) or a word's start (` dia`) as well as any part.
 * Derived, local column (every device computes it the same way, `personSearchText`): plain UPDATEs, no change_log
 * entry. The people FTS table, its triggers and the covering index are dropped first and made again as 0020 made
 * them, so that the rewrite does not update the index row by row; the index is rebuilt once.
 */
import type { Knex } from 'knex';
import { personSearchText } from '../../services/people/searchText';
import type { Migration } from './types';

/** Rows per INSERT into the temporary table of new search texts (2 bound values each: under SQLite's 999). */
const CHUNK = 400;

async function rewriteSearchText(knex: Knex): Promise<void> {
  type Text = string | null;
  type Stored = { rid: number; first_name: string; last_name: string; email: Text; phone: Text; phone2: Text; birth_date: Text; search_text: string };
  const rows = (await knex('people').select({ rid: 'rowid' }, 'first_name', 'last_name', 'email', 'phone', 'phone2', 'birth_date', 'search_text')) as Stored[];
  const changed: [number, string][] = [];
  for (const r of rows) {
    const text = personSearchText({ firstName: r.first_name, lastName: r.last_name, email: r.email, phone: r.phone, phone2: r.phone2, birthDate: r.birth_date });
    if (text !== r.search_text) changed.push([r.rid, text]);
  }
  if (changed.length === 0) return;
  await knex.raw('CREATE TEMP TABLE people_search_0070 (rid INTEGER PRIMARY KEY, search_text TEXT NOT NULL)');
  for (let i = 0; i < changed.length; i += CHUNK) {
    const chunk = changed.slice(i, i + CHUNK);
    await knex.raw(`INSERT INTO temp.people_search_0070 (rid, search_text) VALUES ${chunk.map(() => '(?, ?)').join(', ')}`, chunk.flat());
  }
  await knex.raw(`UPDATE people SET search_text = (SELECT s.search_text FROM temp.people_search_0070 s WHERE s.rid = people.rowid)
    WHERE rowid IN (SELECT rid FROM temp.people_search_0070)`);
  await knex.raw('DROP TABLE temp.people_search_0070');
}

export const m0070: Migration = {
  name: '0070_search_birth_date',
  async up(knex) {
    for (const trigger of ['people_fts_ai', 'people_fts_ad', 'people_fts_au']) await knex.raw(`DROP TRIGGER IF EXISTS ${trigger}`);
    await knex.raw('DROP TABLE IF EXISTS people_fts');
    await knex.raw('DROP INDEX IF EXISTS people_live_search');
    await rewriteSearchText(knex);
    await knex.raw(`CREATE VIRTUAL TABLE people_fts USING fts5(search_text, member_search, content='people', content_rowid='rowid', tokenize='trigram')`);
    await knex.raw(`CREATE TRIGGER people_fts_ai AFTER INSERT ON people BEGIN
      INSERT INTO people_fts(rowid, search_text, member_search) VALUES (new.rowid, new.search_text, new.member_search); END`);
    await knex.raw(`CREATE TRIGGER people_fts_ad AFTER DELETE ON people BEGIN
      INSERT INTO people_fts(people_fts, rowid, search_text, member_search) VALUES ('delete', old.rowid, old.search_text, old.member_search); END`);
    await knex.raw(`CREATE TRIGGER people_fts_au AFTER UPDATE OF search_text, member_search ON people BEGIN
      INSERT INTO people_fts(people_fts, rowid, search_text, member_search) VALUES ('delete', old.rowid, old.search_text, old.member_search);
      INSERT INTO people_fts(rowid, search_text, member_search) VALUES (new.rowid, new.search_text, new.member_search); END`);
    await knex.raw(`INSERT INTO people_fts(people_fts) VALUES ('rebuild')`);
    await knex.raw('CREATE INDEX people_live_search ON people (sort_key, id, archived_at, search_text, member_search) WHERE deleted_at IS NULL');
  },
};

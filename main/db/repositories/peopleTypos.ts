/**
 * Names within one typo of a search term (docs/architecture.md "Search"): the words of the people's search
 * texts (letters only, three or more) are kept in memory per database, grouped by length, and a term is compared with
 * those one letter shorter, as long, or longer (`withinOneEdit`, shared/domain/searchQuery.ts). The search then looks
 * for those words, whole, through the trigram index (` diallo `), which finds only people who have one.
 *
 * The word list is read again (one walk of the covering index: ≈ 50–100 ms for 100,000 people) when people were
 * added or written on this device (`people` rowids, `change_log`), a sync applied changes (`sync_received`), or after
 * VOCABULARY_TTL_MS; a word list a little behind only misses a typo match until then, never shows anyone it should not
 * (the people query itself is scoped and exact).
 */
import type { Knex } from 'knex';
import { withinOneEdit } from '../../../shared/domain/searchQuery';

/** How long a word list is trusted at most (ms). */
export const VOCABULARY_TTL_MS = 5 * 60_000;

interface Vocabulary {
  version: string;
  at: number;
  byLength: Map<number, string[]>;
}

/** Per database (its knex client, shared by its transactions). */
const vocabularies = new WeakMap<object, Vocabulary>();

async function version(db: Knex | Knex.Transaction): Promise<string> {
  const row = (await db
    .select(
      db.raw('(SELECT max(rowid) FROM people) AS p'),
      db.raw('(SELECT max(seq) FROM change_log) AS c'),
      db.raw("(SELECT max(rowid) FROM sync_received) AS s"),
    )
    .first()) as { p: number | null; c: number | null; s: number | null };
  return `${row.p}:${row.c}:${row.s}`;
}

async function vocabulary(db: Knex | Knex.Transaction): Promise<Map<number, string[]>> {
  const v = await version(db);
  const known = vocabularies.get(db.client as object);
  if (known && known.version === v && Date.now() - known.at < VOCABULARY_TTL_MS) return known.byLength;
  const rows = (await db('people').whereNull('deleted_at').orderBy('sort_key').select('search_text')) as { search_text: string }[];
  const words = new Set<string>();
  for (const r of rows) for (const w of r.search_text.split(' ')) if (w.length >= 3 && /^[a-z]+$/.test(w)) words.add(w);
  const byLength = new Map<number, string[]>();
  for (const w of words) {
    const list = byLength.get(w.length);
    if (list) list.push(w);
    else byLength.set(w.length, [w]);
  }
  vocabularies.set(db.client as object, { version: v, at: Date.now(), byLength });
  return byLength;
}

/** The words of people's names one edit away from `term` (never `term` itself). */
export async function wordsWithinOneEdit(db: Knex | Knex.Transaction, term: string): Promise<string[]> {
  const byLength = await vocabulary(db);
  const out: string[] = [];
  for (const n of [term.length - 1, term.length, term.length + 1]) for (const w of byLength.get(n) ?? []) if (w !== term && withinOneEdit(w, term)) out.push(w);
  return out;
}

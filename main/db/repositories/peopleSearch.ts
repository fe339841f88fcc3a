/**
 * The people search query (docs/architecture.md "Search", docs/performance.md): every term of what was typed
 * must match, ranked whole words first (`martin` → MARTIN), then word starts (MARTINE), then anywhere inside
 * (marie.martin1@…), then, when that leaves the page short, names within one typo (`dialo` → DIALLO, peopleTypos.ts). Birth dates
 * are in the search text (`1944-12-09`), so dates are plain terms (`searchTerms`).
 *
 * Plans. Terms of 3+ characters (with their bounding spaces: ` ma`, ` diallo `) use the FTS5 trigram index; shorter
 * ones are tested with LIKE on the covering index `people_live_search` (sort_key, id, archived_at, search_text,
 * member_search). Up to SEARCH_TOTAL_CAP matches, they are all read (from the index or by rowid) and ranked here;
 * beyond, whole words come first, then the rest in list order, each walked until the page is full.
 */
import type { Knex } from 'knex';
import { acceptsTypos, termRank } from '../../../shared/domain/searchQuery';
import { searchTerms } from '../../services/people/searchText';
import { wordsWithinOneEdit } from './peopleTypos';

/** Search totals are counted up to this many matches (beyond: "1000+"); counting every match of a common term costs a full scan. */
export const SEARCH_TOTAL_CAP = 1000;

/** One term's condition: the row holds one of `any` (folded text), in search_text or, with `members`, member_search too. */
interface Needle {
  any: string[];
  members: boolean;
}

/** What a candidate row brings to ranking: all from `people_live_search`. */
interface Candidate {
  rowid: number;
  search_text: string;
  member_search: string;
  sort_key: string;
  id: string;
}

const CANDIDATE_COLUMNS = ['rowid', 'search_text', 'member_search', 'sort_key', 'id'];

const ftsPhrase = (text: string) => `"${text.replace(/"/g, '""')}"`;
const likeText = (t: string) => `%${t.replace(/[%_\\]/g, '\\$&')}%`;
const byListOrder = (a: Candidate, b: Candidate) => (a.sort_key < b.sort_key ? -1 : a.sort_key > b.sort_key ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The text a candidate's terms are ranked in: its search text, and its member number when the reader may search it. */
const rankText = (c: Candidate, members: boolean) => (members && c.member_search ? `${c.search_text || ' '}${c.member_search} ` : c.search_text);

/** FTS5 query of the needles the trigram index can answer (every text of 3+ characters), or null when none can. */
function ftsQuery(needles: Needle[]): string | null {
  const parts = needles
    .filter((n) => n.any.every((t) => t.length >= 3))
    .map((n) => {
      const any = n.any.map(ftsPhrase).join(' OR ');
      // Column filter (https://sqlite.org/fts5.html#fts5_column_filters): the index still answers.
      return n.members ? `(${any})` : `{search_text} : (${any})`;
    });
  return parts.length > 0 ? parts.join(' AND ') : null;
}

/** Adds the needles to `q`: FTS5 for the trigram-able ones (`walk`: as a filter of a walk in list order), LIKE for the others. */
function applyNeedles(q: Knex.QueryBuilder, needles: Needle[], walk: boolean): void {
  const fts = ftsQuery(needles);
  if (fts !== null) q.whereRaw(`${walk ? '+rowid' : 'rowid'} IN (SELECT rowid FROM people_fts WHERE people_fts MATCH ?)`, [fts]);
  for (const n of needles.filter((x) => x.any.some((t) => t.length < 3))) {
    const columns = n.members ? ['search_text', 'member_search'] : ['search_text'];
    const tests = n.any.flatMap((t) => columns.map(() => likeText(t)));
    q.whereRaw(`(${n.any.flatMap(() => columns.map((c) => `${c} LIKE ? ESCAPE '\\'`)).join(' OR ')})`, tests);
  }
}

export interface SearchPage {
  /** rowids of the page, in rank order. */
  rowids: number[];
  total: number;
  totalCapped: boolean;
}

/**
 * Runs a search for `PeopleRepository.search` on `db`. `base()` is the reader's live people (scope, archived) as a fresh
 * query on `people`. Returns the rowids of the page (`offset`, `limit`) in rank order and the number of matches
 * counted up to SEARCH_TOTAL_CAP (typo matches included when counted).
 */
export async function searchPage(db: Knex | Knex.Transaction, base: () => Knex.QueryBuilder, query: string, limit: number, offset: number, members: boolean): Promise<SearchPage> {
  const terms = searchTerms(query);
  const need = offset + limit;
  if (terms.length === 0) {
    // No term: the list in order, one walk of people_live_search (the page and the count up to the cap).
    if (need <= SEARCH_TOTAL_CAP + 1) {
      const ids = await walk(base, [], [], 0, SEARCH_TOTAL_CAP + 1);
      return { rowids: ids.slice(offset, need).map((c) => c.rowid), total: Math.min(ids.length, SEARCH_TOTAL_CAP), totalCapped: ids.length > SEARCH_TOTAL_CAP };
    }
    const count = (await base().count({ n: '*' }).first()) as { n: number } | undefined;
    const n = Number(count?.n ?? 0);
    return { rowids: (await walk(base, [], [], offset, limit)).map((c) => c.rowid), total: Math.min(n, SEARCH_TOTAL_CAP), totalCapped: n > SEARCH_TOTAL_CAP };
  }
  const anywhere = terms.map((t) => ({ any: [t], members }));
  const inListOrder = ftsQuery(anywhere) === null; // short terms only: upToCap walked the list in order
  const first = await firstMatches(base, anywhere);
  const matches = first.length > SEARCH_TOTAL_CAP ? null : first;
  if (matches === null) {
    const rowids = await rankedWalk(db, base, terms, anywhere, need, inListOrder ? first : null);
    return { rowids: rowids.slice(offset, need), total: SEARCH_TOTAL_CAP, totalCapped: true };
  }

  const rankOf = (c: Candidate) => Math.max(...terms.map((t) => termRank(rankText(c, members), t) ?? 2));
  const ranked = matches.map((c) => ({ c, rank: rankOf(c) })).sort((a, b) => a.rank - b.rank || byListOrder(a.c, b.c)).map((x) => x.c);
  const typos = ranked.length < need ? await typoMatches(db, base, terms, members, new Set(ranked.map((c) => c.rowid)), need - ranked.length) : { rows: [], capped: false };
  const all = [...ranked, ...typos.rows];
  const capped = typos.capped || all.length > SEARCH_TOTAL_CAP;
  return { rowids: all.slice(offset, need).map((c) => c.rowid), total: capped ? SEARCH_TOTAL_CAP : all.length, totalCapped: capped };
}

/** Every match of `needles` not matching `exclude`, or null when there are more than SEARCH_TOTAL_CAP. */
async function upToCap(base: () => Knex.QueryBuilder, needles: Needle[], exclude: Needle[]): Promise<Candidate[] | null> {
  const rows = await firstMatches(base, needles, exclude);
  return rows.length > SEARCH_TOTAL_CAP ? null : rows;
}

/**
 * Up to SEARCH_TOTAL_CAP + 1 matches of `needles` not matching `exclude`: in list order when no needle can use the
 * trigram index (a walk of people_live_search), in no particular order otherwise.
 */
async function firstMatches(base: () => Knex.QueryBuilder, needles: Needle[], exclude: Needle[] = []): Promise<Candidate[]> {
  const fts = ftsQuery(needles);
  // Without a trigram term, the walk of the covering index in list order is the only plan (ORDER BY makes the
  // planner take the index rather than scan the table); it stops after cap + 1 rows.
  const q = base();
  applyNeedles(q, needles, fts === null);
  if (fts === null) q.orderBy('sort_key').orderBy('id');
  if (exclude.length > 0) q.whereNot((w) => applyNeedles(w, exclude, true));
  return (await q.select(CANDIDATE_COLUMNS).limit(SEARCH_TOTAL_CAP + 1)) as Candidate[];
}

/** `take` matches of `needles` not matching `exclude`, after `skip`, in list order: a walk of people_live_search. */
async function walk(base: () => Knex.QueryBuilder, needles: Needle[], exclude: Needle[], skip: number, take: number): Promise<Candidate[]> {
  const q = base();
  applyNeedles(q, needles, true);
  if (exclude.length > 0) q.whereNot((w) => applyNeedles(w, exclude, true));
  return (await q.select(CANDIDATE_COLUMNS).orderBy('sort_key').orderBy('id').limit(take).offset(skip)) as Candidate[];
}

/** How many rows the trigram index alone gives for `needles` (no scope or tombstone check), up to the cap + 1. */
async function ftsCount(db: Knex | Knex.Transaction, needles: Needle[]): Promise<number> {
  const fts = ftsQuery(needles);
  if (fts === null) return Infinity;
  const row = (await db.count({ n: '*' }).from(db('people_fts').select('rowid').whereRaw('people_fts MATCH ?', [fts]).limit(SEARCH_TOTAL_CAP + 1).as('m')).first()) as { n: number } | undefined;
  return Number(row?.n ?? 0);
}

/**
 * The first `need` matches of more than SEARCH_TOTAL_CAP, in rank order: people where every term is a whole word
 * first (read whole when the trigram index says they are few, else walked), then the rest in list order, walked; each
 * walk stops once the page is full. `listStart`: the first matches in list order when already read. Word starts are not a rank of their own here: looking them up (` le…`) walks a
 * large part of the trigram index for every page (≈ 15–30 ms, docs/performance.md §7).
 */
async function rankedWalk(db: Knex | Knex.Transaction, base: () => Knex.QueryBuilder, terms: string[], anywhere: Needle[], need: number, listStart: Candidate[] | null): Promise<number[]> {
  const words = terms.map((t) => ({ any: [` ${t} `], members: false }));
  const out: Candidate[] = [];
  const add = (rows: Candidate[]) => out.push(...rows.slice(0, need - out.length));
  const wordCount = await ftsCount(db, words);
  // No whole word: the list's start, already walked (`listStart`, short terms), is the page.
  if (wordCount === 0 && listStart && listStart.length >= need) return listStart.slice(0, need).map((c) => c.rowid);
  if (wordCount > 0) add(wordCount <= SEARCH_TOTAL_CAP ? ((await upToCap(base, words, [])) ?? []).sort(byListOrder) : await walk(base, words, [], 0, need));
  if (out.length < need) add(await walk(base, anywhere, wordCount > 0 ? words : [], 0, need - out.length));
  return out.map((c) => c.rowid);
}

/**
 * People who match every term, some only within one typo (`acceptsTypos` terms: a whole word of theirs one edit
 * away, peopleTypos.ts), and are not in `already`, in list order; at most `need` of them when more than
 * SEARCH_TOTAL_CAP. `capped` when there are more than the cap.
 */
async function typoMatches(db: Knex | Knex.Transaction, base: () => Knex.QueryBuilder, terms: string[], members: boolean, already: Set<number>, need: number): Promise<{ rows: Candidate[]; capped: boolean }> {
  const none = { rows: [], capped: false };
  if (!terms.some(acceptsTypos)) return none;
  const needles: Needle[] = [];
  let typos = 0;
  for (const t of terms) {
    const near = acceptsTypos(t) ? await wordsWithinOneEdit(db, t) : [];
    typos += near.length;
    needles.push(near.length > 0 ? { any: [t, ...near.map((w) => ` ${w} `)], members: false } : { any: [t], members });
  }
  if (typos === 0) return none;
  const all = (await ftsCount(db, needles)) <= SEARCH_TOTAL_CAP ? await upToCap(base, needles, []) : null;
  if (all) return { rows: all.filter((c) => !already.has(c.rowid)).sort(byListOrder), capped: false };
  const exclude = already.size > 0 ? terms.map((t) => ({ any: [t], members })) : [];
  return { rows: await walk(base, needles, exclude, 0, need), capped: true };
}

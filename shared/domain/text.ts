/**
 * Letter folding shared by search, import matching and test data: Unicode NFD, combining marks (accents) dropped,
 * lower case, ligatures spelled out (œ → oe, æ → ae, ß → ss). `Hélène LEFÈVRE` → `helene lefevre`.
 * Callers then keep or drop punctuation as their use needs.
 */
export function foldDiacritics(s: string): string {
  let folded = cache.get(s);
  if (folded === undefined) {
    folded = fold(s);
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(s, folded);
  }
  return folded;
}

// Names repeat (a 100,000-row import has a few thousand distinct first and last names), and folding is the costly
// part of building search text, sort keys and match keys: a bounded memo, emptied when full.
const CACHE_SIZE = 20_000;
const cache = new Map<string, string>();

/** foldDiacritics without the memo: for long or one-off text (a page recognised in a paper) that would only churn it. */
export function foldLetters(s: string): string {
  return fold(s);
}

function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss');
}

/** True when `s` holds only ASCII characters (nothing for folding to do but lower-casing). */
export function isAscii(s: string): boolean {
  return !/[^\x00-\x7f]/.test(s);
}

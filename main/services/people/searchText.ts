/**
 * Text folding for search: lower case, accents removed (NFD, combining marks dropped), ligatures spelled out,
 * punctuation turned to spaces. `Hélène LEFÈVRE` → `helene lefevre`, so `helene` and `LEFEVRE` both find her.
 */
import type { PersonInput } from '../../../shared/domain/person';
import { dateSearchTerm } from '../../../shared/domain/searchQuery';
import { foldDiacritics, isAscii } from '../../../shared/domain/text';

export function foldForSearch(s: string): string {
  // Pure ASCII (most names, e-mails, numbers): no accents or ligatures to remove, and \p{L}\p{N} are [a-z0-9]
  // once lower-cased, so the NFD pass and the Unicode classes can be skipped; same result.
  if (isAscii(s)) return s.toLowerCase().replace(/[^a-z0-9@.+_-]+/g, ' ').trim();
  return foldDiacritics(s).replace(/[^\p{L}\p{N}@.+_-]+/gu, ' ').trim();
}

const digits = (s: string | null) => (s ? s.replace(/\D+/g, '') : '');

/**
 * The `people.search_text` column, the text a person is found by: names, e-mail, phones (digits only) and the birth
 * date (ISO, `1944-12-09`), folded, joined by single spaces and bounded by a space at each end, so that a word's
 * start and a whole word can be looked for (` diallo`, ` diallo `) in the trigram index too. The member number is
 * kept apart (`memberNumberSearchText`) so that readers without `people.readMembership` can search without it.
 */
export function personSearchText(p: Pick<PersonInput, 'firstName' | 'lastName' | 'email' | 'phone' | 'phone2'> & { birthDate?: string | null }): string {
  // Folded part by part (names hit foldDiacritics' memo), then joined: the same text as folding the joined string.
  const text = [p.firstName, p.lastName, p.email ?? '', digits(p.phone), digits(p.phone2), p.birthDate ?? '']
    .map(foldForSearch)
    .filter((part) => part !== '')
    .join(' ');
  return text === '' ? '' : ` ${text} `;
}

/** The `people.member_search` column: the member number folded like the search text ('' when there is none). */
export function memberNumberSearchText(memberNumber: string | null): string {
  return memberNumber ? foldForSearch(memberNumber) : '';
}

/** The sort key of the people list: last name, then first name, folded. */
export function personSortKey(p: Pick<PersonInput, 'firstName' | 'lastName'>): string {
  return `${foldForSearch(p.lastName)}\u0001${foldForSearch(p.firstName)}`;
}

/**
 * Splits what the user typed into search terms (at most 8). A date (`09/12/1944`, `9/12/1944`, `1944-12-09`) becomes
 * the ISO form the search text holds (`dateSearchTerm`, shared/domain/searchQuery.ts); a query that otherwise looks
 * like a phone number ("06 10.86-90") becomes one term of its digits, so that spaces or dots in it do not matter.
 */
export function searchTerms(query: string): string[] {
  const trimmed = query.trim();
  const tokens = trimmed.split(/\s+/).filter((t) => t !== '');
  const dates = tokens.map(dateSearchTerm);
  if (dates.every((d) => d === null) && /^\+?[\d\s.\-()]{4,}$/.test(trimmed)) return [trimmed.replace(/\D+/g, '')];
  return tokens
    .flatMap((token, i) => dates[i] ?? foldForSearch(token).split(/\s+/))
    .filter((t) => t.length > 0)
    .slice(0, 8);
}

/**
 * Person names as found in exports: spaces tidied, ALL-CAPS names put in title case, Paheko's single
 * `Nom & prénom` cell ("LE GALL Joël") split into last and first name.
 */
import { collapseSpaces } from './text';

/** True when the text has letters and none of them is lower-case (`LE GALL`, `JEAN-NOËL`, `D'ALMEIDA`). */
export function isAllCaps(s: string): boolean {
  return /\p{L}/u.test(s) && s === s.toUpperCase() && s !== s.toLowerCase();
}

/**
 * Title case for a name written in capitals: lower-case, then a capital at the start and after a space,
 * hyphen or apostrophe. `BERNARD` → `Bernard`, `LE GALL` → `Le Gall`, `JEAN-NOËL` → `Jean-Noël`,
 * `D'ALMEIDA` → `D'Almeida`. Particles are capitalised too (`DA SILVA` → `Da Silva`), as the name is usually
 * written in France at the start of a list.
 */
export function titleCase(s: string): string {
  return s.toLowerCase().replace(/(^|[\s\-'’])(\p{L})/gu, (_, sep: string, letter: string) => sep + letter.toUpperCase());
}

/** Trims, collapses spaces and turns an ALL-CAPS name into title case; a mixed-case name is kept as typed. */
export function cleanName(input: string): string {
  const s = collapseSpaces(input);
  return isAllCaps(s) ? titleCase(s) : s;
}

/**
 * Splits Paheko's `Nom & prénom` ("LASTNAME Firstname"): the leading run of ALL-CAPS words is the last name,
 * the rest the first name (`BEN SALAH Agnès` → Ben Salah / Agnès, `ROUSSEAU Jean-Noël` → Rousseau / Jean-Noël).
 * When every word is in capitals the last word is the first name (`DUPONT JEAN` → Dupont / Jean); when the cell
 * starts in lower case the first word is the last name. One word → last name only. Only spaces → both empty.
 * Both parts come out through `cleanName`.
 */
export function splitFullNameLastFirst(input: string): { lastName: string; firstName: string } {
  const words = collapseSpaces(input).split(' ').filter((w) => w !== '');
  if (words.length === 0) return { lastName: '', firstName: '' };
  if (words.length === 1) return { lastName: cleanName(words[0] ?? ''), firstName: '' };
  let caps = 0;
  while (caps < words.length && isAllCaps(words[caps] ?? '')) caps++;
  const split = caps === words.length ? words.length - 1 : Math.max(caps, 1);
  return {
    lastName: cleanName(words.slice(0, split).join(' ')),
    firstName: cleanName(words.slice(split).join(' ')),
  };
}

/**
 * What a people search understands besides plain words (docs/architecture.md "Search"): birth dates typed the
 * French way or ISO, small typos in a name, and the guess of a new person from a search that found no one. Pure
 * functions, shared by the core (the search itself) and the window (« Nouvelle personne » prefilled).
 */

/**
 * The search term of a date typed in one token, or null when `token` is not a date: `09/12/1944`, `9/12/1944`,
 * `09.12.1944`, `09-12-1944` and `1944-12-09` → `1944-12-09`; `12/1944` → `1944-12`; `09/12` → `-12-09`. The result is
 * what the search text holds of a birth date (ISO `YYYY-MM-DD`), or a part of it. A year alone (`1944`) needs no
 * conversion: it is a part of the ISO date already. Day and month are not checked: an impossible date finds no one.
 */
export function dateSearchTerm(token: string): string | null {
  const t = token.trim();
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (m) return `${m[3]}-${pad(m[2]!)}-${pad(m[1]!)}`;
  m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m) return `${m[1]}-${pad(m[2]!)}-${pad(m[3]!)}`;
  m = /^(\d{1,2})[/.](\d{4})$/.exec(t);
  if (m) return `${m[2]}-${pad(m[1]!)}`;
  m = /^(\d{1,2})\/(\d{1,2})$/.exec(t);
  if (m) return `-${pad(m[2]!)}-${pad(m[1]!)}`;
  return null;
}

const pad = (s: string) => s.padStart(2, '0');

/** A term typos are tolerated in: four letters or more, letters only (not an e-mail part, a number or a date). */
export const TYPO_MIN_LENGTH = 4;
export const acceptsTypos = (term: string): boolean => term.length >= TYPO_MIN_LENGTH && /^[a-z]+$/.test(term);

/**
 * True when `a` and `b` differ by at most one edit: one letter wrong, missing, added, or two neighbours swapped
 * (optimal string alignment distance ≤ 1, Damerau 1964). Linear in the length.
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // one letter wrong
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // two letters swapped
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1); // one letter more or less
}

/**
 * How well `term` matches `text` (a search text bounded by spaces, ` awa diallo 1944-12-09 `): 0 a whole word,
 * 1 the start of a word, 2 anywhere inside, null not at all.
 */
export function termRank(text: string, term: string): 0 | 1 | 2 | null {
  if (text.includes(` ${term} `)) return 0;
  if (text.includes(` ${term}`)) return 1;
  return text.includes(term) ? 2 : null;
}

/** What « Nouvelle personne » is prefilled with after a search that found no one. */
export interface PersonPrefill {
  lastName: string;
  firstName: string;
  /** ISO `YYYY-MM-DD`, or '' when no full date was typed. */
  birthDate: string;
}

/**
 * Guesses a new person from what was typed: a full date (`09/12/1944`, `1944-12-09`) goes to the birth date, the
 * words to the names — the last word to the last name and the words before it to the first name (`Awa Diallo`), or,
 * typed in capitals first as French forms write it (`DIALLO Awa`), the words in capitals to the last name. A phone
 * number, an e-mail or a partial date is not a name and is left out.
 */
export function prefillFromQuery(query: string): PersonPrefill {
  let birthDate = '';
  const words: string[] = [];
  for (const token of query.trim().split(/\s+/)) {
    if (token === '') continue;
    const date = dateSearchTerm(token);
    if (date !== null) {
      if (/^\d{4}-\d{2}-\d{2}$/.test(date) && birthDate === '') birthDate = date;
      continue;
    }
    if (/\d|@/.test(token)) continue;
    words.push(token);
  }
  if (words.length === 0) return { lastName: '', firstName: '', birthDate };
  const isCapitals = (w: string) => w.length > 1 && w === w.toLocaleUpperCase('fr') && w !== w.toLocaleLowerCase('fr');
  const capitals = words.findIndex((w) => !isCapitals(w));
  if (capitals > 0 && capitals < words.length) {
    return { lastName: words.slice(0, capitals).join(' '), firstName: words.slice(capitals).join(' '), birthDate };
  }
  return { lastName: words[words.length - 1]!, firstName: words.slice(0, -1).join(' '), birthDate };
}

/**
 * Dates of a machine-readable zone (MRZ) and what they mean for a paper: two-digit years put in their century, the
 * expiry suggested for an old French identity card (which carries none), and the comparison of the name and birth
 * date read on a paper with a person's record. docs/mrz.md.
 *
 * Rules followed: ICAO Doc 9303 part 3 §4.6 (dates `YYMMDD`, `<` for an unknown day or month); décret n° 55-1397
 * (old French card, 10 years) as amended by décret n° 2013-1188 (15 years for cards issued to adults from
 * 2004-01-02 to 2013-12-31). Pure functions: no clock is read (callers pass `today`).
 */
import { isCalendarDay } from './dates';
import { foldDiacritics } from './text';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A birth date `YYMMDD` as ISO `YYYY-MM-DD`, in the latest century that does not put it after `today` (ISO):
 * `850412` → `1985-04-12`; `100412` → `2010-04-12` on 2026-12-06. An unknown day or month (`<<`, `00`) or an
 * impossible day → null (the paper says too little; nothing is guessed).
 */
export function birthDateFromMrz(yymmdd: string, today: string): string | null {
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(yymmdd);
  if (!m) return null;
  const [yy, mm, dd] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const century = Math.floor(Number(today.slice(0, 4)) / 100) * 100;
  let year = century + yy;
  if (`${year}-${pad(mm)}-${pad(dd)}` > today) year -= 100;
  return isCalendarDay(year, mm, dd) ? `${year}-${pad(mm)}-${pad(dd)}` : null;
}

/**
 * An expiry date `YYMMDD` as ISO: years 00–69 are 2000–2069, 70–99 are 1970–1999 (no paper read here expired before
 * 1970 nor runs past 2069). Impossible or unknown → null.
 */
export function expiryDateFromMrz(yymmdd: string): string | null {
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(yymmdd);
  if (!m) return null;
  const [yy, mm, dd] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const year = (yy < 70 ? 2000 : 1900) + yy;
  return isCalendarDay(year, mm, dd) ? `${year}-${pad(mm)}-${pad(dd)}` : null;
}

/**
 * The month of issue `YYMM` of an old French identity card (issued from 1988 to 2021) as `YYYY-MM`: 88–99 → 19YY,
 * otherwise 20YY. Not a month → null.
 */
export function issueMonthFromFrenchId(yymm: string): string | null {
  const m = /^(\d{2})(\d{2})$/.exec(yymm);
  if (!m) return null;
  const [yy, mm] = [Number(m[1]), Number(m[2])];
  if (mm < 1 || mm > 12) return null;
  return `${(yy >= 88 ? 1900 : 2000) + yy}-${pad(mm)}`;
}

/** `date` (ISO) plus `years` minus one day, ISO (a card issued on 2008-06-12 for 10 years ends on 2018-06-11). */
function endOfValidity(date: string, years: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** First and last day of the 15-year rule (décret n° 2013-1188, art. 1). */
const FIFTEEN_YEARS_FROM = '2004-01-02';
const FIFTEEN_YEARS_TO = '2013-12-31';

/**
 * The expiry to suggest for an old French identity card (2 × 36 MRZ, no expiry printed in it), from its month of
 * issue `YYYY-MM` and the holder's birth date (ISO or null):
 * - 15 years for a card issued to an adult from 2004-01-02 to 2013-12-31 (décret n° 2013-1188), 10 years otherwise;
 * - the MRZ gives the month, not the day: the card is taken as issued on the 1st, so the suggestion is the earliest
 *   day it can expire (a reminder comes early rather than late), and « adult » means 18 by that 1st (birth date
 *   unknown → 10 years).
 * Returns `{ expiresOn, years }`, or null when `issueMonth` is not `YYYY-MM`.
 */
export function suggestFrenchIdExpiry(issueMonth: string, birthDate: string | null): { expiresOn: string; years: 10 | 15 } | null {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(issueMonth)) return null;
  const issued = `${issueMonth}-01`;
  const adult = birthDate !== null && endOfValidity(birthDate, 18) < issued;
  const years = adult && issued >= FIFTEEN_YEARS_FROM && issued <= FIFTEEN_YEARS_TO ? 15 : 10;
  return { expiresOn: endOfValidity(issued, years), years };
}

/**
 * A name as the MRZ writes it (ICAO Doc 9303 part 3 §6.A: upper-case A–Z, accents dropped, spaces, hyphens and
 * apostrophes as `<` or dropped): folded, every run of non-letters one space. `Lefèvre-Saint Ange` → `lefevre saint ange`.
 */
export function mrzNameKey(name: string): string {
  return foldDiacritics(name)
    .replace(/[^a-z]+/g, ' ')
    .trim();
}

/** What differs between the paper and the person's record (the field keys of the person form). */
export type MrzMismatch = { field: 'lastName' | 'firstNames' | 'birthDate'; onPaper: string; onRecord: string };

/**
 * Compares a paper read from its MRZ with a person's record, ignoring accents and case (and hyphens, apostrophes,
 * spaces: the MRZ cannot write them). Last names must be equal so folded; first names match when the record's start
 * the paper's or the other way round (a record often keeps one first name, the MRZ may cut long ones). A missing value
 * on either side is not a difference. Dates are ISO.
 */
export function compareWithRecord(
  paper: { lastName: string; firstNames: string; birthDate: string | null },
  record: { lastName: string | null; firstName: string | null; birthDate: string | null },
): MrzMismatch[] {
  const out: MrzMismatch[] = [];
  const [pl, rl] = [mrzNameKey(paper.lastName), mrzNameKey(record.lastName ?? '')];
  if (pl && rl && pl !== rl) out.push({ field: 'lastName', onPaper: paper.lastName, onRecord: record.lastName ?? '' });
  const [pf, rf] = [mrzNameKey(paper.firstNames), mrzNameKey(record.firstName ?? '')];
  if (pf && rf && !pf.startsWith(rf) && !rf.startsWith(pf)) out.push({ field: 'firstNames', onPaper: paper.firstNames, onRecord: record.firstName ?? '' });
  if (paper.birthDate && record.birthDate && paper.birthDate !== record.birthDate) {
    out.push({ field: 'birthDate', onPaper: paper.birthDate, onRecord: record.birthDate });
  }
  return out;
}

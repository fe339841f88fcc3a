/**
 * French date parsing for imports: `dd/mm/yyyy`, `dd/mm/yy`, `yyyy-mm-dd`, each optionally followed by a time.
 * Validation is a Date.UTC round-trip, so 31/02 or 29/02 of a common year is refused.
 */

/** How a two-digit year is resolved: a birth is never in the future; an event is near today. */
export type DateKind = 'birth' | 'event';

/** `{ ok: true, value: null }` for an empty cell, `{ ok: true, value: 'YYYY-MM-DD' }`, or `{ ok: false }`. */
export type DateParse = { ok: true; value: string | null } | { ok: false };

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DD` when the calendar date exists (years 1000–9999), else null. */
export function isoIfValid(year: number, month: number, day: number): string | null {
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

function dayNumber(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
}

/**
 * The full year for a two-digit year `yy` on day/month, relative to `today` (`YYYY-MM-DD`).
 * - `birth`: this century's year unless that date is after today, then the previous century
 *   (with today 2026-11-21: 64 → 1964, 20 → 2020, 27 → 1927).
 * - `event` (membership, payment): the century that puts the date closest to today (99 → 1999, 30 → 2030).
 */
export function resolveTwoDigitYear(yy: number, month: number, day: number, kind: DateKind, today: string): number {
  const todayYear = Number(today.slice(0, 4));
  const century = Math.floor(todayYear / 100) * 100;
  // 29/02 of a year that does not exist in one century is compared as 28/02; validity is checked afterwards.
  const approx = (year: number) => isoIfValid(year, month, Math.min(day, 28)) ?? `${year}-01-01`;
  if (kind === 'birth') return approx(century + yy) > today ? century - 100 + yy : century + yy;
  const target = dayNumber(today);
  let best = century + yy;
  for (const year of [century - 100 + yy, century + 100 + yy]) {
    if (Math.abs(dayNumber(approx(year)) - target) < Math.abs(dayNumber(approx(best)) - target)) best = year;
  }
  return best;
}

const TIME = String.raw`(?:(?:\s+|T)(\d{1,2})[:h](\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?`;
const FRENCH = new RegExp(String.raw`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})${TIME}$`);
const ISO = new RegExp(String.raw`^(\d{4})[-/](\d{1,2})[-/](\d{1,2})${TIME}$`);

function timeIsValid(h?: string, m?: string, s?: string): boolean {
  if (h === undefined) return true;
  return Number(h) <= 23 && Number(m) <= 59 && (s === undefined || Number(s) <= 59);
}

/**
 * Parses a date cell into `YYYY-MM-DD` (the time, if any, is checked then dropped).
 *
 * Accepted: `dd/mm/yyyy`, `dd/mm/yy` (also with `.` or `-`, one-digit day or month), `yyyy-mm-dd` (also `/`),
 * optionally followed by ` hh:mm`, ` hh:mm:ss`, `Thh:mm:ss` (ISO, offset ignored) or ` 18h23`.
 * Two-digit years follow `resolveTwoDigitYear(kind, today)`. Surrounding spaces are ignored; an empty cell is
 * `{ ok: true, value: null }`; anything else, or a date that does not exist (31/02/1980), is `{ ok: false }`.
 */
export function parseFrenchDate(input: string, kind: DateKind, today: string): DateParse {
  const s = input.trim();
  if (s === '') return { ok: true, value: null };
  const iso = ISO.exec(s);
  if (iso) {
    const [, y, m, d, hh, mm, ss] = iso;
    const value = timeIsValid(hh, mm, ss) ? isoIfValid(Number(y), Number(m), Number(d)) : null;
    return value ? { ok: true, value } : { ok: false };
  }
  const fr = FRENCH.exec(s);
  if (!fr) return { ok: false };
  const [, d, m, y = '', hh, mm, ss] = fr;
  const day = Number(d);
  const month = Number(m);
  const year = y.length === 2 ? resolveTwoDigitYear(Number(y), month, day, kind, today) : Number(y);
  const value = timeIsValid(hh, mm, ss) ? isoIfValid(year, month, day) : null;
  return value ? { ok: true, value } : { ok: false };
}

/**
 * Calendar dates as people type and read them: `jj/mm/aaaa` (day first, whatever the browser's or the system's
 * language), travelling as ISO `YYYY-MM-DD` (shared/domain/common.ts `isoDate`). An impossible date (31/02) is
 * refused, never turned into « no date ». docs/ui.md « Dates ».
 */

/** True when year/month/day name a day of the Gregorian calendar (month 1–12; years 1–9999). */
export function isCalendarDay(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(2000, month - 1, day));
  d.setUTCFullYear(year);
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** True for a `YYYY-MM-DD` string naming a real day (`2026-02-31` → false). */
export function isIsoDay(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return !!m && isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** What a typed date is: empty (`iso: null`), a real day, or refused because of its `format` or as `impossible`. */
export type TypedDate = { ok: true; iso: string | null } | { ok: false; reason: 'format' | 'impossible' };

/**
 * Reads a date typed as `jj/mm/aaaa` (also `j/m/aaaa`, and `.`, `-` or a space between the parts); surrounding
 * spaces ignored; the year has four digits (a two-digit year is ambiguous for a birth date). '' → `{ ok, iso: null }`.
 */
export function parseTypedDate(text: string): TypedDate {
  const s = text.trim();
  if (s === '') return { ok: true, iso: null };
  const m = /^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})$/.exec(s);
  if (!m) return { ok: false, reason: 'format' };
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isCalendarDay(year, month, day)) return { ok: false, reason: 'impossible' };
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return { ok: true, iso: `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` };
}

/** `2026-03-05` → `05/03/2026`; null or '' → ''; anything else is returned as it is (never dropped). */
export function typedDateOf(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/**
 * The rules of dues, pure (docs/treasury.md « Cotisations »): the period a payment pays for, and a person's status on
 * a given day. Dates are `YYYY-MM-DD` calendar days (no time zone: a day is a day).
 *
 * Status, as Galette and Paheko show it (issue 10 §1):
 * - `exempt`: an exemption covers today;
 * - `never`: no fully paid period at all (partial payments alone do not count);
 * - `late`: the last day paid is before today;
 * - `due_soon`: the last day paid is today or within `dueSoonDays` days (« échéance proche », default 30);
 * - `up_to_date`: later than that, or a one-off fee (never expires).
 */
import type { DuesStatus, FeePeriod } from '../../../shared/domain/dues';

const DAY = 86_400_000;
const toUtc = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
const fromUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** `iso` plus `days` days (negative: before). */
export function addDays(iso: string, days: number): string {
  return fromUtc(toUtc(iso) + days * DAY);
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((toUtc(b) - toUtc(a)) / DAY);
}

/**
 * `iso` plus `months` months, the day clamped to the month's last (31 January + 1 month → 28/29 February), as a
 * calendar reads « un mois plus tard ».
 */
export function addMonths(iso: string, months: number): string {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7)) - 1 + months;
  const year = y + Math.floor(m / 12);
  const month = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(Number(iso.slice(8, 10)), last);
  return fromUtc(Date.UTC(year, month, day));
}

/**
 * The days a payment pays for, from `start` (the first day not yet paid, or the payment's day after a lapse):
 * - `year`: the civil year containing `start` (1 January–31 December);
 * - `months:N`: `start` to the day before `start` + N months;
 * - `dates:MM-DD`: the year starting on the last MM-DD on or before `start`, to the day before the next one;
 * - `once`: from `start`, never ending (`to` null).
 */
export function periodFrom(period: FeePeriod, start: string): { from: string; to: string | null } {
  if (period === 'once') return { from: start, to: null };
  if (period === 'year') {
    const y = start.slice(0, 4);
    return { from: `${y}-01-01`, to: `${y}-12-31` };
  }
  if (period.startsWith('months:')) {
    const n = Number(period.slice('months:'.length));
    return { from: start, to: addDays(addMonths(start, n), -1) };
  }
  const mmdd = period.slice('dates:'.length);
  const year = Number(start.slice(0, 4));
  const sameYear = clampDay(year, mmdd);
  const from = sameYear <= start ? sameYear : clampDay(year - 1, mmdd);
  return { from, to: addDays(clampDay(Number(from.slice(0, 4)) + 1, mmdd), -1) };
}

/** `YYYY-MM-DD` for MM-DD in `year`, 29 February becoming 28 February in a common year. */
function clampDay(year: number, mmdd: string): string {
  const month = Number(mmdd.slice(0, 2)) - 1;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return fromUtc(Date.UTC(year, month, Math.min(Number(mmdd.slice(3, 5)), last)));
}

/**
 * Where a new payment's period starts: the day after `paidUntil` when the person is still covered on `paidOn` or was
 * covered until the day before (paying ahead, or on time, extends without a gap), else `paidOn` (after a lapse the
 * new period starts on the day of payment; for `year` and `dates:` that is the period containing it).
 */
export function nextStart(paidOn: string, paidUntil: string | null): string {
  if (paidUntil !== null && paidUntil >= addDays(paidOn, -1)) return addDays(paidUntil, 1);
  return paidOn;
}

/** What a person's status depends on: the end of their paid periods (`forLife` for a one-off fee) and exemptions. */
export interface StatusFacts {
  /** Last day of the latest fully paid period, null when none. */
  paidUntil: string | null;
  /** True when a one-off fee was fully paid (never expires). */
  forLife: boolean;
  /** True when an exemption covers `today`. */
  exempt: boolean;
}

/** The status on `today` (module comment). `dueSoonDays` ≥ 0. */
export function duesStatusOn(facts: StatusFacts, today: string, dueSoonDays: number): DuesStatus {
  if (facts.exempt) return 'exempt';
  if (facts.forLife) return 'up_to_date';
  if (facts.paidUntil === null) return 'never';
  if (facts.paidUntil < today) return 'late';
  return daysBetween(today, facts.paidUntil) <= dueSoonDays ? 'due_soon' : 'up_to_date';
}

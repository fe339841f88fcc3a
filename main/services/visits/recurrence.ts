/**
 * Recurring visits: every `interval` weeks at the same wall-clock time of the zone, until a local date (inclusive).
 * Adding weeks in the zone (not 7 × 24 hours) keeps 10:00 at 10:00 across summer-time changes (RFC 5545 §3.3.10
 * FREQ=WEEKLY;INTERVAL=n;UNTIL reads the same way for local times).
 */
import { DateTime } from 'luxon';
import { AppError } from '../../../shared/domain/errors';

/** At most this many occurrences in one series (two years of weekly visits). */
export const MAX_OCCURRENCES = 104;

/**
 * The starts of a series from `first` (in its zone), every `interval` weeks, while on or before the local day
 * `until` (YYYY-MM-DD). Throws VALIDATION when `until` is before the first visit or the series is too long.
 */
export function weeklyOccurrences(first: DateTime, interval: number, until: string): DateTime[] {
  const last = DateTime.fromISO(until, { zone: first.zone }).endOf('day');
  if (!last.isValid || last < first) throw new AppError('VALIDATION', `Fin de la série : le ${until} précède la première visite.`);
  const out: DateTime[] = [];
  for (let k = 0; ; k++) {
    const next = first.plus({ weeks: k * interval });
    if (next > last) break;
    if (out.length >= MAX_OCCURRENCES) throw new AppError('VALIDATION', `Série trop longue : ${MAX_OCCURRENCES} visites au plus.`);
    out.push(next);
  }
  return out;
}

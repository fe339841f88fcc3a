/**
 * Occurrences of an event in a time range, with IANA time zones (luxon) — docs/agenda.md "Recurrence".
 *
 * A series repeats its local wall-clock start every N weeks (RFC 5545 FREQ=WEEKLY;INTERVAL=N with a DTSTART carrying
 * a TZID): 14:00 Europe/Paris stays 14:00 on both sides of a summer-time change, so the UTC instant moves by an hour.
 * A local time that does not exist (02:30 on the last Sunday of March) is pushed forward by the gap (03:30), as
 * RFC 5545 §3.3.5 asks. `until` is the last local day an occurrence may start on. An exception names an occurrence by
 * its original local start: cancelled (left out) or moved (new local start and duration, shown wherever it now falls).
 */
import { DateTime, IANAZone } from 'luxon';
import { AppError } from '../../../shared/domain/errors';
import type { EventException, LocalDateTime, Recurrence } from '../../../shared/domain/agenda';

/** What the expansion needs of an event. */
export interface Schedule {
  start: LocalDateTime;
  minutes: number;
  timeZone: string;
  recurrence: Recurrence | null;
  exceptions: readonly EventException[];
}

/** One expanded occurrence: original local start (its key), actual local start, UTC instants (ISO). */
export interface Expanded {
  occurrence: LocalDateTime;
  startLocal: LocalDateTime;
  start: string;
  end: string;
  moved: boolean;
}

/** Most occurrences expanded for one event in one call (a weekly series over 20 years is ~1,000). */
const MAX_OCCURRENCES = 2000;

/** Throws VALIDATION when `zone` is not an IANA time zone this runtime knows. */
export function checkTimeZone(zone: string): void {
  if (!IANAZone.isValidZone(zone)) throw new AppError('VALIDATION', `Fuseau horaire inconnu : ${zone} (par exemple Europe/Paris).`);
}

/** The luxon DateTime of a local wall-clock `YYYY-MM-DDTHH:MM` in `zone` (non-existent times pushed forward). */
export function localToDateTime(local: string, zone: string): DateTime {
  const dt = DateTime.fromISO(local, { zone });
  if (!dt.isValid) throw new AppError('VALIDATION', `Date et heure invalides : ${local}.`);
  return dt;
}

/** `YYYY-MM-DDTHH:MM` of a DateTime in its own zone. */
export function toLocal(dt: DateTime): LocalDateTime {
  return dt.toFormat("yyyy-MM-dd'T'HH:mm");
}

/** UTC ISO instant (`…Z`, milliseconds) of a local start in `zone`. */
export function localToInstant(local: string, zone: string): string {
  return localToDateTime(local, zone).toUTC().toISO()!;
}

/** The first occurrence's UTC instant and the last local day one may start on (null: no end), for range queries. */
export function scheduleBounds(s: Pick<Schedule, 'start' | 'timeZone' | 'recurrence'>): { startsAt: string; endsOn: string | null } {
  const startsAt = localToInstant(s.start, s.timeZone);
  if (!s.recurrence) return { startsAt, endsOn: s.start.slice(0, 10) };
  return { startsAt, endsOn: s.recurrence.until };
}

/** The original local starts of a series, in order, from the first one whose start is ≥ `fromMs - span`. */
function* originals(s: Schedule, fromMs: number, toMs: number): Generator<DateTime> {
  const first = localToDateTime(s.start, s.timeZone);
  if (!s.recurrence) {
    yield first;
    return;
  }
  const every = s.recurrence.everyWeeks;
  const weekMs = 7 * 86_400_000;
  // Skip whole periods that end before the range (an hour of summer time either way is covered by the -1).
  const skip = Math.max(0, Math.floor((fromMs - first.toMillis() - s.minutes * 60_000) / (every * weekMs)) - 1);
  const until = s.recurrence.until;
  for (let k = skip, n = 0; n < MAX_OCCURRENCES; k++, n++) {
    // From the first start each time (never chained), so a non-existent local time shifts only that occurrence.
    const dt = first.plus({ weeks: k * every });
    if (until && dt.toISODate()! > until) return;
    if (dt.toMillis() >= toMs) return;
    yield dt;
  }
}

/**
 * The occurrences of `s` overlapping [fromMs, toMs) (UTC milliseconds), in start order: originals without an
 * exception, and moved occurrences wherever they now fall; cancelled ones are left out.
 */
export function expand(s: Schedule, fromMs: number, toMs: number): Expanded[] {
  const out: Expanded[] = [];
  const byKey = new Map(s.exceptions.map((e) => [e.occurrence, e]));
  const dur = s.minutes * 60_000;
  const keys = new Set<string>();
  for (const dt of originals(s, fromMs, toMs)) {
    const key = toLocal(dt);
    keys.add(key);
    if (byKey.has(key)) continue;
    const ms = dt.toMillis();
    if (ms + dur <= fromMs || ms >= toMs) continue;
    out.push({ occurrence: key, startLocal: key, start: dt.toUTC().toISO()!, end: dt.plus({ minutes: s.minutes }).toUTC().toISO()!, moved: false });
  }
  for (const e of s.exceptions) {
    if (e.cancelled || !e.start) continue;
    const dt = localToDateTime(e.start, s.timeZone);
    const minutes = e.minutes ?? s.minutes;
    const ms = dt.toMillis();
    if (ms + minutes * 60_000 <= fromMs || ms >= toMs) continue;
    out.push({ occurrence: e.occurrence, startLocal: toLocal(dt), start: dt.toUTC().toISO()!, end: dt.plus({ minutes }).toUTC().toISO()!, moved: true });
  }
  return out.sort((a, b) => a.start.localeCompare(b.start));
}

/** True when `occurrence` (a local start) is one of the original starts of the series `s`. */
export function isOccurrenceOf(s: Pick<Schedule, 'start' | 'timeZone' | 'recurrence' | 'minutes'>, occurrence: string): boolean {
  const dt = localToDateTime(occurrence, s.timeZone);
  const ms = dt.toMillis();
  for (const o of originals({ ...s, exceptions: [] }, ms, ms + 1)) if (toLocal(o) === occurrence) return true;
  return false;
}

/** [start, end) in UTC milliseconds of the local days `from`..`to` (both included) in `zone`. */
export function dayRangeMillis(from: string, to: string, zone: string): { fromMs: number; toMs: number } {
  const a = DateTime.fromISO(from, { zone }).startOf('day');
  const b = DateTime.fromISO(to, { zone }).plus({ days: 1 }).startOf('day');
  return { fromMs: a.toMillis(), toMs: b.toMillis() };
}

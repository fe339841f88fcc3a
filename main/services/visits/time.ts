/**
 * Local times of the visit rota with IANA time zones (luxon), so that wall-clock times survive summer-time changes
 * (EU rule: last Sunday of March 02:00 → 03:00, last Sunday of October 03:00 → 02:00, Europe/Paris).
 */
import { DateTime } from 'luxon';
import { AppError } from '../../../shared/domain/errors';

/**
 * The instant of `text` — `YYYY-MM-DDTHH:MM` read as a wall-clock time of `zone`, or an ISO date-time carrying its
 * own offset. A local time that does not exist (02:30 on the March change day) moves forward by the change (03:30).
 * Throws VALIDATION naming `label` for an unreadable time or an unknown zone.
 */
export function instantOf(text: string, zone: string, label = 'date et heure'): DateTime {
  const dt = DateTime.fromISO(text.trim(), { zone, setZone: false });
  if (!dt.isValid) throw new AppError('VALIDATION', `${label} : « ${text} » n’est pas une date et heure valide (AAAA-MM-JJTHH:MM, fuseau ${zone}).`);
  return dt.setZone(zone);
}

/** `iso` (an instant) seen in `zone`. Throws VALIDATION when unreadable. */
export function inZone(iso: string, zone: string): DateTime {
  const dt = DateTime.fromISO(iso, { zone });
  if (!dt.isValid) throw new AppError('VALIDATION', `Instant illisible : ${iso}.`);
  return dt;
}

/** The ISO UTC form stored in the database (`2027-03-27T09:00:00.000Z`). */
export function utcIso(dt: DateTime): string {
  return dt.toUTC().toISO()!;
}

/** The ISO form with the zone's offset shown to people and printed by the CLI (`2027-03-27T10:00+01:00`). */
export function localIso(dt: DateTime, zone: string): string {
  return dt.setZone(zone).toISO({ suppressMilliseconds: true, suppressSeconds: true })!;
}

/** Minutes since local midnight of a `HH:MM` clock time (24:00 → 1440). */
export function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

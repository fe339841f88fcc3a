/**
 * Times of the visit rota as people read them: dd/mm/yyyy HH:mm in Europe/Paris (docs/ui.md « Dates »), weekday
 * names in the UI language (Intl through luxon), and the local `YYYY-MM-DDTHH:MM` the contract reads.
 */
import { DateTime } from 'luxon';
import { DEFAULT_ZONE } from '../../../shared/domain/volunteers';

/** An instant (ISO, any offset) as `dd/MM/yyyy HH:mm` in Europe/Paris. */
export function formatInstant(iso: string): string {
  const d = DateTime.fromISO(iso, { zone: DEFAULT_ZONE });
  return d.isValid ? d.toFormat('dd/MM/yyyy HH:mm') : iso;
}

/** The weekday and date of an instant, `lundi 22/03` (fr) or `Monday 22/03` (en). */
export function formatDay(iso: string, language: string): string {
  const d = DateTime.fromISO(iso, { zone: DEFAULT_ZONE }).setLocale(language === 'en' ? 'en-GB' : 'fr-FR');
  return d.isValid ? `${d.toFormat('cccc')} ${d.toFormat('dd/MM')}` : iso;
}

/** ISO weekday (1 = Monday) → its name in the UI language. */
export function weekdayName(weekday: number, language: string): string {
  return DateTime.fromObject({ year: 2027, month: 3, day: 1 }).plus({ days: weekday - 1 }).setLocale(language === 'en' ? 'en-GB' : 'fr-FR').toFormat('cccc');
}

/** ISO date `YYYY-MM-DD` + `HH:MM` → the contract's local date-time. */
export function localDateTime(isoDate: string, time: string): string {
  return `${isoDate}T${time}`;
}

/** Now in Europe/Paris as `YYYY-MM-DDTHH:MM`, shifted by `days`. */
export function localNow(days = 0): string {
  return DateTime.now().setZone(DEFAULT_ZONE).plus({ days }).toFormat("yyyy-MM-dd'T'HH:mm");
}

/** Today in Europe/Paris at 00:00 as `YYYY-MM-DDT00:00`, shifted by `days`. */
export function localMidnight(days = 0): string {
  return DateTime.now().setZone(DEFAULT_ZONE).startOf('day').plus({ days }).toFormat("yyyy-MM-dd'T'HH:mm");
}

/** The local `YYYY-MM-DDTHH:MM` of an instant (to prefill a form from a proposal or a gap). */
export function localOf(iso: string): string {
  return DateTime.fromISO(iso, { zone: DEFAULT_ZONE }).toFormat("yyyy-MM-dd'T'HH:mm");
}

/**
 * Calendar arithmetic of the agenda screens (luxon, Europe/Paris; docs/agenda.md "Screens"): the days a day, week
 * (Monday first, ISO 8601) or month view covers, moving by one view, and times as people read them (dd/mm/yyyy HH:mm).
 */
import { DateTime } from 'luxon';
import type { Occurrence } from '../../../shared/domain/agenda';

export const ZONE = 'Europe/Paris';
export const VIEWS = ['day', 'week', 'month'] as const;
export type View = (typeof VIEWS)[number];

/** Today in Europe/Paris, `YYYY-MM-DD`. */
export function today(): string {
  return DateTime.now().setZone(ZONE).toISODate()!;
}

const day = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });

/** The first and last day (`YYYY-MM-DD`) a view shows around `anchor`; a month view starts and ends on whole weeks. */
export function rangeOf(view: View, anchor: string): { from: string; to: string } {
  const a = day(anchor);
  if (view === 'day') return { from: a.toISODate()!, to: a.toISODate()! };
  if (view === 'week') return { from: a.startOf('week').toISODate()!, to: a.endOf('week').toISODate()! };
  return { from: a.startOf('month').startOf('week').toISODate()!, to: a.endOf('month').endOf('week').toISODate()! };
}

/** `anchor` moved by one view (`step` −1 or +1). */
export function shift(view: View, anchor: string, step: number): string {
  const a = day(anchor);
  return (view === 'day' ? a.plus({ days: step }) : view === 'week' ? a.plus({ weeks: step }) : a.plus({ months: step })).toISODate()!;
}

/** Every day of [from, to], `YYYY-MM-DD`. */
export function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = day(from); d.toISODate()! <= to; d = d.plus({ days: 1 })) out.push(d.toISODate()!);
  return out;
}

const locale = (language: string) => (language === 'en' ? 'en-GB' : 'fr-FR');

/** « lundi 23/03/2026 » (fr) / « Monday 23/03/2026 » (en). */
export function longDay(iso: string, language: string): string {
  return day(iso).setLocale(locale(language)).toFormat('cccc dd/MM/yyyy');
}

/** « mars 2026 » / « March 2026 ». */
export function monthTitle(iso: string, language: string): string {
  return day(iso).setLocale(locale(language)).toFormat('LLLL yyyy');
}

/** Short weekday names, Monday first. */
export function weekdayNames(language: string): string[] {
  return daysOf('2026-03-16', '2026-03-22').map((d) => day(d).setLocale(locale(language)).toFormat('ccc'));
}

/** The title of a view: the day, « du 16/03 au 22/03/2026 », or the month. */
export function viewTitle(view: View, anchor: string, language: string, t: (k: 'agenda.weekOf', o: { from: string; to: string }) => string): string {
  const upper = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;
  if (view === 'day') return upper(longDay(anchor, language));
  if (view === 'month') return upper(monthTitle(anchor, language));
  const r = rangeOf('week', anchor);
  return t('agenda.weekOf', { from: day(r.from).toFormat('dd/MM'), to: day(r.to).toFormat('dd/MM/yyyy') });
}

/** HH:mm of an instant in Europe/Paris. */
export function timeOf(iso: string): string {
  return DateTime.fromISO(iso, { zone: ZONE }).toFormat('HH:mm');
}

/** dd/MM/yyyy HH:mm of a local `YYYY-MM-DDTHH:MM` or an instant. */
export function dateTimeOf(iso: string): string {
  return DateTime.fromISO(iso, { zone: ZONE }).toFormat('dd/MM/yyyy HH:mm');
}

/** The Europe/Paris day (`YYYY-MM-DD`) an occurrence starts on. */
export function dayOf(o: Occurrence): string {
  return DateTime.fromISO(o.start, { zone: ZONE }).toISODate()!;
}

/** Occurrences grouped by the day they start on. */
export function byDay(items: readonly Occurrence[]): Map<string, Occurrence[]> {
  const out = new Map<string, Occurrence[]>();
  for (const o of items) out.set(dayOf(o), [...(out.get(dayOf(o)) ?? []), o]);
  return out;
}

/** Display helpers of the sync screens: times of day, date-and-time, « il y a 2 min », counts with thousands. */
import type { TFunction } from 'i18next';

const locale = (language: string) => (language === 'en' ? 'en-GB' : 'fr-FR');

/** "14:02" in local time; the input as given when it is not a date. */
export function formatTime(iso: string, language: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(language), { hour: '2-digit', minute: '2-digit' }).format(d);
}

/** "05/03/2026 14:02" in local time; the input as given when it is not a date. */
export function formatDateTime(iso: string, language: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(language), { dateStyle: 'short', timeStyle: 'short' }).format(d);
}

/** 12000 → "12 000" (fr) / "12,000" (en). */
export function formatCount(n: number, language: string): string {
  return new Intl.NumberFormat(locale(language)).format(n);
}

/**
 * How long ago, for the status bar: « à l'instant » (under a minute), « il y a 2 min », « il y a 3 h » (same day),
 * else « le 05/03/2026 à 14:02 ». `now` in ms since the epoch.
 */
export function formatSince(t: TFunction, iso: string, language: string, now: number = Date.now()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const minutes = Math.floor((now - d.getTime()) / 60_000);
  if (minutes < 1) return t('sync.since.justNow');
  if (minutes < 60) return t('sync.since.minutes', { count: minutes });
  if (minutes < 24 * 60 && new Date(now).toDateString() === d.toDateString()) return t('sync.since.hours', { count: Math.floor(minutes / 60) });
  return t('sync.since.date', { date: new Intl.DateTimeFormat(locale(language), { dateStyle: 'short' }).format(d), time: formatTime(iso, language) });
}

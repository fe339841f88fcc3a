/** Display helpers: dates stay ISO in state and are formatted for the current language only when shown. */

/** "2026-03-05" → "05/03/2026" (fr) or "03/05/2026" (en); '' for null. */
export function formatDate(iso: string | null | undefined, language: string): string {
  if (!iso) return '';
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'fr-FR', { timeZone: 'UTC' }).format(d);
}

/** Today's calendar date as `YYYY-MM-DD` in local time. */
export function todayIso(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The local calendar date (`YYYY-MM-DD`) of an ISO timestamp: "2026-03-04T23:30:00Z" is the 5th in Paris. */
export function localDateOf(timestamp: string): string {
  const d = new Date(timestamp);
  if (Number.isNaN(d.getTime())) return timestamp.slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** True when a calendar date is strictly before today. */
export function isPast(iso: string | null | undefined): boolean {
  return !!iso && iso < todayIso();
}

/**
 * A file size with one decimal in the units of the language: « 1,5 Mo », « 820 ko » in French (octets: ko, Mo, Go), « 1.5 MB »
 * in English. Binary multiples (1 Mo = 1 048 576 octets), as Windows' Explorer shows them.
 */
export function formatSize(bytes: number, language: string): string {
  const french = language !== 'en';
  const nf = new Intl.NumberFormat(french ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 });
  const units = french ? ['o', 'ko', 'Mo', 'Go'] : ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0 && bytes > 0) return `${nf.format(bytes / 1024)} ${units[1]}`;
  return `${nf.format(value)} ${units[unit]}`;
}

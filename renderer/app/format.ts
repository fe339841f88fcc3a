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

/** Size in kB / MB with one decimal. */
export function formatSize(bytes: number, language: string): string {
  const nf = new Intl.NumberFormat(language === 'en' ? 'en-GB' : 'fr-FR', { maximumFractionDigits: 1 });
  return bytes >= 1024 * 1024 ? `${nf.format(bytes / 1024 / 1024)} MB` : `${nf.format(bytes / 1024)} kB`;
}

/** Extracts the field named by a VALIDATION message: `champ « person.email » : …` → "email". */
export function fieldOfMessage(message: string): string | null {
  const m = /champ « ([^»]+) »/.exec(message);
  const path = m?.[1]?.trim();
  if (!path) return null;
  const parts = path.split('.');
  return parts[parts.length - 1] ?? null;
}

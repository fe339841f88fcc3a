/** « 06/12/2026 14:05 »: a message's time, in the office's time zone, day first (docs/ui.md dates). */
export function formatDateTime(iso: string, language: string): string {
  return new Intl.DateTimeFormat(language.startsWith('en') ? 'en-GB' : 'fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/**
 * What a phone number may look like: digits grouped by spaces, dots, dashes, slashes or brackets, a leading `+` for an
 * international number, 6 to 15 digits (ITU-T E.164 allows at most 15). The same rule as the importer's
 * `normalizePhone` (main/services/imports/values.ts), which only reformats what passes it. « abc » is refused.
 */
export const PHONE_CHARACTERS = /^\+?[\d\s.\-/()\u00a0]+$/;

/** True when `s` could be a phone number (see the module comment). */
export function isPlausiblePhone(s: string): boolean {
  const t = s.trim();
  if (!PHONE_CHARACTERS.test(t)) return false;
  const digits = t.replace(/\D/g, '').length;
  return digits >= 6 && digits <= 15;
}

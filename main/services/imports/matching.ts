/**
 * Keys for recognising, at import time, a person already known: same e-mail (case-insensitive), or same last
 * and first name (case-, accent-, space-, hyphen- and apostrophe-insensitive) with the same birth date.
 * Used by the database step (importService), which looks these keys up; nothing here touches storage.
 */
import type { PersonInput, PersonKind } from '../../../shared/domain/person';
import { foldDiacritics, isAscii } from '../../../shared/domain/text';

/**
 * A name reduced for comparison: NFD, combining accents dropped, lower-case, `œ`/`æ` spelled out, then every
 * space, hyphen, apostrophe (' ’ ‘ ʼ) and other punctuation removed, so `Jean-Noël`, `jean noel` and `JEANNOEL`
 * all give `jeannoel`, and `LE GALL` equals `Le Gall` and `Legall`.
 */
export function normalizeForMatch(s: string): string {
  // Pure ASCII: nothing for NFD to decompose, and \p{L}\p{N} are [a-z0-9] once lower-cased; same result, faster.
  if (isAscii(s)) return s.toLowerCase().replace(/[^a-z0-9]+/g, '');
  return foldDiacritics(s).replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * The two lookup keys of a person.
 * `email`: trimmed, lower-cased, or null. `nameBirth`: `last|first|YYYY-MM-DD` with both names through
 * `normalizeForMatch`; null without a birth date or without any name.
 */
export function personMatchKeys(p: PersonInput): { email: string | null; nameBirth: string | null } {
  const email = p.email?.trim().toLowerCase() || null;
  const last = normalizeForMatch(p.lastName);
  const first = normalizeForMatch(p.firstName);
  const nameBirth = p.birthDate && (last || first) ? `${last}|${first}|${p.birthDate}` : null;
  return { email, nameBirth };
}

/** True when the two people share a non-null key (same e-mail, or same names and birth date). */
export function isSamePerson(a: PersonInput, b: PersonInput): boolean {
  const ka = personMatchKeys(a);
  const kb = personMatchKeys(b);
  return (ka.email !== null && ka.email === kb.email) || (ka.nameBirth !== null && ka.nameBirth === kb.nameBirth);
}

const isEmpty = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/**
 * Completes a known person with an imported one without ever overwriting: each field empty in `existing` (null,
 * '' or spaces) takes the non-empty `incoming` value; `kinds` gains the incoming kinds it lacks (order kept).
 * Returns a new object (inputs untouched) and the names of the fields that changed, in field order; an empty
 * list means nothing to write.
 */
export function mergeFill(existing: PersonInput, incoming: PersonInput): { merged: PersonInput; changedFields: string[] } {
  const merged: PersonInput = { ...existing, kinds: [...existing.kinds] };
  const changedFields: string[] = [];
  const target = merged as Record<string, unknown>;
  const source = incoming as Record<string, unknown>;
  for (const key of Object.keys(incoming) as (keyof PersonInput)[]) {
    if (key === 'kinds') continue;
    if (isEmpty(target[key]) && !isEmpty(source[key])) {
      target[key] = source[key];
      changedFields.push(key);
    }
  }
  const added = incoming.kinds.filter((k: PersonKind) => !merged.kinds.includes(k));
  if (added.length > 0) {
    merged.kinds = [...merged.kinds, ...added];
    changedFields.push('kinds');
  }
  return { merged, changedFields };
}

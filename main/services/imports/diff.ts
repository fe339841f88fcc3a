/**
 * What an import changes on a person already stored, field by field, for the preview (docs/ui.md « Import wizard »):
 * the wizard lists each person before → after and lets the user leave one out. Pure; no database here.
 */
import type { ImportFieldChange, ImportFieldValue } from '../../../shared/domain/imports';
import type { PersonInput } from '../../../shared/domain/person';

/** A stored value as the preview shows it: text or list kept, null/empty/spaces → null. */
function comparable(v: unknown): ImportFieldValue {
  if (Array.isArray(v)) return v.map(String);
  if (v === null || v === undefined) return null;
  const s = String(v);
  return s.trim() === '' ? null : s;
}

const same = (a: ImportFieldValue, b: ImportFieldValue) => (Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((x, i) => x === b[i]) : a === b);

/**
 * The fields that differ between `before` and `after` (PersonInput order), each as `{ field, before, after }`;
 * an empty list when nothing changes. Kinds compare as ordered lists.
 */
export function personChanges(before: PersonInput, after: PersonInput): ImportFieldChange[] {
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  const changes: ImportFieldChange[] = [];
  for (const field of Object.keys(after)) {
    const was = comparable(b[field]);
    const now = comparable(a[field]);
    if (!same(was, now)) changes.push({ field, before: was, after: now });
  }
  return changes;
}

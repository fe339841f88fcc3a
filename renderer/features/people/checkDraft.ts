/**
 * What the person form checks before sending (docs/ui.md « Dates »): each date typed jj/mm/aaaa must be a real day
 * and each phone plausible (shared/domain/phone.ts, the rule the contract applies too). Messages are French and
 * name the field as the form labels it.
 */
import type { TFunction } from 'i18next';
import { isPlausiblePhone } from '../../../shared/domain/phone';
import { readTypedDate } from '../../components/DateField';
import { DATE_KEYS, PHONE_KEYS, type Draft } from './draft';

/** Field → message for every field refused, in the form's order (empty when all is well). */
export function checkDraft(d: Draft, t: TFunction, hidden: ReadonlySet<string> = new Set()): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const key of ['birthDate', ...PHONE_KEYS, 'membershipStart', 'membershipEnd'] as const) {
    if (hidden.has(key)) continue;
    const label = t(`person.fields.${key}`);
    if ((DATE_KEYS as readonly string[]).includes(key)) {
      const { error } = readTypedDate(d[key], label, t);
      if (error) errors[key] = error;
    } else if (d[key].trim() !== '' && !isPlausiblePhone(d[key])) {
      errors[key] = t('fieldChecks.phone', { label });
    }
  }
  return errors;
}

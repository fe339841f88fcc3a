/** The fields of the person form, grouped in fieldsets. Errors come keyed by contract field name. */
import { useTranslation } from 'react-i18next';
import type { Household } from '../../../shared/domain/person';
import { CIVILITIES, PERSON_KINDS, personInput } from '../../../shared/domain/person';
import { maxLengths } from '../../../shared/domain/schemaLimits';
import { DateField } from '../../components/DateField';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../components/Field';
import { NEW_HOUSEHOLD, type Civility, type Draft, type TextKey } from './draft';

interface Props {
  draft: Draft;
  set(patch: Partial<Draft>): void;
  errors: Record<string, string>;
  households: Household[];
  /** Fields of the sets in `person.hiddenFields` (shared/domain/person.ts PERSON_FIELD_SETS). */
  hidden?: ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();
/** The same length limits as the core (the contract's `personInput`). */
const LIMITS = maxLengths(personInput.shape);

export function PersonFormFields({ draft, set, errors, households, hidden = NONE }: Props) {
  const { t } = useTranslation();
  // A field the reader may not see is shown disabled and empty: the core keeps its value on update.
  const masked = (key: string) => (hidden.has(key) ? { disabled: true, hint: t('person.hiddenHint') } : {});
  const text = (key: TextKey, extra: { type?: string; autoComplete?: string; inputMode?: 'tel' | 'email' | 'numeric' } = {}) => (
    <TextField
      name={key}
      label={t(`person.fields.${key}`)}
      value={draft[key]}
      onChange={(e) => set({ [key]: e.target.value })}
      error={errors[key] ?? null}
      maxLength={LIMITS[key]}
      {...extra}
      {...masked(key)}
    />
  );
  // Dates are typed jj/mm/aaaa in a text field (components/DateField), whatever the system's language.
  const date = (key: 'birthDate' | 'membershipStart' | 'membershipEnd') => (
    <DateField
      name={key}
      label={t(`person.fields.${key}`)}
      value={draft[key]}
      onChange={(v) => set({ [key]: v })}
      error={errors[key] ?? null}
      disabled={hidden.has(key)}
    />
  );
  const toggleKind = (k: (typeof PERSON_KINDS)[number], on: boolean) =>
    set({ kinds: on ? [...draft.kinds.filter((x) => x !== k), k] : draft.kinds.filter((x) => x !== k) });

  return (
    <div className="person-fields">
      <fieldset>
        <legend>{t('person.sections.identity')}</legend>
        <div className="grid-4">
          <SelectField
            name="civility"
            label={t('person.fields.civility')}
            value={draft.civility}
            onChange={(e) => set({ civility: e.target.value as Civility | '' })}
            error={errors.civility ?? null}
          >
            <option value="">{t('person.civility.none')}</option>
            {CIVILITIES.map((c) => (
              <option key={c} value={c}>
                {t(`person.civility.${c}`)}
              </option>
            ))}
          </SelectField>
          {text('firstName', { autoComplete: 'off' })}
          {text('lastName', { autoComplete: 'off' })}
          {date('birthDate')}
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('person.sections.contact')}</legend>
        <div className="grid-3">
          {text('email', { type: 'email', inputMode: 'email', autoComplete: 'off' })}
          {text('phone', { type: 'tel', inputMode: 'tel', autoComplete: 'off' })}
          {text('phone2', { type: 'tel', inputMode: 'tel', autoComplete: 'off' })}
        </div>
        <div className="grid-address">
          {text('addressLine', { autoComplete: 'off' })}
          {text('postalCode', { autoComplete: 'off' })}
          {text('city', { autoComplete: 'off' })}
          {text('country', { autoComplete: 'off' })}
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('person.sections.roles')}</legend>
        <fieldset className="inline-group">
          <legend>{t('person.fields.kinds')}</legend>
          {PERSON_KINDS.map((k) => (
            <CheckboxField key={k} name={`kind-${k}`} label={t(`kinds.${k}`)} checked={draft.kinds.includes(k)} onChange={(e) => toggleKind(k, e.target.checked)} />
          ))}
          {errors.kinds ? <p className="field-error">{errors.kinds}</p> : null}
        </fieldset>
        <div className="grid-3">
          {text('memberNumber', { autoComplete: 'off' })}
          {date('membershipStart')}
          {date('membershipEnd')}
        </div>
      </fieldset>

      {draft.kinds.includes('volunteer') ? (
        <fieldset>
          <legend>{t('person.sections.volunteer')}</legend>
          <div className="grid-2">
            <TextAreaField label={t('person.fields.skills')} value={draft.skills} onChange={(e) => set({ skills: e.target.value })} rows={3} maxLength={LIMITS.skills} error={errors.skills ?? null} {...masked('skills')} />
            <TextAreaField
              label={t('person.fields.availability')}
              value={draft.availability}
              onChange={(e) => set({ availability: e.target.value })}
              rows={3}
              maxLength={LIMITS.availability}
              error={errors.availability ?? null}
              {...masked('availability')}
            />
          </div>
        </fieldset>
      ) : null}

      <fieldset>
        <legend>{t('person.sections.household')}</legend>
        <div className="grid-2">
          <SelectField label={t('person.fields.household')} value={draft.household} onChange={(e) => set({ household: e.target.value })} error={errors.householdId ?? null} {...masked('householdId')}>
            <option value="">{t('person.household.none')}</option>
            {households.map((h) => (
              <option key={h.id} value={h.id}>
                {t('person.household.option', { name: h.name, count: h.memberIds.length })}
              </option>
            ))}
            <option value={NEW_HOUSEHOLD}>{t('person.household.new')}</option>
          </SelectField>
          {draft.household === NEW_HOUSEHOLD ? (
            <TextField label={t('person.household.newName')} value={draft.newHouseholdName} onChange={(e) => set({ newHouseholdName: e.target.value })} maxLength={200} required />
          ) : null}
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('person.sections.notes')}</legend>
        <TextAreaField label={t('person.fields.notes')} value={draft.notes} onChange={(e) => set({ notes: e.target.value })} rows={4} maxLength={LIMITS.notes} error={errors.notes ?? null} {...masked('notes')} />
      </fieldset>
    </div>
  );
}

/**
 * « Enregistrer un don »: donor (people search), amount typed in euros (« 123,45 », shared/domain/money.ts), date
 * (jj/mm/aaaa), method, form and nature of CERFA 11580*05. Checked with the contract's `giftInput` before sending.
 */
import { useCallback, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { GIFT_FORMS, GIFT_METHODS, GIFT_NATURES, giftInput, type GiftForm as Form, type GiftMethod, type GiftNature } from '../../../../shared/domain/gift';
import { parseAmount } from '../../../../shared/domain/money';
import { invoke } from '../../../api/client';
import { useSubmit } from '../../../app/useSubmit';
import { ErrorAlert } from '../../../components/Alert';
import { DateField, readTypedDate } from '../../../components/DateField';
import { SelectField, TextField } from '../../../components/Field';
import { PersonCombobox } from '../../../components/PersonCombobox';

export function GiftForm({ onSaved }: { onSaved(message: string): void }) {
  const { t } = useTranslation();
  const [person, setPerson] = useState<{ id: string; name: string } | null>(null);
  const [amount, setAmount] = useState('');
  const [amountError, setAmountError] = useState<string | null>(null);
  const [date, setDate] = useState('');
  const [dateError, setDateError] = useState<string | null>(null);
  const [method, setMethod] = useState<GiftMethod>('cheque');
  const [form, setForm] = useState<Form>('manual');
  const [nature, setNature] = useState<GiftNature>('cash');
  const { busy, error, setError, run, check, fieldErrors, formRef } = useSubmit(['personId', 'amountCents', 'givenOn', 'method', 'form', 'nature']);
  const search = useCallback((query: string, limit: number) => invoke('people:search', { query, limit }), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setError(null);
    const a = parseAmount(amount, t('gifts.fields.amount'));
    setAmountError(a.ok ? null : a.message);
    const d = readTypedDate(date, t('gifts.fields.date'), t);
    const dError = d.error ?? (d.iso ? null : t('gifts.dateRequired'));
    setDateError(dError);
    if (!person) return setError(t('gifts.donorRequired'));
    if (!a.ok || dError) return;
    const input = { personId: person.id, amountCents: a.cents, givenOn: d.iso!, method, form, nature };
    if (!check(giftInput, input)) return;
    const ok = await run(async () => {
      await invoke('gifts:add', input);
    });
    if (ok) {
      onSaved(t('gifts.saved', { name: person.name }));
      setAmount('');
      setDate('');
    }
  }

  return (
    <form ref={formRef} className="card stack" onSubmit={(e) => void submit(e)} aria-labelledby="gift-form-title" noValidate>
      <h2 id="gift-form-title">{t('gifts.newTitle')}</h2>
      {error ? <ErrorAlert>{error}</ErrorAlert> : null}
      <PersonCombobox label={t('gifts.fields.donor')} value={person?.id ?? null} valueName={person?.name ?? null} onChange={setPerson} search={search} />
      <div className="grid-4">
        <TextField label={t('gifts.fields.amount')} hint={t('gifts.amountHint')} value={amount} onChange={(e) => setAmount(e.target.value)} error={amountError ?? fieldErrors.amountCents} inputMode="decimal" autoComplete="off" required />
        <DateField label={t('gifts.fields.date')} value={date} onChange={setDate} error={dateError ?? fieldErrors.givenOn} />
        <SelectField label={t('gifts.fields.method')} value={method} onChange={(e) => setMethod(e.target.value as GiftMethod)}>
          {GIFT_METHODS.map((m) => (
            <option key={m} value={m}>
              {t(`gifts.method.${m}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('gifts.fields.form')} value={form} onChange={(e) => setForm(e.target.value as Form)}>
          {GIFT_FORMS.map((f) => (
            <option key={f} value={f}>
              {t(`gifts.form.${f}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('gifts.fields.nature')} value={nature} onChange={(e) => setNature(e.target.value as GiftNature)}>
          {GIFT_NATURES.map((n) => (
            <option key={n} value={n}>
              {t(`gifts.nature.${n}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {t('gifts.save')}
        </button>
      </div>
    </form>
  );
}

/**
 * « Enregistrer un paiement » (treasury.write): person, fee type (and tariff category), date jj/mm/aaaa, amount typed
 * « 20,00 » (shared/domain/money.ts: refused if ambiguous), method; cheque number and bank for a cheque. The amount is
 * prefilled with the tariff of the chosen category. Checked with zod before sending (useZodForm).
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { PAYMENT_METHODS, type DuesStatus, type FeeType } from '../../../../shared/domain/dues';
import { centsToInput, typedAmount } from '../../../../shared/domain/money';
import { invoke } from '../../../api/client';
import { todayIso } from '../../../app/format';
import { useZodForm } from '../../../app/useZodForm';
import { ErrorAlert } from '../../../components/Alert';
import { DateField, readTypedDate } from '../../../components/DateField';
import { SelectField } from '../../../components/Field';
import { FormField } from '../../../components/FormField';
import { PersonCombobox } from '../../../components/PersonCombobox';
import { typedDateOf } from '../../../../shared/domain/dates';

const schema = z.object({
  feeTypeId: z.string().min(1, 'Choisissez un type de cotisation'),
  category: z.string(),
  amount: typedAmount('Montant'),
  method: z.enum(PAYMENT_METHODS),
  chequeNumber: z.string().trim().max(40),
  bank: z.string().trim().max(80),
});

interface Props {
  feeTypes: FeeType[];
  person: { id: string; name: string } | null;
  onPerson(p: { id: string; name: string } | null): void;
  onSaved(status: DuesStatus): void;
}

export function PaymentForm({ feeTypes, person, onPerson, onSaved }: Props) {
  const { t } = useTranslation();
  const first = feeTypes[0];
  const firstCategory = first ? Object.keys(first.amounts)[0] ?? '' : '';
  const { form, busy, rootError, setRootError, submit } = useZodForm(schema, {
    feeTypeId: first?.id ?? '',
    category: firstCategory,
    amount: first && firstCategory ? centsToInput(first.amounts[firstCategory]!) : '',
    method: 'cheque',
    chequeNumber: '',
    bank: '',
  });
  const [date, setDate] = useState(typedDateOf(todayIso()));
  const [dateError, setDateError] = useState<string | null>(null);
  const feeTypeId = form.watch('feeTypeId');
  const category = form.watch('category');
  const method = form.watch('method');
  const fee = feeTypes.find((f) => f.id === feeTypeId);
  useEffect(() => {
    const cats = fee ? Object.keys(fee.amounts) : [];
    const cat = cats.includes(category) ? category : (cats[0] ?? '');
    if (cat !== category) form.setValue('category', cat);
    if (fee && cat && fee.amounts[cat] !== undefined) form.setValue('amount', centsToInput(fee.amounts[cat]));
  }, [fee, category, form]);
  const search = useCallback((query: string, limit: number) => invoke('people:search', { query, limit }), []);

  const onSubmit = submit(async (v) => {
    const d = readTypedDate(date, t('dues.fields.paidOn'), t);
    setDateError(d.error);
    if (!person) return setRootError(t('dues.choosePerson'));
    if (!d.iso) return;
    const r = await invoke('dues:pay', {
      personId: person.id,
      feeTypeId: v.feeTypeId,
      paidOn: d.iso,
      amountCents: v.amount,
      method: v.method,
      ...(v.category ? { category: v.category } : {}),
      ...(v.method === 'cheque' && v.chequeNumber ? { chequeNumber: v.chequeNumber } : {}),
      ...(v.method === 'cheque' && v.bank ? { bank: v.bank } : {}),
    });
    form.setValue('chequeNumber', '');
    form.setValue('bank', '');
    onSaved(r.status);
  });

  return (
    <form className="card stack" onSubmit={(e) => void onSubmit(e)} aria-labelledby="dues-pay-title" noValidate data-testid="dues-pay-form">
      <h2 id="dues-pay-title">{t('dues.recordPayment')}</h2>
      <ErrorAlert>{rootError}</ErrorAlert>
      <PersonCombobox label={t('dues.fields.person')} value={person?.id ?? null} valueName={person?.name ?? null} onChange={onPerson} search={search} />
      <div className="dues-fields">
        <SelectField label={t('dues.fields.feeType')} {...form.register('feeTypeId')}>
          {feeTypes.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </SelectField>
        {fee && Object.keys(fee.amounts).length > 1 ? (
          <SelectField label={t('dues.fields.category')} {...form.register('category')}>
            {Object.keys(fee.amounts).map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </SelectField>
        ) : null}
        <DateField label={t('dues.fields.paidOn')} value={date} onChange={setDate} error={dateError} />
        <FormField form={form} name="amount" label={t('dues.fields.amount')} hint={t('dues.amountHint')} inputMode="decimal" autoComplete="off" />
        <SelectField label={t('dues.fields.method')} {...form.register('method')}>
          {PAYMENT_METHODS.map((m) => (
            <option key={m} value={m}>
              {t(`dues.method.${m}`)}
            </option>
          ))}
        </SelectField>
        {method === 'cheque' ? (
          <>
            <FormField form={form} name="chequeNumber" label={t('dues.fields.chequeNumber')} autoComplete="off" />
            <FormField form={form} name="bank" label={t('dues.fields.bank')} autoComplete="off" />
          </>
        ) : null}
      </div>
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy || feeTypes.length === 0}>
          {t('dues.save')}
        </button>
      </div>
    </form>
  );
}

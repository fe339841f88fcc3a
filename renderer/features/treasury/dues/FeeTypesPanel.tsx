/**
 * « Types de cotisation » (treasury.read to see, treasury.write to add): name, amount « 20,00 », period (année civile,
 * N mois, à date fixe, une fois); and the imported tariffs (HelloAsso) to map once to a fee type.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { FeeTariff, FeeType } from '../../../../shared/domain/dues';
import { formatCents, typedAmount } from '../../../../shared/domain/money';
import { errorMessage, invoke } from '../../../api/client';
import { useCan } from '../../../app/session';
import { useZodForm } from '../../../app/useZodForm';
import { ErrorAlert } from '../../../components/Alert';
import { SelectField } from '../../../components/Field';
import { FormField } from '../../../components/FormField';

const schema = z
  .object({
    name: z.string().trim().min(1, 'Nom obligatoire').max(100),
    amount: typedAmount('Montant'),
    kind: z.enum(['year', 'months', 'dates', 'once']),
    months: z.string(),
    day: z.string(),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'months' && !/^([1-9]|[1-5]\d|60)$/.test(v.months.trim())) ctx.addIssue({ code: 'custom', path: ['months'], message: 'Nombre de mois : de 1 à 60' });
    if (v.kind === 'dates' && !/^(0[1-9]|[12]\d|3[01])\/(0[1-9]|1[0-2])$/.test(v.day.trim())) ctx.addIssue({ code: 'custom', path: ['day'], message: 'Jour de début : jj/mm, par exemple 01/09' });
  });

export function FeeTypesPanel({ feeTypes, tariffs, onChanged }: { feeTypes: FeeType[]; tariffs: FeeTariff[]; onChanged(): void }) {
  const { t } = useTranslation();
  const can = useCan();
  const [error, setError] = useState<string | null>(null);
  const { form, busy, rootError, submit } = useZodForm(schema, { name: '', amount: '', kind: 'year', months: '12', day: '01/09' });
  const kind = form.watch('kind');
  const periodText = (p: string) =>
    p === 'year' ? t('dues.periodKind.year') : p === 'once' ? t('dues.periodKind.once') : p.startsWith('months:') ? t('dues.periodMonths', { n: p.slice(7) }) : t('dues.periodFrom', { day: p.slice(6).split('-').reverse().join('/') });

  const onSubmit = submit(async (v) => {
    const period = v.kind === 'months' ? `months:${Number(v.months)}` : v.kind === 'dates' ? `dates:${v.day.trim().split('/').reverse().join('-')}` : v.kind;
    await invoke('dues:saveFeeType', { name: v.name, amounts: { 'Plein tarif': v.amount }, period });
    form.reset();
    onChanged();
  });

  async function map(tariff: FeeTariff, feeTypeId: string) {
    if (!feeTypeId) return;
    try {
      await invoke('dues:mapTariff', { source: tariff.source, tariff: tariff.tariff, feeTypeId });
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <section className="card stack" aria-labelledby="fee-types-title">
      <h2 id="fee-types-title">{t('dues.feeTypes')}</h2>
      <ErrorAlert>{error}</ErrorAlert>
      {feeTypes.length === 0 ? <p className="muted">{t('dues.noFeeType')}</p> : null}
      <ul className="plain-list" data-testid="fee-types">
        {feeTypes.map((f) => (
          <li key={f.id}>
            <strong>{f.name}</strong> — {periodText(f.period)} —{' '}
            {Object.entries(f.amounts)
              .map(([c, a]) => `${c} ${formatCents(a)}`)
              .join(', ')}
          </li>
        ))}
      </ul>
      {can('treasury.write') ? (
        <form className="stack" onSubmit={(e) => void onSubmit(e)} aria-labelledby="fee-new-title" noValidate>
          <h3 id="fee-new-title">{t('dues.newFeeType')}</h3>
          <ErrorAlert>{rootError}</ErrorAlert>
          <div className="dues-fields">
            <FormField form={form} name="name" label={t('dues.fields.name')} autoComplete="off" />
            <FormField form={form} name="amount" label={t('dues.fields.amount')} hint={t('dues.amountHint')} inputMode="decimal" autoComplete="off" />
            <SelectField label={t('dues.fields.period')} {...form.register('kind')}>
              {(['year', 'months', 'dates', 'once'] as const).map((k) => (
                <option key={k} value={k}>
                  {t(`dues.periodKind.${k}`)}
                </option>
              ))}
            </SelectField>
            {kind === 'months' ? <FormField form={form} name="months" label={t('dues.fields.months')} inputMode="numeric" /> : null}
            {kind === 'dates' ? <FormField form={form} name="day" label={t('dues.fields.startDay')} hint="jj/mm" /> : null}
          </div>
          <div className="actions">
            <button type="submit" className="button secondary" disabled={busy}>
              {t('dues.addFeeType')}
            </button>
          </div>
        </form>
      ) : null}
      {tariffs.some((x) => x.feeTypeId === null) && can('treasury.write') ? (
        <div className="stack" data-testid="dues-tariffs">
          <h3>{t('dues.tariffsToMap')}</h3>
          {tariffs
            .filter((x) => x.feeTypeId === null)
            .map((x) => (
              <SelectField key={`${x.source}:${x.tariff}`} label={t('dues.mapTariff', { tariff: x.tariff })} defaultValue="" onChange={(e) => void map(x, e.target.value)}>
                <option value="">{t('dues.chooseFeeType')}</option>
                {feeTypes.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.name}
                  </option>
                ))}
              </SelectField>
            ))}
        </div>
      ) : null}
    </section>
  );
}

/** A person's dues payments (treasury.read): date, fee type, period, amount « 20,00 € », method, cancel (treasury.write). */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DuesPayment } from '../../../../shared/domain/dues';
import { formatCents } from '../../../../shared/domain/money';
import { errorMessage, invoke } from '../../../api/client';
import { formatDate, todayIso } from '../../../app/format';
import { useCan } from '../../../app/session';
import { ErrorAlert } from '../../../components/Alert';

export function PersonPayments({ person, exempt, version, onChanged }: { person: { id: string; name: string }; exempt: boolean; version: number; onChanged(): void }) {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const [items, setItems] = useState<DuesPayment[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const d = (iso: string | null) => (iso ? formatDate(iso, i18n.language) : t('dues.forLife'));
  const load = useCallback(async () => {
    try {
      setItems((await invoke('dues:personPayments', { personId: person.id })).items);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [person.id]);
  useEffect(() => {
    void load();
  }, [load, version]);

  async function cancel(id: string) {
    try {
      await invoke('dues:cancelPayment', { id });
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  async function setExempt(next: boolean) {
    try {
      await invoke('dues:setExemption', { personId: person.id, exempt: next, fromDate: todayIso() });
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <section className="card" aria-labelledby="dues-person-title" data-testid="dues-person-payments">
      <div className="dues-toolbar">
        <h2 id="dues-person-title">{t('dues.paymentsOf', { name: person.name })}</h2>
        {can('treasury.write') ? (
          <button type="button" className="button secondary" onClick={() => void setExempt(!exempt)}>
            {exempt ? t('dues.endExemption') : t('dues.exempt')}
          </button>
        ) : null}
      </div>
      <ErrorAlert>{error}</ErrorAlert>
      {items && items.length === 0 ? <p className="muted">{t('dues.noPayment')}</p> : null}
      {items && items.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('dues.fields.paidOn')}</th>
                <th scope="col">{t('dues.fields.feeType')}</th>
                <th scope="col">{t('dues.period')}</th>
                <th scope="col" className="amount">
                  {t('dues.fields.amount')}
                </th>
                <th scope="col">{t('dues.fields.method')}</th>
                {can('treasury.write') ? <th scope="col">{t('dues.actions')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id}>
                  <td>{d(p.paidOn)}</td>
                  <td>
                    {p.feeTypeName}
                    {p.details?.category ? ` (${p.details.category})` : ''}
                  </td>
                  <td>
                    {t('dues.fromTo', { from: d(p.coversFrom), to: d(p.coversTo) })}
                    {p.settled ? '' : ` · ${t('dues.partial')}`}
                  </td>
                  <td className="amount">{p.details ? formatCents(p.details.amountCents) : '—'}</td>
                  <td>
                    {p.details ? t(`dues.method.${p.details.method}`) : '—'}
                    {p.details?.chequeNumber ? ` n° ${p.details.chequeNumber}` : ''}
                    {p.details?.bank ? ` (${p.details.bank})` : ''}
                    {p.externalReceipt ? ` · ${t('dues.externalReceipt')}` : ''}
                  </td>
                  {can('treasury.write') ? (
                    <td>
                      <button type="button" className="link-button" onClick={() => void cancel(p.id)} aria-label={t('dues.cancelOf', { date: d(p.paidOn) })}>
                        {t('dues.cancel')}
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

/**
 * « Cotisations » (docs/treasury.md « Écrans »): the people who pay dues by status (à jour, échéance proche, en
 * retard, jamais, exempté) with the last day paid and their phone (the list to call), a person's payments, recording a
 * payment, renewing the ticked people at once, reminders (CSV for a mail merge, a letter PDF per ticked person), fee
 * types and imported tariffs. Amounts only ever for treasury holders (this tab needs treasury.read).
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DUES_STATUSES, PAYMENT_METHODS, type DuesStatus, type FeeTariff, type FeeType, type PaymentMethod, type PersonDues } from '../../../../shared/domain/dues';
import { errorMessage, invoke } from '../../../api/client';
import { useAnnouncer } from '../../../app/announcer';
import { useDataVersion } from '../../../app/dataVersion';
import { downloadBytes } from '../../../app/download';
import { todayIso } from '../../../app/format';
import { useRouter } from '../../../app/router';
import { useCan } from '../../../app/session';
import { ErrorAlert } from '../../../components/Alert';
import { SelectField } from '../../../components/Field';
import { StatusBadge } from './DuesStatusBadge';
import { FeeTypesPanel } from './FeeTypesPanel';
import { PaymentForm } from './PaymentForm';
import { PersonPayments } from './PersonPayments';
import { DuesSettingsForm } from './DuesSettingsForm';

export function DuesTab() {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const { navigate } = useRouter();
  const can = useCan();
  const version = useDataVersion();
  const [filter, setFilter] = useState<DuesStatus | ''>('');
  const [people, setPeople] = useState<PersonDues[] | null>(null);
  const [feeTypes, setFeeTypes] = useState<FeeType[]>([]);
  const [tariffs, setTariffs] = useState<FeeTariff[]>([]);
  const [ticked, setTicked] = useState<Set<string>>(new Set());
  const [person, setPerson] = useState<{ id: string; name: string } | null>(null);
  const [renewFee, setRenewFee] = useState('');
  const [renewMethod, setRenewMethod] = useState<PaymentMethod>('cash');
  const [error, setError] = useState<string | null>(null);
  const [changes, setChanges] = useState(0);

  const load = useCallback(async () => {
    try {
      const [list, fees, maps] = await Promise.all([invoke('dues:list', {}), invoke('dues:feeTypes', {}), invoke('dues:tariffs', {})]);
      setPeople(list.items);
      setFeeTypes(fees.items);
      setTariffs(maps.items);
      setRenewFee((f) => f || fees.items[0]?.id || '');
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load, version, changes]);
  const changed = () => setChanges((n) => n + 1);

  const shown = (people ?? []).filter((p) => !filter || p.status === filter);
  const count = (s: DuesStatus) => (people ?? []).filter((p) => p.status === s).length;
  const toggle = (id: string) =>
    setTicked((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  async function act(work: () => Promise<void>) {
    try {
      await work();
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  const renew = () =>
    act(async () => {
      const r = await invoke('dues:renew', { personIds: [...ticked], feeTypeId: renewFee, paidOn: todayIso(), method: renewMethod });
      announce(t('dues.renewed', { count: r.count }));
      setTicked(new Set());
      changed();
    });
  const csv = () =>
    act(async () => {
      const r = await invoke('dues:remindersCsv', {});
      downloadBytes(new TextEncoder().encode(r.csv), r.fileName, 'text/csv');
    });
  const letters = () =>
    act(async () => {
      const r = await invoke('dues:reminderLetters', { personIds: [...ticked] });
      downloadBytes(r.pdf, r.fileName);
    });

  return (
    <div className="dues-tab stack">
      <ErrorAlert>{error}</ErrorAlert>
      <section className="card stack" aria-labelledby="dues-list-title">
        <h2 id="dues-list-title">{t('dues.byStatus')}</h2>
        <div className="dues-toolbar">
          <SelectField label={t('dues.filter')} value={filter} onChange={(e) => setFilter(e.target.value as DuesStatus | '')} data-testid="dues-filter">
            <option value="">{t('dues.all', { count: people?.length ?? 0 })}</option>
            {DUES_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`dues.status.${s}`)} ({count(s)})
              </option>
            ))}
          </SelectField>
          <button type="button" className="button secondary" onClick={() => void csv()}>
            {t('dues.remindersCsv')}
          </button>
        </div>
        {people && shown.length === 0 ? <p className="muted">{t('dues.nobody')}</p> : null}
        {shown.length > 0 ? (
          <div className="table-wrap">
            <table className="data-table" data-testid="dues-table">
              <caption className="visually-hidden">{t('dues.byStatus')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('dues.tick')}</th>
                  <th scope="col">{t('dues.fields.person')}</th>
                  <th scope="col">{t('dues.statusLabel')}</th>
                  <th scope="col">{t('dues.fields.phone')}</th>
                  <th scope="col">{t('dues.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((p) => {
                  const name = `${p.firstName} ${p.lastName}`.trim();
                  return (
                    <tr key={p.personId}>
                      <td>
                        <input type="checkbox" checked={ticked.has(p.personId)} onChange={() => toggle(p.personId)} aria-label={t('dues.tickName', { name })} />
                      </td>
                      <td>
                        <button type="button" className="link-button" onClick={() => navigate({ name: 'person', id: p.personId })}>
                          {name}
                        </button>
                      </td>
                      <td>
                        <StatusBadge status={p.status} paidUntil={p.paidUntil} />
                      </td>
                      <td>{p.phone ?? ''}</td>
                      <td>
                        <button type="button" className="link-button" onClick={() => setPerson({ id: p.personId, name })} aria-label={t('dues.paymentsOf', { name })}>
                          {t('dues.payments')}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
        {ticked.size > 0 ? (
          <div className="dues-toolbar" data-testid="dues-bulk">
            <p>{t('dues.tickedCount', { count: ticked.size })}</p>
            {can('treasury.write') && feeTypes.length > 0 ? (
              <>
                <SelectField label={t('dues.fields.feeType')} value={renewFee} onChange={(e) => setRenewFee(e.target.value)}>
                  {feeTypes.map((f) => (
                    <option key={f.id} value={f.id}>
                      {f.name}
                    </option>
                  ))}
                </SelectField>
                <SelectField label={t('dues.fields.method')} value={renewMethod} onChange={(e) => setRenewMethod(e.target.value as PaymentMethod)}>
                  {PAYMENT_METHODS.map((m) => (
                    <option key={m} value={m}>
                      {t(`dues.method.${m}`)}
                    </option>
                  ))}
                </SelectField>
                <button type="button" className="button primary" onClick={() => void renew()}>
                  {t('dues.renew')}
                </button>
              </>
            ) : null}
            <button type="button" className="button secondary" onClick={() => void letters()}>
              {t('dues.letters')}
            </button>
          </div>
        ) : null}
      </section>
      {person ? <PersonPayments person={person} exempt={people?.find((x) => x.personId === person.id)?.status === 'exempt'} version={changes} onChanged={changed} /> : null}
      {can('treasury.write') ? (
        <PaymentForm
          key={feeTypes.map((f) => f.id).join(',')}
          feeTypes={feeTypes}
          person={person}
          onPerson={setPerson}
          onSaved={(status) => {
            announce(t('dues.saved', { status: t(`dues.status.${status}`) }));
            changed();
          }}
        />
      ) : null}
      <FeeTypesPanel feeTypes={feeTypes} tariffs={tariffs} onChanged={changed} />
      <DuesSettingsForm version={changes} onChanged={changed} />
    </div>
  );
}

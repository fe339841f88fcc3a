/**
 * Consent to the processing of the person's data (RGPD art. 7): purpose, date given, who collected it, withdrawal.
 * `consents:list`; with `consents.write`, « Recueillir un consentement » opening the form (`consents:record`) and
 * « Retirer » (`consents:withdraw`, today). `onConsents` receives each list read (for the person page's summary).
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Consent } from '../../../shared/domain/consent';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useDataVersion, useHoldRefresh } from '../../app/dataVersion';
import { formatDate, todayIso } from '../../app/format';
import { useCan } from '../../app/session';
import { ErrorAlert } from '../../components/Alert';
import { OnDemandButton, OnDemandPanel, useOnDemand } from '../../components/OnDemand';
import { Badge } from '../../components/Badge';
import { DateField, readTypedDate } from '../../components/DateField';
import { TextField } from '../../components/Field';
import { typedDateOf } from '../../../shared/domain/dates';

export function PersonConsents({ personId, onConsents }: { personId: string; onConsents?(items: Consent[]): void }) {
  const { t, i18n } = useTranslation();
  const { announce } = useAnnouncer();
  const can = useCan();
  const [items, setItems] = useState<Consent[] | null>(null);
  const [purpose, setPurpose] = useState('');
  const [givenOn, setGivenOn] = useState(typedDateOf(todayIso()));
  const [givenError, setGivenError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const d = (iso: string | null) => formatDate(iso, i18n.language);
  const version = useDataVersion();
  const form = useOnDemand();
  const report = useRef(onConsents);
  report.current = onConsents;
  useHoldRefresh(purpose !== '');

  const load = useCallback(() => {
    invoke('consents:list', { personId })
      .then((r) => {
        setItems(r.items);
        report.current?.(r.items);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [personId]);
  useEffect(load, [load, version]);

  async function record(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const given = readTypedDate(givenOn, t('consents.givenOn'), t);
    // Required: an empty date is refused like an impossible one.
    const givenProblem = given.error ?? (given.iso ? null : t('fieldChecks.dateFormat', { label: t('consents.givenOn') }));
    setGivenError(givenProblem);
    if (givenProblem || !given.iso) return;
    try {
      await invoke('consents:record', { personId, consent: { purpose, givenOn: given.iso } });
      announce(t('consents.recorded'));
      setPurpose('');
      form.hide();
      load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function withdraw(c: Consent) {
    setError(null);
    try {
      await invoke('consents:withdraw', { id: c.id, withdrawnOn: todayIso() });
      announce(t('consents.withdrawnDone', { purpose: c.purpose }));
      load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  const writer = can('consents.write');
  return (
    <section className="card person-consents" aria-labelledby="consents-title">
      <div className="card-head">
        <h2 id="consents-title">{t('consents.title')}</h2>
        {writer ? <OnDemandButton state={form} label={t('consents.addTitle')} /> : null}
      </div>
      {items && items.length === 0 ? <p className="muted">{t('consents.none')}</p> : null}
      {items && items.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table consents-table" data-testid="consents-table">
            <caption className="visually-hidden">{t('consents.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('consents.purpose')}</th>
                <th scope="col">{t('consents.givenOn')}</th>
                <th scope="col">{t('consents.collectedBy')}</th>
                <th scope="col">{t('consents.withdrawnOn')}</th>
                {writer ? (
                  <th scope="col">
                    <span className="visually-hidden">{t('common.actions')}</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.purpose}</th>
                  <td>{d(c.givenOn)}</td>
                  <td>{c.collectedBy}</td>
                  <td>{c.withdrawnOn ? <Badge tone="danger">{t('consents.withdrawn', { date: d(c.withdrawnOn) })}</Badge> : <Badge tone="success">{t('consents.active')}</Badge>}</td>
                  {writer ? (
                    <td>
                      {c.withdrawnOn ? null : (
                        <button type="button" className="button secondary small" onClick={() => void withdraw(c)}>
                          {t('consents.withdraw')}
                          <span className="visually-hidden"> {c.purpose}</span>
                        </button>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <ErrorAlert>{error}</ErrorAlert>
      {writer ? (
        <OnDemandPanel state={form}>
        <form className="consent-form stack" onSubmit={(e) => void record(e)} aria-labelledby="consent-add-title" noValidate>
          <h3 id="consent-add-title">{t('consents.addTitle')}</h3>
          <div className="grid-2">
            <TextField label={t('consents.purpose')} hint={t('consents.purposeHint')} value={purpose} onChange={(e) => setPurpose(e.target.value)} required autoComplete="off" />
            <DateField label={t('consents.givenOn')} value={givenOn} onChange={setGivenOn} error={givenError} required />
          </div>
          <div className="actions">
            <button type="submit" className="button primary">
              {t('consents.record')}
            </button>
            <button type="button" className="button secondary" onClick={form.hide}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
        </OnDemandPanel>
      ) : null}
    </section>
  );
}

/**
 * « Pièces à renouveler » (`documents.read`; docs/papers-expiry.md): papers expired or expiring within 30, 60 or 90
 * days, of the people the user may see, each opening its person's page; « Vérifier une attestation de dépôt » (a
 * receipt file checked offline, docs/deposit-receipt.md); and, for `settings.manage`, the renewal task's delay and
 * the time-stamping authority.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { EXPIRY_WINDOWS, type ExpiringPaper, type ReceiptVerification } from '../../../shared/domain/papers';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useDataVersion } from '../../app/dataVersion';
import { formatDate } from '../../app/format';
import { useRouter } from '../../app/router';
import { useCan } from '../../app/session';
import { ErrorAlert, Notice } from '../../components/Alert';
import { Badge } from '../../components/Badge';
import { TextField } from '../../components/Field';
import { FileField } from '../../components/FileField';
import { PageHeader } from '../../components/PageHeader';
import { InboxLink } from '../inbox/InboxLink';
import './papers.css';

function VerifyReceipt() {
  const { t, i18n } = useTranslation();
  const { announce } = useAnnouncer();
  const [result, setResult] = useState<ReceiptVerification | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function check(file: File | undefined) {
    if (!file) return;
    try {
      const r = await invoke('deposits:verify', { pdf: new Uint8Array(await file.arrayBuffer()) });
      setResult(r);
      setError(null);
      announce(r.ok ? t('receipts.verify.valid') : t('receipts.verify.invalid'));
    } catch (e) {
      setResult(null);
      setError(errorMessage(e));
    }
  }
  return (
    <section className="card stack" aria-labelledby="verify-title">
      <h2 id="verify-title">{t('receipts.verify.title')}</h2>
      <p className="muted">{t('receipts.verify.intro')}</p>
      <FileField label={t('receipts.verify.file')} accept="application/pdf,.pdf" data-testid="verify-receipt-file" onFile={(f) => void check(f)} />
      <ErrorAlert>{error}</ErrorAlert>
      {result ? (
        <div className="verify-result" role="status" data-testid="verify-result">
          <Notice tone={result.ok ? 'success' : 'warning'}>{result.ok ? t('receipts.verify.valid') : result.reason}</Notice>
          {result.depositId ? (
            <dl>
              <dt>{t('receipts.verify.deposit')}</dt>
              <dd>{result.depositId}</dd>
              <dt>{t('receipts.verify.person')}</dt>
              <dd>{result.personName}</dd>
              <dt>{t('receipts.verify.issuedAt')}</dt>
              <dd>{result.issuedAt ? new Date(result.issuedAt).toLocaleString(i18n.language) : ''}</dd>
              <dt>{t('receipts.verify.timestamp')}</dt>
              <dd>{result.timestamp ? new Date(result.timestamp.genTime).toLocaleString(i18n.language) : t('receipts.verify.noTimestamp')}</dd>
            </dl>
          ) : null}
          {result.documents.length ? (
            <ul>
              {result.documents.map((d) => (
                <li key={d.id}>{d.ok ? t('receipts.verify.paperOk', { type: t(`documentTypes.${d.type}`) }) : d.reason}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function PapersSettingsForm() {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const [days, setDays] = useState('');
  const [tsa, setTsa] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    invoke('papers:settings', {})
      .then((s) => {
        setDays(String(s.reminderDays));
        setTsa(s.tsaUrl ?? '');
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  async function save(e: FormEvent) {
    e.preventDefault();
    if (!/^\d+$/.test(days.trim())) return setError(t('papersRenew.settings.wholeNumber'));
    try {
      await invoke('papers:saveSettings', { reminderDays: Number(days), tsaUrl: tsa });
      setError(null);
      announce(t('papersRenew.settings.saved'));
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  return (
    <form className="card stack" onSubmit={(e) => void save(e)} aria-labelledby="papers-settings-title" noValidate>
      <h2 id="papers-settings-title">{t('papersRenew.settings.title')}</h2>
      <ErrorAlert>{error}</ErrorAlert>
      <TextField label={t('papersRenew.settings.days')} hint={t('papersRenew.settings.daysHint')} inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} />
      <TextField label={t('papersRenew.settings.tsa')} hint={t('papersRenew.settings.tsaHint')} value={tsa} onChange={(e) => setTsa(e.target.value)} />
      <div className="actions">
        <button type="submit" className="button primary">
          {t('papersRenew.settings.save')}
        </button>
      </div>
    </form>
  );
}

export function PapersPage() {
  const { t, i18n } = useTranslation();
  const { navigate } = useRouter();
  const can = useCan();
  const version = useDataVersion();
  const [within, setWithin] = useState<number>(30);
  const [items, setItems] = useState<ExpiringPaper[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    invoke('papers:expiring', { withinDays: within })
      .then((r) => {
        setItems(r.items);
        setError(null);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [within]);
  useEffect(load, [load, version]);

  return (
    <div className="papers-page">
      <PageHeader title={t('papersRenew.title')} actions={<InboxLink />} />
      <p className="muted">{t('papersRenew.intro')}</p>
      <ErrorAlert>{error}</ErrorAlert>
      <section className="card" aria-labelledby="renew-list-title">
        <h2 id="renew-list-title">{t('papersRenew.listTitle', { days: within })}</h2>
        <div className="renew-windows" role="group" aria-label={t('papersRenew.window')}>
          {EXPIRY_WINDOWS.map((w) => (
            <button key={w} type="button" className="button secondary small" aria-pressed={within === w} onClick={() => setWithin(w)}>
              {t('papersRenew.within', { days: w })}
            </button>
          ))}
        </div>
        {items && items.length === 0 ? <p className="muted">{t('papersRenew.none', { days: within })}</p> : null}
        {items && items.length > 0 ? (
          <div className="table-wrap">
            <table className="data-table" data-testid="renew-table">
              <thead>
                <tr>
                  <th scope="col">{t('papersRenew.person')}</th>
                  <th scope="col">{t('papersRenew.paper')}</th>
                  <th scope="col">{t('papersRenew.expiresOn')}</th>
                  <th scope="col">{t('papersRenew.state')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((p) => (
                  <tr key={p.documentId}>
                    <th scope="row">
                      <button type="button" className="link-button" onClick={() => navigate({ name: 'person', id: p.personId })}>
                        {p.personName}
                      </button>
                    </th>
                    <td>
                      {t(`documentTypes.${p.type}`)}
                      {p.title ? <span className="muted"> — {p.title}</span> : null}
                    </td>
                    <td>{formatDate(p.expiresOn, i18n.language)}</td>
                    <td>{p.daysLeft < 0 ? <Badge tone="danger">{t('papersRenew.expired')}</Badge> : <Badge tone="warning">{t('papersRenew.daysLeft', { count: p.daysLeft })}</Badge>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      <VerifyReceipt />
      {can('settings.manage') ? <PapersSettingsForm /> : null}
    </div>
  );
}

/**
 * « Dons et reçus » (docs/treasury.md « Dons et reçus fiscaux »): record a gift, the year's gifts with « Émettre le
 * reçu » (one gift) and « Reçu récapitulatif » (the donor's year), the year's receipts with « Imprimer » (PDF) and
 * « Annuler » (reason asked; the number stays), the art. 222 bis figures, and the receipt settings. Buttons follow
 * the session's permissions (the core refuses anyway).
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Gift, ReceiptSummary, TaxReceipt } from '../../../../shared/domain/gift';
import { formatCents } from '../../../../shared/domain/money';
import { typedDateOf } from '../../../../shared/domain/dates';
import { errorMessage, invoke } from '../../../api/client';
import { useAnnouncer } from '../../../app/announcer';
import { useDataVersion } from '../../../app/dataVersion';
import { useOpenSession } from '../../../app/session';
import { ErrorAlert, Notice } from '../../../components/Alert';
import { SelectField } from '../../../components/Field';
import { GiftForm } from './GiftForm';
import { ReceiptList } from './ReceiptList';
import { ReceiptSettingsForm } from './ReceiptSettingsForm';
import './gifts.css';

const money = (c: number | null) => (c === null ? '—' : formatCents(c));

export function GiftsTab() {
  const { t } = useTranslation();
  const session = useOpenSession();
  const { announce } = useAnnouncer();
  const version = useDataVersion();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const [gifts, setGifts] = useState<Gift[]>([]);
  const [receipts, setReceipts] = useState<TaxReceipt[]>([]);
  const [summary, setSummary] = useState<ReceiptSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const canWrite = session.permissions.includes('treasury.write');
  const canIssue = session.permissions.includes('treasury.issueReceipts');

  const reload = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => {
    let live = true;
    Promise.all([invoke('gifts:list', { year }), invoke('receipts:list', { year }), invoke('receipts:summary', { year })]).then(
      ([g, r, s]) => {
        if (!live) return;
        setGifts(g.items);
        setReceipts(r.items);
        setSummary(s);
      },
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [year, tick, version]);

  const done = (message: string) => {
    setError(null);
    setNotice(message);
    announce(message);
    reload();
  };

  async function issue(request: { giftId: string } | { personId: string; year: number }) {
    try {
      const r = await invoke('receipts:issue', request);
      done(t('gifts.issued', { number: r.number }));
    } catch (e) {
      setNotice(null);
      setError(errorMessage(e));
    }
  }

  const donorsWithOpenGifts = [...new Map(gifts.filter((g) => g.receiptableHere).map((g) => [g.personId, g.personName])).entries()];

  return (
    <div className="gifts-tab stack">
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      {error ? <ErrorAlert>{error}</ErrorAlert> : null}
      {canWrite ? <GiftForm onSaved={done} /> : null}

      <section className="card" aria-labelledby="gifts-year-title">
        <div className="gifts-head">
          <h2 id="gifts-year-title">{t('gifts.listTitle', { year })}</h2>
          <SelectField label={t('gifts.year')} value={String(year)} onChange={(e) => setYear(Number(e.target.value))}>
            {[thisYear + 1, thisYear, thisYear - 1, thisYear - 2, thisYear - 3].map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </SelectField>
        </div>
        {gifts.length === 0 ? (
          <p className="muted">{t('gifts.none')}</p>
        ) : (
          <div className="table-wrap">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{t('gifts.fields.date')}</th>
                  <th scope="col">{t('gifts.fields.donor')}</th>
                  <th scope="col" className="amount">
                    {t('gifts.fields.amount')}
                  </th>
                  <th scope="col">{t('gifts.fields.method')}</th>
                  <th scope="col">{t('gifts.receipt')}</th>
                </tr>
              </thead>
              <tbody>
                {gifts.map((g) => (
                  <tr key={g.id}>
                    <td>{typedDateOf(g.givenOn)}</td>
                    <td>{g.personName}</td>
                    <td className="amount">{money(g.amountCents)}</td>
                    <td>{g.method ? t(`gifts.method.${g.method}`) : '—'}</td>
                    <td>
                      {g.receiptNumber ??
                        (g.externalReceipt ? (
                          t('gifts.helloasso')
                        ) : g.receiptableHere && canIssue ? (
                          <button type="button" className="button small" onClick={() => void issue({ giftId: g.id })}>
                            {t('gifts.issue')}
                          </button>
                        ) : g.receiptableHere ? (
                          t('gifts.noReceipt')
                        ) : (
                          t('gifts.otherDevice')
                        ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {canIssue && donorsWithOpenGifts.length > 0 ? (
          <div className="gifts-cumul">
            <h3>{t('gifts.cumulTitle', { year })}</h3>
            <ul className="plain-list">
              {donorsWithOpenGifts.map(([personId, name]) => (
                <li key={personId}>
                  <button type="button" className="button small" onClick={() => void issue({ personId, year })}>
                    {t('gifts.cumul', { name, year })}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>

      <ReceiptList year={year} receipts={receipts} canCancel={canIssue} onChanged={done} onError={setError} />
      {summary ? (
        <p className="gifts-summary">{t('gifts.summary', { year: summary.year, count: summary.count, total: formatCents(summary.totalCents) })}</p>
      ) : null}

      {canIssue ? (
        <details className="card">
          <summary>{t('gifts.settings.title')}</summary>
          <ReceiptSettingsForm onSaved={done} />
        </details>
      ) : null}
    </div>
  );
}

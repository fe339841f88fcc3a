/**
 * « Journal » (docs/treasury.md « Journal et banque »): the cash (530), bank (512) and cheques to deposit (5112)
 * journals with their running balance, a year to show, the form for a receipt or an expense, and under the cheques
 * journal the deposit of the waiting cheques. Amounts in euros with a comma (« 1 234,50 € »), dates jj/mm/aaaa.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { JOURNALS, JOURNAL_INFO, type Journal, type LedgerEntry } from '../../../../shared/domain/ledger';
import { formatCents } from '../../../../shared/domain/money';
import { typedDateOf } from '../../../../shared/domain/dates';
import { errorMessage, invoke } from '../../../api/client';
import { useAnnouncer } from '../../../app/announcer';
import { useDataVersion } from '../../../app/dataVersion';
import { todayIso } from '../../../app/format';
import { downloadBytes } from '../../../app/download';
import { useCan } from '../../../app/session';
import { ErrorAlert, Notice } from '../../../components/Alert';
import { SelectField } from '../../../components/Field';
import { DepositPanel } from './DepositPanel';
import { EntryForm } from './EntryForm';
import './ledger.css';

const thisYear = new Date().getFullYear();
const YEARS = [thisYear + 1, thisYear, thisYear - 1, thisYear - 2, thisYear - 3];

export function JournalTab() {
  const { t } = useTranslation();
  const can = useCan();
  const { announce } = useAnnouncer();
  const version = useDataVersion();
  const [journal, setJournal] = useState<Journal>('bank');
  const [year, setYear] = useState(thisYear);
  const [view, setView] = useState<{ items: LedgerEntry[]; balanceCents: number; unreadable: number } | null>(null);
  const [cheques, setCheques] = useState<LedgerEntry[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setView(await invoke('ledger:journal', { journal, year }));
      setCheques((await invoke('ledger:pendingCheques', {})).items);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [journal, year]);
  useEffect(() => {
    void load();
  }, [load, version]);

  async function reverse(e: LedgerEntry) {
    try {
      const today = todayIso();
      await invoke('ledger:reverseEntry', { id: e.id, date: today < e.date ? e.date : today });
      announce(t('ledger.reversedDone'));
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function slip(id: string) {
    try {
      const r = await invoke('ledger:depositSlip', { id });
      downloadBytes(r.pdf, r.fileName);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <div className="stack">
      <div className="ledger-toolbar">
        <div role="group" aria-label={t('ledger.journals')} className="ledger-journals">
          {JOURNALS.map((j) => (
            <button key={j} type="button" className={`button ${j === journal ? 'primary' : 'secondary'}`} aria-pressed={j === journal} onClick={() => setJournal(j)}>
              {t(`ledger.journal.${j}`)} ({JOURNAL_INFO[j].account})
            </button>
          ))}
        </div>
        <SelectField label={t('ledger.year')} value={String(year)} onChange={(e) => setYear(Number(e.target.value))}>
          {YEARS.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </SelectField>
      </div>
      <ErrorAlert>{error}</ErrorAlert>
      {view ? (
        <section className="card" aria-labelledby="ledger-journal-title">
          <h3 id="ledger-journal-title">
            {t(`ledger.journal.${journal}`)} {year} — {t('ledger.balance')} <span className="amount">{formatCents(view.balanceCents)}</span>
          </h3>
          {view.unreadable > 0 ? <Notice tone="warning">{t('ledger.unreadable', { count: view.unreadable })}</Notice> : null}
          {view.items.length === 0 ? (
            <p className="muted">{t('ledger.noEntry')}</p>
          ) : (
            <div className="table-wrap">
              <table className="data-table ledger-table">
                <caption className="visually-hidden">{t('ledger.tableCaption', { journal: t(`ledger.journal.${journal}`), year })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('ledger.date')}</th>
                    <th scope="col">{t('ledger.pieceRef')}</th>
                    <th scope="col">{t('ledger.label')}</th>
                    <th scope="col">{t('ledger.account')}</th>
                    <th scope="col" className="amount">{t('ledger.receipt')}</th>
                    <th scope="col" className="amount">{t('ledger.expense')}</th>
                    <th scope="col" className="amount">{t('ledger.runningBalance')}</th>
                    <th scope="col">{t('ledger.state')}</th>
                  </tr>
                </thead>
                <tbody>
                  {view.items.map((e) => (
                    <tr key={e.id}>
                      <td>{typedDateOf(e.date)}</td>
                      <td>{e.pieceRef}</td>
                      <td>
                        {e.label}
                        {e.chequeNumber ? <span className="muted"> · {t('ledger.chequeNo', { number: e.chequeNumber })}</span> : null}
                      </td>
                      <td>
                        {e.account} <span className="muted">{e.accountLabel}</span>
                      </td>
                      <td className="amount">{e.direction === 'receipt' ? formatCents(e.amountCents) : ''}</td>
                      <td className="amount">{e.direction === 'expense' ? formatCents(e.amountCents) : ''}</td>
                      <td className="amount">{formatCents(e.balanceCents)}</td>
                      <td>
                        {e.reconciled ? t('ledger.reconciled') : e.depositId ? t('ledger.depositedState') : ''}
                        {e.reversed ? ` ${t('ledger.reversedState')}` : ''}
                        {can('treasury.write') && e.source === 'manual' && e.sourceId === null && !e.reversed && e.journal === journal ? (
                          <button type="button" className="link-button" aria-label={t('ledger.reverseLabel', { label: e.label, date: typedDateOf(e.date) })} onClick={() => void reverse(e)}>
                            {t('ledger.reverse')}
                          </button>
                        ) : null}
                        {e.source === 'deposit' ? (
                          <button type="button" className="link-button" onClick={() => void slip(e.id)}>
                            {t('ledger.slip')}
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}
      {journal === 'cheques' ? <DepositPanel cheques={cheques} canWrite={can('treasury.write')} onDone={() => void load()} /> : null}
      {can('treasury.write') ? <EntryForm key={journal} journal={journal} onSaved={() => void load()} /> : null}
    </div>
  );
}

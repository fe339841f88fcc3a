/**
 * « Exports » (`treasury.export`; docs/treasury.md « Exports »): the FEC of a year (art. A.47 A-1 LPF, named
 * `<SIREN>FEC<AAAAMMJJ>.txt`), the journal as CSV, and the yearly summary: receipts and expenses by account, dues and
 * gifts of the year, balances at the year's end. Every export is in the audit trail.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResponseOf } from '../../../../shared/contract';
import { formatCents } from '../../../../shared/domain/money';
import { errorMessage, invoke } from '../../../api/client';
import { useAnnouncer } from '../../../app/announcer';
import { downloadBytes } from '../../../app/download';
import { ErrorAlert } from '../../../components/Alert';
import { TextField } from '../../../components/Field';
import './ledger.css';

export function ExportsTab() {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const [year, setYear] = useState(String(new Date().getFullYear()));
  const [siren, setSiren] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<{ year?: string; siren?: string }>({});
  const [summary, setSummary] = useState<ResponseOf<'ledger:summary'> | null>(null);

  const checkedYear = (): number | null => {
    if (/^\d{4}$/.test(year.trim())) return Number(year.trim());
    setFieldErrors({ year: t('ledger.yearFormat') });
    return null;
  };
  async function run(work: () => Promise<void>) {
    try {
      await work();
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  async function fec() {
    setFieldErrors({});
    const y = checkedYear();
    if (y === null) return;
    if (!/^\d{9}$/.test(siren.trim())) return setFieldErrors({ siren: t('ledger.sirenFormat') });
    await run(async () => {
      const r = await invoke('ledger:exportFec', { year: y, siren: siren.trim() });
      downloadBytes(r.data, r.fileName, 'text/plain');
      announce(t('ledger.exported', { file: r.fileName }));
    });
  }
  async function csv() {
    setFieldErrors({});
    const y = checkedYear();
    if (y === null) return;
    await run(async () => {
      const r = await invoke('ledger:exportCsv', { year: y });
      downloadBytes(r.data, r.fileName, 'text/csv');
      announce(t('ledger.exported', { file: r.fileName }));
    });
  }
  async function showSummary() {
    setFieldErrors({});
    const y = checkedYear();
    if (y === null) return;
    await run(async () => setSummary(await invoke('ledger:summary', { year: y })));
  }

  return (
    <div className="stack">
      <section className="card stack" aria-labelledby="ledger-exports-title">
        <h3 id="ledger-exports-title">{t('ledger.exportsTitle')}</h3>
        <ErrorAlert>{error}</ErrorAlert>
        <div className="ledger-form-grid">
          <TextField label={t('ledger.year')} inputMode="numeric" maxLength={4} value={year} onChange={(e) => setYear(e.target.value)} error={fieldErrors.year ?? null} />
          <TextField label={t('ledger.siren')} hint={t('ledger.sirenHint')} inputMode="numeric" maxLength={9} value={siren} onChange={(e) => setSiren(e.target.value)} error={fieldErrors.siren ?? null} />
        </div>
        <div className="actions">
          <button type="button" className="button primary" onClick={() => void fec()}>
            {t('ledger.exportFec')}
          </button>
          <button type="button" className="button secondary" onClick={() => void csv()}>
            {t('ledger.exportCsv')}
          </button>
          <button type="button" className="button secondary" onClick={() => void showSummary()}>
            {t('ledger.showSummary')}
          </button>
        </div>
      </section>
      {summary ? (
        <section className="card stack ledger-summary" aria-labelledby="ledger-summary-title">
          <h3 id="ledger-summary-title">{t('ledger.summaryTitle', { year: summary.year })}</h3>
          <div className="table-wrap">
            <table className="data-table ledger-table">
              <thead>
                <tr>
                  <th scope="col">{t('ledger.account')}</th>
                  <th scope="col" className="amount">{t('ledger.receipt')}</th>
                  <th scope="col" className="amount">{t('ledger.expense')}</th>
                </tr>
              </thead>
              <tbody>
                {summary.accounts.map((a) => (
                  <tr key={a.account}>
                    <th scope="row">
                      {a.account} {a.label}
                    </th>
                    <td className="amount">{a.receiptsCents ? formatCents(a.receiptsCents) : ''}</td>
                    <td className="amount">{a.expensesCents ? formatCents(a.expensesCents) : ''}</td>
                  </tr>
                ))}
                <tr>
                  <th scope="row">{t('ledger.total')}</th>
                  <td className="amount">{formatCents(summary.receiptsCents)}</td>
                  <td className="amount">{formatCents(summary.expensesCents)}</td>
                </tr>
              </tbody>
            </table>
          </div>
          <dl>
            <dt>{t('ledger.duesOfYear')}</dt>
            <dd>{t('ledger.countTotal', { count: summary.dues.count, total: formatCents(summary.dues.totalCents) })}</dd>
            <dt>{t('ledger.giftsOfYear')}</dt>
            <dd>{t('ledger.countTotal', { count: summary.gifts.count, total: formatCents(summary.gifts.totalCents) })}</dd>
            {summary.balances.map((b) => (
              <div key={b.account} className="ledger-balance-row">
                <dt>{t('ledger.balanceOf', { journal: b.journal, account: b.account })}</dt>
                <dd>{formatCents(b.balanceCents)}</dd>
              </div>
            ))}
          </dl>
        </section>
      ) : null}
    </div>
  );
}

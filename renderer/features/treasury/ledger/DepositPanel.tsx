/**
 * « Chèques à remettre »: the cheques waiting in 5112, to tick and deposit at the bank in one entry (5112 → 512); the
 * slip (bordereau de remise de chèques, PDF) downloads at once and can be printed again from the bank journal.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LedgerEntry } from '../../../../shared/domain/ledger';
import { formatCents } from '../../../../shared/domain/money';
import { typedDateOf } from '../../../../shared/domain/dates';
import { errorMessage, invoke } from '../../../api/client';
import { useAnnouncer } from '../../../app/announcer';
import { downloadBytes } from '../../../app/download';
import { todayIso } from '../../../app/format';
import { ErrorAlert } from '../../../components/Alert';
import { DateField, readTypedDate } from '../../../components/DateField';

export function DepositPanel({ cheques, canWrite, onDone }: { cheques: LedgerEntry[]; canWrite: boolean; onDone(): void }) {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [date, setDate] = useState(typedDateOf(todayIso()));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const total = cheques.filter((c) => chosen.has(c.id)).reduce((s, c) => s + c.amountCents, 0);

  async function deposit() {
    const d = readTypedDate(date, t('ledger.depositDate'), t);
    if (!d.iso) return setError(d.error ?? t('ledger.dateRequired'));
    if (chosen.size === 0) return setError(t('ledger.noChequeChosen'));
    setBusy(true);
    try {
      const r = await invoke('ledger:deposit', { date: d.iso, entryIds: [...chosen] });
      const slip = await invoke('ledger:depositSlip', { id: r.id });
      downloadBytes(slip.pdf, slip.fileName);
      announce(t('ledger.deposited', { number: r.number, count: r.count, total: formatCents(r.totalCents) }));
      setChosen(new Set());
      setError(null);
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card stack" aria-labelledby="ledger-cheques-title">
      <h3 id="ledger-cheques-title">{t('ledger.pendingCheques', { count: cheques.length })}</h3>
      <ErrorAlert>{error}</ErrorAlert>
      {cheques.length === 0 ? (
        <p className="muted">{t('ledger.noPendingCheque')}</p>
      ) : (
        <>
          <fieldset className="ledger-cheques">
            <legend>{t('ledger.chooseCheques')}</legend>
            {cheques.map((c) => (
              <label key={c.id} className="ledger-cheque">
                <input
                  type="checkbox"
                  checked={chosen.has(c.id)}
                  disabled={!canWrite}
                  onChange={(e) => {
                    const next = new Set(chosen);
                    if (e.target.checked) next.add(c.id);
                    else next.delete(c.id);
                    setChosen(next);
                  }}
                />
                <span>{typedDateOf(c.date)}</span>
                <span>{c.chequeNumber ? t('ledger.chequeNo', { number: c.chequeNumber }) : t('ledger.chequeNoNumber')}</span>
                <span>{c.label}</span>
                <span className="amount">{formatCents(c.amountCents)}</span>
              </label>
            ))}
          </fieldset>
          {canWrite ? (
            <div className="actions">
              <DateField label={t('ledger.depositDate')} value={date} onChange={setDate} />
              <button type="button" className="button primary" aria-disabled={busy ? true : undefined} onClick={() => !busy && void deposit()}>
                {t('ledger.deposit', { count: chosen.size, total: formatCents(total) })}
              </button>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}

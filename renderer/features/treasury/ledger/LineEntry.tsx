/**
 * For a bank line with no matching entry (bank fees, a direct debit…): « Saisir dans le journal » records it in the
 * bank journal with the account the treasurer types (its date, amount and label taken from the line), then reconciles
 * the two. The core checks the entry as any other (account of the chart, amount, date).
 */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BankLine } from '../../../../shared/domain/ledger';
import { errorMessage, invoke } from '../../../api/client';
import { TextField } from '../../../components/Field';

export function LineEntry({ line, onDone }: { line: BankLine; onDone(message: string): void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [account, setAccount] = useState(line.amountCents < 0 ? '627' : '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function save(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      const entry = await invoke('ledger:addEntry', { journal: 'bank', date: line.date, direction: line.amountCents > 0 ? 'receipt' : 'expense', amountCents: Math.abs(line.amountCents), account: account.trim(), label: line.label.slice(0, 200) || t('ledger.bankLine') });
      await invoke('ledger:confirmMatch', { lineId: line.id, entryId: entry.id });
      setOpen(false);
      setError(null);
      onDone(t('ledger.lineRecorded'));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <button type="button" className="button secondary" onClick={() => setOpen(true)} aria-label={t('ledger.recordLineLabel', { line: line.label })}>
        {t('ledger.recordLine')}
      </button>
    );
  }
  return (
    <form className="ledger-line-entry" onSubmit={(e) => void save(e)} aria-label={t('ledger.recordLineLabel', { line: line.label })} noValidate>
      <TextField id={`${id}-account`} label={t('ledger.account')} list="ledger-chart-lines" inputMode="numeric" value={account} onChange={(e) => setAccount(e.target.value)} error={error} />
      <div className="actions">
        <button type="submit" className="button primary" aria-disabled={busy ? true : undefined}>
          {t('ledger.recordAndReconcile')}
        </button>
        <button type="button" className="button secondary" onClick={() => setOpen(false)}>
          {t('ledger.cancel')}
        </button>
      </div>
    </form>
  );
}

/**
 * « Nouvelle écriture »: a receipt or an expense typed by the treasurer in one journal, with its account of the
 * associations' chart (règlement ANC n° 2018-06; a datalist offers the usual ones), date jj/mm/aaaa, amount « 123,45 ».
 * Checked with the contract's schema before sending; the core checks again.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CHART, newEntry, type Direction, type Journal } from '../../../../shared/domain/ledger';
import { parseAmount } from '../../../../shared/domain/money';
import { invoke } from '../../../api/client';
import { useAnnouncer } from '../../../app/announcer';
import { todayIso } from '../../../app/format';
import { useSubmit } from '../../../app/useSubmit';
import { ErrorAlert } from '../../../components/Alert';
import { DateField, readTypedDate } from '../../../components/DateField';
import { SelectField, TextField } from '../../../components/Field';
import { typedDateOf } from '../../../../shared/domain/dates';

const FIELDS = ['date', 'direction', 'amountCents', 'account', 'label', 'pieceRef'] as const;

export function EntryForm({ journal, onSaved }: { journal: Journal; onSaved(): void }) {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const submit = useSubmit(FIELDS);
  const [date, setDate] = useState(typedDateOf(todayIso()));
  const [direction, setDirection] = useState<Direction>('expense');
  const [amount, setAmount] = useState('');
  const [account, setAccount] = useState('');
  const [label, setLabel] = useState('');
  const [pieceRef, setPieceRef] = useState('');

  async function save(e: FormEvent) {
    e.preventDefault();
    const d = readTypedDate(date, t('ledger.date'), t);
    const a = parseAmount(amount, t('ledger.amount'));
    const problems: Record<string, string> = {};
    if (d.error || !d.iso) problems['date'] = d.error ?? t('ledger.dateRequired');
    if (!a.ok) problems['amountCents'] = a.message;
    if (Object.keys(problems).length > 0) {
      submit.setFieldErrors(problems);
      return;
    }
    const request = { journal, date: d.iso!, direction, amountCents: a.ok ? a.cents : 0, account: account.trim(), label: label.trim(), pieceRef: pieceRef.trim() || undefined };
    if (!submit.check(newEntry, request)) return;
    const ok = await submit.run(async () => {
      await invoke('ledger:addEntry', request);
    });
    if (ok) {
      announce(t('ledger.entrySaved'));
      setAmount('');
      setLabel('');
      setPieceRef('');
      onSaved();
    }
  }

  const err = (k: (typeof FIELDS)[number]) => submit.fieldErrors[k] ?? null;
  return (
    <form ref={submit.formRef} className="card stack" onSubmit={(e) => void save(e)} aria-labelledby="ledger-entry-title" noValidate>
      <h3 id="ledger-entry-title">{t('ledger.newEntry')}</h3>
      <ErrorAlert>{submit.error}</ErrorAlert>
      <div className="ledger-form-grid">
        <DateField label={t('ledger.date')} value={date} onChange={setDate} error={err('date')} />
        <SelectField label={t('ledger.direction')} value={direction} onChange={(e) => setDirection(e.target.value as Direction)} error={err('direction')}>
          <option value="expense">{t('ledger.expense')}</option>
          <option value="receipt">{t('ledger.receipt')}</option>
        </SelectField>
        <TextField label={t('ledger.amount')} hint={t('ledger.amountHint')} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} error={err('amountCents')} />
        <TextField label={t('ledger.account')} hint={t('ledger.accountHint')} list="ledger-chart" inputMode="numeric" value={account} onChange={(e) => setAccount(e.target.value)} error={err('account')} />
        <TextField label={t('ledger.label')} value={label} maxLength={200} onChange={(e) => setLabel(e.target.value)} error={err('label')} />
        <TextField label={t('ledger.pieceRef')} value={pieceRef} maxLength={40} onChange={(e) => setPieceRef(e.target.value)} error={err('pieceRef')} />
      </div>
      <datalist id="ledger-chart">
        {Object.entries(CHART).map(([n, l]) => (
          <option key={n} value={n}>{`${n} ${l}`}</option>
        ))}
      </datalist>
      <div className="actions">
        <button type="submit" className="button primary" aria-disabled={submit.busy ? true : undefined}>
          {t('ledger.saveEntry')}
        </button>
      </div>
    </form>
  );
}

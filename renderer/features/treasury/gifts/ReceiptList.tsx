/**
 * The receipts of a year: number, date, donor, amount, status; « Imprimer » downloads the CERFA 11580*05 PDF (audited
 * as printed), « Annuler » asks for the reason (the number stays, the PDF then prints « ANNULÉ »).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TaxReceipt } from '../../../../shared/domain/gift';
import { formatCents } from '../../../../shared/domain/money';
import { typedDateOf } from '../../../../shared/domain/dates';
import { errorMessage, invoke } from '../../../api/client';
import { downloadBytes } from '../../../app/download';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { TextField } from '../../../components/Field';

interface Props {
  year: number;
  receipts: TaxReceipt[];
  canCancel: boolean;
  onChanged(message: string): void;
  onError(message: string): void;
}

export function ReceiptList({ year, receipts, canCancel, onChanged, onError }: Props) {
  const { t } = useTranslation();
  const [cancelling, setCancelling] = useState<TaxReceipt | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [dialogError, setDialogError] = useState<string | null>(null);

  async function print(r: TaxReceipt) {
    try {
      const { pdf, fileName } = await invoke('receipts:pdf', { number: r.number });
      downloadBytes(pdf, fileName);
      onChanged(t('gifts.printed', { number: r.number }));
    } catch (e) {
      onError(errorMessage(e));
    }
  }

  async function cancel() {
    if (!cancelling) return;
    if (reason.trim() === '') return setDialogError(t('gifts.reasonRequired'));
    setBusy(true);
    try {
      await invoke('receipts:cancel', { number: cancelling.number, reason });
      setCancelling(null);
      onChanged(t('gifts.cancelled', { number: cancelling.number }));
    } catch (e) {
      setDialogError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="receipts-title">
      <h2 id="receipts-title">{t('gifts.receiptsTitle', { year })}</h2>
      {receipts.length === 0 ? (
        <p className="muted">{t('gifts.noReceipts')}</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('gifts.number')}</th>
                <th scope="col">{t('gifts.issuedOn')}</th>
                <th scope="col">{t('gifts.fields.donor')}</th>
                <th scope="col" className="amount">
                  {t('gifts.fields.amount')}
                </th>
                <th scope="col">{t('gifts.status')}</th>
                <th scope="col">{t('gifts.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {receipts.map((r) => (
                <tr key={r.id} className={r.status === 'cancelled' ? 'receipt-cancelled' : undefined}>
                  <td>{r.number}</td>
                  <td>{typedDateOf(r.issuedOn)}</td>
                  <td>
                    {r.personName}
                    {r.kind === 'yearly' ? <span className="muted"> · {t('gifts.yearly')}</span> : null}
                  </td>
                  <td className="amount">{r.amountCents === null ? '—' : formatCents(r.amountCents)}</td>
                  <td>{r.status === 'cancelled' ? t('gifts.statusCancelled', { date: typedDateOf(r.cancelledOn) }) : t('gifts.statusIssued')}</td>
                  <td className="receipt-actions">
                    <button type="button" className="button small" onClick={() => void print(r)} aria-label={t('gifts.printLabel', { number: r.number })}>
                      {t('gifts.print')}
                    </button>
                    {canCancel && r.status === 'issued' ? (
                      <button
                        type="button"
                        className="button secondary small"
                        onClick={() => {
                          setReason('');
                          setDialogError(null);
                          setCancelling(r);
                        }}
                        aria-label={t('gifts.cancelLabel', { number: r.number })}
                      >
                        {t('gifts.cancel')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cancelling ? (
        <ConfirmDialog title={t('gifts.cancelTitle', { number: cancelling.number })} confirmLabel={t('gifts.cancelConfirm')} busy={busy} error={dialogError} onConfirm={() => void cancel()} onCancel={() => setCancelling(null)}>
          <p>{t('gifts.cancelText')}</p>
          <TextField label={t('gifts.reason')} value={reason} onChange={(e) => {
              setReason(e.target.value);
              setDialogError(null);
            }} maxLength={500} required />
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

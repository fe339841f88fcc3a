/**
 * « Imprimer l'attestation de dépôt » on a person's papers (docs/deposit-receipt.md): choose the papers (by default
 * those just added, else all), print a signed one-page PDF (downloaded, or saved where Electron asks), and the
 * receipts already printed for the person, each « Réimprimer » (every print is in the audit trail).
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VaultDocument } from '../../../shared/domain/document';
import type { ReceiptSummary } from '../../../shared/domain/papers';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useDataVersion } from '../../app/dataVersion';
import { downloadBytes } from '../../app/download';
import { formatDate, localDateOf } from '../../app/format';
import { ErrorAlert, Notice } from '../../components/Alert';
import { CheckboxField } from '../../components/Field';
import './papers.css';

interface Props {
  personId: string;
  docs: VaultDocument[];
  /** Papers added since the page opened: preselected. */
  justAdded: string[];
  onClose(): void;
  /** A receipt was printed (the list of receipts reads again). */
  onIssued(): void;
}

/** The receipts printed for a person, with « Réimprimer »; read again when `refresh` changes. */
export function ReceiptList({ personId, refresh }: { personId: string; refresh: number }) {
  const { t, i18n } = useTranslation();
  const { announce } = useAnnouncer();
  const version = useDataVersion();
  const [items, setItems] = useState<ReceiptSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    invoke('deposits:list', { personId })
      .then((r) => setItems(r.items))
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [personId, version, refresh]);
  async function reprint(depositId: string) {
    try {
      const r = await invoke('deposits:reprint', { depositId });
      downloadBytes(r.pdf, r.fileName);
      announce(t('receipts.reprinted'));
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  if (items.length === 0 && !error) return null;
  return (
    <div className="receipt-list">
      <h3>{t('receipts.listTitle')}</h3>
      <ErrorAlert>{error}</ErrorAlert>
      <ul>
        {items.map((r) => (
          <li key={r.depositId}>
            {t('receipts.listItem', { date: formatDate(localDateOf(r.issuedAt), i18n.language), by: r.issuedBy, count: r.documents })}{' '}
            <button type="button" className="button secondary small" onClick={() => void reprint(r.depositId)}>
              {t('receipts.reprint')}
              <span className="visually-hidden"> {t('receipts.listItem', { date: formatDate(localDateOf(r.issuedAt), i18n.language), by: r.issuedBy, count: r.documents })}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Issues a receipt for `documentIds` and hands the PDF over (download, or Electron's save dialog); `error` and
 * `warning` (no time-stamp, and why) say what happened.
 */
export function useIssueReceipt(personId: string, onIssued: () => void) {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const [error, setError] = useState<string | null>(null);
  const [warning, setWarning] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function issue(documentIds: string[]) {
    if (documentIds.length === 0) return setError(t('receipts.chooseOne'));
    setBusy(true);
    try {
      const r = await invoke('deposits:issue', { personId, documentIds });
      downloadBytes(r.pdf, r.fileName);
      setWarning(r.timestamp?.error ?? null);
      setError(null);
      announce(t('receipts.printed', { count: documentIds.length }));
      onIssued();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  return { issue, error, warning, busy };
}

export function ReceiptPanel({ personId, docs, justAdded, onClose, onIssued }: Props) {
  const { t } = useTranslation();
  const initial = useCallback(() => new Set(justAdded.length ? justAdded : docs.map((d) => d.id)), [justAdded, docs]);
  const [chosen, setChosen] = useState<Set<string>>(initial);
  const { issue, error, warning, busy } = useIssueReceipt(personId, onIssued);
  useEffect(() => setChosen(initial()), [initial]);
  const print = () => issue(docs.filter((d) => chosen.has(d.id)).map((d) => d.id));

  return (
    <div className="receipt-panel stack" role="group" aria-labelledby="receipt-title">
      <h3 id="receipt-title">{t('receipts.title')}</h3>
      <p className="muted">{t('receipts.intro')}</p>
      <ErrorAlert>{error}</ErrorAlert>
      {warning ? <Notice tone="warning">{warning}</Notice> : null}
      <fieldset className="receipt-choice">
        <legend>{t('receipts.papers')}</legend>
        {docs.map((d) => (
          <CheckboxField
            key={d.id}
            label={`${t(`documentTypes.${d.type}`)}${d.title ? ` — ${d.title}` : ''} (${t('vault.pageCount', { count: d.pages })})`}
            checked={chosen.has(d.id)}
            onChange={(e) => {
              const next = new Set(chosen);
              if (e.target.checked) next.add(d.id);
              else next.delete(d.id);
              setChosen(next);
            }}
          />
        ))}
      </fieldset>
      <div className="actions">
        <button type="button" className="button primary" disabled={busy} onClick={() => void print()}>
          {t('receipts.print')}
        </button>
        <button type="button" className="button secondary" onClick={onClose}>
          {t('receipts.close')}
        </button>
      </div>
    </div>
  );
}

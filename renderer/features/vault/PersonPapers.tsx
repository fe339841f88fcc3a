/**
 * The papers of one person: a table (expired ones flagged) and « Ajouter une pièce » opening the add form (also
 * opened by files dropped anywhere on the page). `onDocuments` receives each list read (for the page's summary).
 * « Imprimer l'attestation de dépôt » (after adding papers, and from the list) opens the receipt panel
 * (features/papers/ReceiptPanel.tsx), with the papers just added preselected. « Numériser » opens the scan session
 * (features/scan/ScanPanel.tsx: scanner or camera pages → one paper), for those who may add papers; pages scanned
 * and not yet added when the page was left wait there: « Reprendre la numérisation (N pages) » reopens the panel.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VaultDocument } from '../../../shared/domain/document';
import { errorMessage, invoke } from '../../api/client';
import { useDataVersion } from '../../app/dataVersion';
import { formatDate, formatSize, isPast, localDateOf } from '../../app/format';
import { useRouter } from '../../app/router';
import { ErrorAlert } from '../../components/Alert';
import { Badge } from '../../components/Badge';
import { OnDemandButton, OnDemandPanel, useOnDemand } from '../../components/OnDemand';
import { AddPaperForm } from './AddPaperForm';
import { ReceiptList, ReceiptPanel, useIssueReceipt } from '../papers/ReceiptPanel';
import { useCan } from '../../app/session';
import { Notice } from '../../components/Alert';
import { OcrStateBadge, useOcrStates } from './OcrStateBadge';
import { ScanPanel } from '../scan/ScanPanel';
import { useKeptScan } from '../scan/useScanSession';
import './vault.css';

interface Props {
  personId: string;
  personName: string;
  /** Back from the viewer: the paper that was open, whose « Ouvrir » button gets the focus once the list is shown. */
  openedDocument?: string | undefined;
  onDocuments?(docs: VaultDocument[]): void;
}

export function PersonPapers({ personId, personName, openedDocument, onDocuments }: Props) {
  const { t, i18n } = useTranslation();
  const { navigate, replace } = useRouter();
  const [docs, setDocs] = useState<VaultDocument[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const d = (iso: string | null) => formatDate(iso, i18n.language);
  const version = useDataVersion();
  const form = useOnDemand();
  const scan = useOnDemand();
  const can = useCan();
  // Pages scanned for this person and not yet added, kept while the page was left (features/scan/keptScans.ts).
  const waiting = useKeptScan(personId);
  const [justAdded, setJustAdded] = useState<string[]>([]);
  const [receiptOpen, setReceiptOpen] = useState(false);
  const [receiptsIssued, setReceiptsIssued] = useState(0);
  // After adding papers, one click prints the receipt of those papers.
  const quick = useIssueReceipt(personId, () => {
    setReceiptsIssued((n) => n + 1);
    setJustAdded([]);
    // The button goes with the notice: the focus goes back to the papers' heading.
    document.getElementById('papers-title')?.focus();
  });
  const ocr = useOcrStates(personId, docs);
  const report = useRef(onDocuments);
  report.current = onDocuments;

  const load = useCallback(() => {
    invoke('vault:listDocuments', { personId })
      .then((r) => {
        setDocs(r.items);
        report.current?.(r.items);
        setError(null);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [personId]);
  useEffect(load, [load, version]);

  const refocused = useRef(false);
  useEffect(() => {
    if (!docs || !openedDocument || refocused.current) return;
    refocused.current = true;
    document.getElementById(`open-doc-${openedDocument}`)?.focus();
  }, [docs, openedDocument]);

  function open(documentId: string) {
    // Remember the paper on this page's history entry, so that « Retour » from the viewer lands back on its button.
    replace({ name: 'person', id: personId, openedDocument: documentId });
    navigate({ name: 'document', id: documentId, personId });
  }

  return (
    <section className="card papers" aria-labelledby="papers-title">
      <div className="card-head">
        <h2 id="papers-title" tabIndex={-1}>
          {t('vault.title')}
        </h2>
        <div className="actions">
          {/* Just after adding papers, one click prints their deposit receipt; once printed, the chooser is back. */}
          {justAdded.length > 0 && !receiptOpen && can('documents.read') ? (
            <button type="button" className="button primary" disabled={quick.busy} onClick={() => void quick.issue(justAdded)}>
              {t('receipts.printAdded', { count: justAdded.length })}
            </button>
          ) : null}
          {can('documents.read') && docs && docs.length > 0 && (justAdded.length === 0 || receiptOpen) ? (
            <button type="button" className="button secondary" aria-expanded={receiptOpen} onClick={() => setReceiptOpen(!receiptOpen)}>
              {t('receipts.open')}
            </button>
          ) : null}
          {can('documents.add') ? <OnDemandButton state={scan} label={waiting ? t('scan.resume', { count: waiting.pages }) : t('scan.open')} /> : null}
          <OnDemandButton state={form} label={t('vault.openForm')} />
        </div>
      </div>
      <ErrorAlert>{error}</ErrorAlert>
      {waiting && !scan.open ? (
        <Notice tone="info">{waiting.scanning ? t('scan.waitingScanning', { count: waiting.pages }) : t('scan.waiting', { count: waiting.pages })}</Notice>
      ) : null}
      {docs && docs.length === 0 ? <p className="muted">{t('vault.none', { name: personName })}</p> : null}
      {docs && docs.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table" data-testid="papers-table">
            <caption className="visually-hidden">{t('vault.caption', { name: personName })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('vault.type')}</th>
                <th scope="col">{t('vault.pages')}</th>
                <th scope="col">{t('vault.issuedOn')}</th>
                <th scope="col">{t('vault.expiresOn')}</th>
                <th scope="col">{t('vault.addedOn')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {docs.map((doc) => {
                const expired = isPast(doc.expiresOn);
                return (
                  <tr key={doc.id} className={expired ? 'expired' : undefined}>
                    <th scope="row">
                      <span className="doc-type">{t(`documentTypes.${doc.type}`)}</span>
                      {doc.title ? <span className="doc-title">{doc.title}</span> : null}
                      {doc.note ? <span className="doc-note">{doc.note}</span> : null}
                      <span className="doc-ocr">
                        <OcrStateBadge state={ocr.get(doc.id)} />
                      </span>
                    </th>
                    <td>{t('vault.pageCount', { count: doc.pages })}</td>
                    <td>{d(doc.issuedOn)}</td>
                    <td>
                      {d(doc.expiresOn)} {expired ? <Badge tone="danger">{t('vault.expired')}</Badge> : null}
                    </td>
                    <td>
                      {d(localDateOf(doc.createdAt))} <span className="muted">· {formatSize(doc.size, i18n.language)}</span>
                    </td>
                    <td>
                      <button type="button" id={`open-doc-${doc.id}`} className="button secondary small" onClick={() => open(doc.id)}>
                        {t('vault.open')}
                        <span className="visually-hidden"> {t(`documentTypes.${doc.type}`)}</span>
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <ErrorAlert>{quick.error}</ErrorAlert>
      {quick.warning ? <Notice tone="warning">{quick.warning}</Notice> : null}
      {receiptOpen && docs ? <ReceiptPanel personId={personId} docs={docs} justAdded={justAdded} onClose={() => setReceiptOpen(false)} onIssued={() => setReceiptsIssued((n) => n + 1)} /> : null}
      {can('documents.read') ? <ReceiptList personId={personId} refresh={receiptsIssued} /> : null}
      {scan.open ? (
        <ScanPanel
          personId={personId}
          onAdded={(documentId) => {
            setJustAdded((ids) => [...ids, documentId]);
            scan.hide();
            load();
          }}
          onClose={scan.hide}
        />
      ) : null}
      <OnDemandPanel state={form} keepMounted>
        <AddPaperForm
          personId={personId}
          onAdded={(documentId) => {
            setJustAdded((ids) => [...ids, documentId]);
            form.hide();
            load();
          }}
          onFiles={form.show}
          onCancel={form.hide}
        />
      </OnDemandPanel>
    </section>
  );
}

/**
 * Document viewer: `vault:readDocument`, every page rendered with pdf.js into a canvas; Exporter (native save
 * dialog + `vault:exportDocument`, or a download in the browser host); Imprimer (`vault:recordPrint` for the audit
 * trail, then the print stylesheet: pages only).
 * A VAULT_CORRUPT error shows its message (it names the document) and the page keeps working.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import type { VaultDocument } from '../../../shared/domain/document';
import { errorMessage, invoke, isApiError } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { downloadBytes } from '../../app/download';
import { formatDate, isPast } from '../../app/format';
import { useRouter } from '../../app/router';
import { ErrorAlert } from '../../components/Alert';
import { Badge } from '../../components/Badge';
import { PageHeader } from '../../components/PageHeader';
import { openPdf, renderPage } from './pdf';
import './vault.css';

interface Loaded {
  document: VaultDocument;
  fileName: string;
  bytes: Uint8Array;
}

export function DocumentViewer({ id, personId }: { id: string; personId: string }) {
  const { t, i18n } = useTranslation();
  const { back } = useRouter();
  const { announce } = useAnnouncer();
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rendered, setRendered] = useState(0);
  const pages = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let alive = true;
    let pdf: PDFDocumentProxy | null = null;
    (async () => {
      try {
        const r = await invoke('vault:readDocument', { id });
        if (!alive) return;
        setData(r);
        const opened = await openPdf(r.bytes);
        // Left (Retour, lock) while pdf.js was opening: the cleanup already ran, so destroy it here (worker included).
        if (!alive) {
          void opened.destroy();
          return;
        }
        pdf = opened;
        const host = pages.current;
        if (!host) return;
        const width = Math.min(host.clientWidth || 900, 1000);
        for (let n = 1; n <= pdf.numPages && alive; n++) {
          const figure = document.createElement('figure');
          figure.className = 'viewer-page';
          const canvas = document.createElement('canvas');
          canvas.setAttribute('role', 'img');
          canvas.setAttribute('aria-label', t('viewer.pageLabel', { n, count: pdf.numPages }));
          canvas.dataset.page = String(n);
          figure.append(canvas);
          host.append(figure);
          await renderPage(pdf, n, canvas, width);
          if (alive) setRendered(n);
        }
        if (alive) announce(t('viewer.rendered', { count: pdf.numPages }));
      } catch (e) {
        if (alive) setError(errorMessage(e));
      }
    })();
    return () => {
      alive = false;
      void pdf?.destroy();
      pages.current?.replaceChildren();
    };
    // Translations are read once per document; re-rendering pages on language change is not worth it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);

  async function exportDoc() {
    if (!data) return;
    try {
      const { path } = await invoke('os:chooseSavePath', { defaultName: data.fileName });
      if (!path) return;
      const done = await invoke('vault:exportDocument', { id, path });
      announce(t('viewer.exported', { path: done.path }));
    } catch (e) {
      if (isApiError(e, 'UNSUPPORTED')) {
        downloadBytes(data.bytes, data.fileName);
        announce(t('viewer.downloaded', { name: data.fileName }));
      } else setError(errorMessage(e));
    }
  }

  async function print() {
    // The print is traced in the audit trail (Décret 2018-418); a refusal to record it stops the print.
    try {
      await invoke('vault:recordPrint', { id });
    } catch (e) {
      setError(errorMessage(e));
      return;
    }
    window.print();
  }

  const doc = data?.document;
  const title = doc ? `${t(`documentTypes.${doc.type}`)}${doc.title ? ` — ${doc.title}` : ''}` : t('viewer.title');

  return (
    <div className="document-viewer">
      <div className="viewer-head">
        <PageHeader
          title={title}
          actions={
            <div className="viewer-toolbar">
              <button type="button" className="button secondary" onClick={() => back({ name: 'person', id: personId })}>
                {t('common.back')}
              </button>
              <button type="button" className="button secondary" onClick={() => void exportDoc()} disabled={!data}>
                {t('viewer.export')}
              </button>
              <button type="button" className="button primary" onClick={() => void print()} disabled={!data || rendered === 0}>
                {t('viewer.print')}
              </button>
            </div>
          }
        >
          {doc ? (
            <p className="viewer-meta">
              {t('vault.pageCount', { count: doc.pages })}
              {doc.issuedOn ? ` · ${t('viewer.issued', { date: formatDate(doc.issuedOn, i18n.language) })}` : ''}
              {doc.expiresOn ? ` · ${t('viewer.expires', { date: formatDate(doc.expiresOn, i18n.language) })}` : ''}{' '}
              {isPast(doc.expiresOn) ? <Badge tone="danger">{t('vault.expired')}</Badge> : null}
            </p>
          ) : null}
        </PageHeader>
        <ErrorAlert>{error}</ErrorAlert>
        {doc?.note ? <p className="viewer-note">{doc.note}</p> : null}
      </div>
      <div ref={pages} className="viewer-pages" data-testid="viewer-pages" aria-busy={!!data && rendered < (doc?.pages ?? 0)} />
    </div>
  );
}

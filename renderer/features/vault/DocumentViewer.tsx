/**
 * Document viewer (docs/ui.md "The viewer"): `vault:readDocument`, pages drawn by pdf.js with zoom (in, out, fit
 * width, fit page; keys + and −; Ctrl + wheel), rotation by quarter turns, a strip of page thumbnails and
 * « page 2 sur 5 ». Titled with the paper type and the person (« Carte d’identité — DUPONT Marie »). Exporter
 * (native save dialog + `vault:exportDocument`, or a download in the browser host, named by the core:
 * `DUPONT_Marie_carte-identite_2026-12-06.pdf`); Imprimer (`vault:recordPrint` for the audit trail, then the print
 * stylesheet: pages only); « Exporter en PDF interrogeable » (SearchableExport); Remplacer and Retirer for the writer or an administrator (PaperActions).
 * A VAULT_CORRUPT error shows its message (it names the document) and the page keeps working.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import type { VaultDocument } from '../../../shared/domain/document';
import { personPaperName } from '../../../shared/domain/paperName';
import { errorMessage, invoke, isApiError } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { downloadBytes } from '../../app/download';
import { formatDate, isPast } from '../../app/format';
import { useRouter } from '../../app/router';
import { ErrorAlert } from '../../components/Alert';
import { Badge } from '../../components/Badge';
import { PageHeader } from '../../components/PageHeader';
import type { ResponseOf } from '../../../shared/contract';
import { openPdf } from './pdf';
import { PaperActions } from './PaperActions';
import { SearchableExport } from './SearchableExport';
import { ViewerPages } from './ViewerPages';
import { ViewerThumbnails } from './ViewerThumbnails';
import { ViewerToolbar } from './ViewerToolbar';
import { percentOf, rotate, zoomIn, zoomOut, type Zoom } from './zoom';
import './vault.css';

type Loaded = ResponseOf<'vault:readDocument'>;

/** True when a key typed there is the field's own (typing « - » in a text box must not zoom). */
const typing = (target: EventTarget | null) => target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

export function DocumentViewer({ id, personId }: { id: string; personId: string }) {
  const { t, i18n } = useTranslation();
  const { back } = useRouter();
  const { announce } = useAnnouncer();
  const [data, setData] = useState<Loaded | null>(null);
  /** The paper's record when its file cannot be read (damaged): it can still be replaced or removed. */
  const [unreadable, setUnreadable] = useState<VaultDocument | null>(null);
  const [pdf, setPdf] = useState<PDFDocumentProxy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rendered, setRendered] = useState(0);
  const [version, setVersion] = useState(0);
  const [zoom, setZoom] = useState<Zoom>({ kind: 'fitWidth' });
  const [scale, setScale] = useState(1);
  const [rotation, setRotation] = useState(0);
  const [current, setCurrent] = useState(1);
  const [goTo, setGoTo] = useState<{ n: number; at: number } | null>(null);
  const percent = percentOf(scale);
  /** Announced once every page is drawn instead of « 2 pages affichées » (after a replacement). */
  const notice = useRef<string | null>(null);
  const announced = useRef<PDFDocumentProxy | null>(null);
  const percentRef = useRef(percent);
  percentRef.current = percent;

  useEffect(() => {
    let alive = true;
    let opened: PDFDocumentProxy | null = null;
    setRendered(0);
    setCurrent(1);
    (async () => {
      try {
        const r = await invoke('vault:readDocument', { id });
        if (!alive) return;
        setData(r);
        const doc = await openPdf(r.bytes);
        // Left (Retour, lock) while pdf.js was opening: the cleanup already ran, so destroy it here (worker included).
        if (!alive) {
          void doc.destroy();
          return;
        }
        opened = doc;
        setPdf(doc);
      } catch (e) {
        if (!alive) return;
        setError(errorMessage(e));
        const listed = await invoke('vault:listDocuments', { personId }).catch(() => null);
        if (alive) setUnreadable(listed?.items.find((d) => d.id === id) ?? null);
      }
    })();
    return () => {
      alive = false;
      setPdf(null);
      setError(null);
      setUnreadable(null);
      void opened?.destroy();
    };
  }, [id, personId, version]);

  const onRendered = useCallback(
    (n: number) => {
      setRendered(n);
      // Once per opened file: a zoom or a rotation redraws the pages without a word.
      if (pdf && n === pdf.numPages && announced.current !== pdf) {
        announced.current = pdf;
        announce(notice.current ?? t('viewer.rendered', { count: n }));
        notice.current = null;
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [pdf],
  );

  const zoomBy = useCallback((direction: 1 | -1) => setZoom(direction > 0 ? zoomIn(percentRef.current) : zoomOut(percentRef.current)), []);

  // + and − zoom anywhere on the screen, except while typing in a field or with a dialog open.
  useEffect(() => {
    const keys = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || document.querySelector('dialog[open]')) return;
      if (e.key === '+' || e.key === '=') zoomBy(1);
      else if (e.key === '-' || e.key === '−') zoomBy(-1);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', keys);
    return () => window.removeEventListener('keydown', keys);
  }, [zoomBy]);

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
  const record = doc ?? unreadable;
  const typeName = record ? t(`documentTypes.${record.type}`) : t('viewer.title');
  const label = data ? `${typeName} — ${personPaperName(data.person)}` : typeName;
  const pages = pdf?.numPages ?? doc?.pages ?? 0;
  const goBack = () => back({ name: 'person', id: personId });

  return (
    <div className="document-viewer">
      <div className="viewer-head">
        <PageHeader
          title={label}
          actions={
            <div className="viewer-toolbar">
              <button type="button" className="button secondary" onClick={goBack}>
                {t('common.back')}
              </button>
              <button type="button" className="button secondary" onClick={() => void exportDoc()} disabled={!data}>
                {t('viewer.export')}
              </button>
              <SearchableExport id={id} fileName={data?.fileName ?? 'piece.pdf'} disabled={!data} onError={setError} />
              <button type="button" className="button primary" onClick={() => void print()} disabled={!data || rendered === 0}>
                {t('viewer.print')}
              </button>
              {record ? <PaperActions document={record} label={label} onReplaced={(message) => {
                    notice.current = message;
                    setVersion((v) => v + 1);
                  }} onRemoved={goBack} /> : null}
            </div>
          }
        >
          {doc ? (
            <p className="viewer-meta">
              {doc.title ? `${doc.title} · ` : ''}
              {t('vault.pageCount', { count: doc.pages })}
              {doc.issuedOn ? ` · ${t('viewer.issued', { date: formatDate(doc.issuedOn, i18n.language) })}` : ''}
              {doc.expiresOn ? ` · ${t('viewer.expires', { date: formatDate(doc.expiresOn, i18n.language) })}` : ''}{' '}
              {isPast(doc.expiresOn) ? <Badge tone="danger">{t('vault.expired')}</Badge> : null}
            </p>
          ) : null}
        </PageHeader>
        <ErrorAlert>{error}</ErrorAlert>
        {doc?.note ? <p className="viewer-note">{doc.note}</p> : null}
        {pdf ? (
          <ViewerToolbar
            current={current}
            pages={pages}
            percent={percent}
            zoom={zoom}
            onZoom={setZoom}
            onZoomBy={zoomBy}
            onRotate={(delta) => setRotation((r) => rotate(r, delta))}
          />
        ) : null}
      </div>
      <div className="viewer-body" hidden={!!error && !pdf}>
        {pdf && pages > 1 ? <ViewerThumbnails pdf={pdf} rotation={rotation} current={current} onGo={(n) => setGoTo({ n, at: Date.now() })} /> : null}
        <ViewerPages
          pdf={pdf}
          count={pages}
          busy={!!data && !error && rendered < pages}
          zoom={zoom}
          rotation={rotation}
          goTo={goTo}
          onCurrent={setCurrent}
          onScale={setScale}
          onRendered={onRendered}
          onWheelZoom={zoomBy}
        />
      </div>
    </div>
  );
}

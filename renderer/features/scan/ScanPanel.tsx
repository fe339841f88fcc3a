/**
 * The scan session of a person's papers card (docs/scanning.md « La séance de numérisation »): choose the scanner
 * and its settings, « Numériser » (pages arrive as thumbnails as the scanner sends them, `scan:page`; progress and
 * the scanner's state from `scan:job`, with a French sentence saying what to do when it is busy, its feeder empty,
 * a sheet jammed, the scanner unreachable), « Arrêter »; « Photographier une pièce » adds camera pages; fix the
 * pages (order, rotation, deletion, large view), « Numériser encore » appends; then the paper's description
 * (PaperFields, as for files) and « Ajouter au coffre-fort » → `scan:commit` → one paper. The panel is not modal:
 * the rest of the person's page stays usable while the scanner works. Once the scanner is idle, the MRZ of the
 * first pages is read in the core (`scan:readMrz`) and offered as in the add-paper form (MrzPrefill). « Fermer la
 * numérisation » drops the session and its pages (after a confirmation when there are pages); leaving the person's
 * page keeps them (./keptScans.ts) for « Reprendre la numérisation ».
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useHoldRefresh } from '../../app/dataVersion';
import { ErrorAlert, Notice } from '../../components/Alert';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ProgressBar } from '../../components/ProgressBar';
import { PaperFields, usePaperFields } from '../vault/PaperFields';
import { MrzPrefillFields } from '../vault/MrzPrefill';
import { MRZ_SCAN_PAGES } from '../../../shared/contract/mrz';
import { withVaultProgress } from '../vault/paperFiles';
import { CameraCapture } from './CameraCapture';
import { PagePreview } from './PagePreview';
import { ScannerChooser, useScannerChoice } from './ScannerChooser';
import { ScanPages } from './ScanPages';
import { commitPages, isScanning, type JobStatus, type Rotation } from './sessionModel';
import { useScanSession } from './useScanSession';
import './scan.css';

interface Props {
  personId: string;
  /** The paper was stored (the panel is done). */
  onAdded(documentId: string): void;
  /** « Fermer » (after confirmation when pages would be lost). */
  onClose(): void;
}

const CODES_WITH_ADVICE = ['busy', 'feederEmpty', 'jam', 'unreachable', 'coverOpen'] as const;

/** What the job line says: its state and pages, and on failure what to do (by code, else the core's sentence). */
function JobLine({ job }: { job: JobStatus | null }) {
  const { t } = useTranslation();
  if (!job) return null;
  if (job.state === 'scanning') {
    return (
      <div className="scan-job" data-testid="scan-job">
        <ProgressBar label={t('scan.job.scanning', { count: job.pages })} done={0} total={0} />
      </div>
    );
  }
  if (job.state === 'failed') {
    const code = CODES_WITH_ADVICE.find((c) => c === job.code);
    return (
      <div className="scan-job" data-testid="scan-job">
        <ErrorAlert>{code ? t(`scan.job.codes.${code}`) : job.message || t('scan.job.failed')}</ErrorAlert>
      </div>
    );
  }
  return (
    <p className="scan-job" data-testid="scan-job" role="status">
      {job.state === 'done' ? t('scan.job.done', { count: job.pages }) : t('scan.job.cancelled', { count: job.pages })}
    </p>
  );
}

export function ScanPanel({ personId, onAdded, onClose }: Props) {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const { state, dispatch, session } = useScanSession(personId);
  const chooser = useScannerChoice();
  const fields = usePaperFields();
  const [camera, setCamera] = useState(false);
  const [viewing, setViewing] = useState<string | null>(null);
  const [confirmClose, setConfirmClose] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pagesError, setPagesError] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const startButton = useRef<HTMLButtonElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const scanning = isScanning(state);
  const pages = state.pages;
  useHoldRefresh(true);
  // Opened: the focus goes to the panel's title (the scanner list may still be loading).
  useEffect(() => document.getElementById('scan-title')?.focus(), []);

  // The MRZ is read from the first pages as shown (order and turns), once the scanner is idle: docs/scanning.md.
  const first = commitPages(state).slice(0, MRZ_SCAN_PAGES);
  const firstKey = first.map((p) => `${p.pageId}:${p.rotation}`).join(',');
  const [mrzPages, setMrzPages] = useState<{ key: string; pages: { pageId: string; rotation: Rotation }[] } | null>(null);
  useEffect(() => {
    if (!firstKey) setMrzPages(null);
    else if (!scanning) setMrzPages((m) => (m?.key === firstKey ? m : { key: firstKey, pages: first }));
    // `first` is described by `firstKey`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [firstKey, scanning]);
  const mrzSource = useMemo(() => (mrzPages ? { read: () => session.readMrz(personId, mrzPages.pages) } : null), [mrzPages, session, personId]);

  async function start() {
    if (scanning || !chooser.choice) return;
    setPagesError(null);
    chooser.remember();
    const { scannerId, source, mode, dpi } = chooser.choice;
    announce(t('scan.job.started'));
    await session.start({ scannerId, source, mode, dpi });
  }

  async function stop() {
    try {
      await session.cancel();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  async function addCameraPage(name: string, bytes: Uint8Array) {
    await session.addPage(name, bytes);
    setPagesError(null);
    announce(t('scan.camera.added', { count: pages.length + 1 }));
  }

  async function commit(e: FormEvent) {
    e.preventDefault();
    if (progress) return;
    setError(null);
    const pagesProblem = scanning ? t('scan.waitForScanner') : pages.length === 0 ? t('scan.pagesRequired') : null;
    setPagesError(pagesProblem);
    const meta = fields.read();
    if (pagesProblem || !meta) {
      requestAnimationFrame(() => (pagesProblem ? startButton.current : formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]'))?.focus());
      return;
    }
    try {
      const added = await withVaultProgress(setProgress, (operationId) => session.commit(personId, meta, commitPages(state), operationId));
      announce(t('vault.added', { type: t(`documentTypes.${meta.type}`), count: added.pages }));
      fields.reset();
      onAdded(added.id);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setProgress(null);
    }
  }

  /** Ends the session (its pages dropped in the core), then closes the panel. */
  function discard() {
    void session.close();
    onClose();
  }

  function requestClose() {
    if (pages.length > 0 || scanning) setConfirmClose(true);
    else discard();
  }

  const viewed = viewing ? pages.findIndex((p) => p.pageId === viewing) : -1;
  return (
    <div className="scan-panel stack" role="region" aria-labelledby="scan-title" data-testid="scan-panel">
      <h3 id="scan-title" tabIndex={-1}>
        {t('scan.title')}
      </h3>
      <ScannerChooser state={chooser} disabled={scanning} />
      <div className="actions">
        {scanning ? (
          <button type="button" className="button warning" onClick={() => void stop()}>
            {t('scan.stop')}
          </button>
        ) : (
          <button ref={startButton} type="button" className="button primary" aria-disabled={chooser.choice ? undefined : true} onClick={() => void start()}>
            {pages.length ? t('scan.again') : t('scan.start')}
          </button>
        )}
        <button type="button" className="button secondary" aria-expanded={camera} onClick={() => setCamera(!camera)}>
          {t('scan.camera.open')}
        </button>
      </div>
      <JobLine job={state.job} />
      {camera ? <CameraCapture onAdd={addCameraPage} onClose={() => setCamera(false)} /> : null}
      <h4 id="scan-pages-title">{t('scan.page.title', { count: pages.length })}</h4>
      {pages.length === 0 ? <p className="muted">{t('scan.page.none')}</p> : null}
      <ScanPages pages={pages} dispatch={dispatch} onView={setViewing} onEmptied={() => requestAnimationFrame(() => startButton.current?.focus())} />
      {pagesError ? <Notice tone="warning">{pagesError}</Notice> : null}
      <form ref={formRef} className="stack scan-describe" onSubmit={(e) => void commit(e)} noValidate aria-labelledby="scan-describe-title">
        <h4 id="scan-describe-title">{t('scan.describe')}</h4>
        <MrzPrefillFields source={mrzSource} fields={fields} />
        <PaperFields state={fields} />
        <ErrorAlert>{error ?? fields.errors.form}</ErrorAlert>
        {progress ? <ProgressBar label={t('vault.progress')} done={progress.done} total={progress.total} /> : null}
        <div className="actions">
          <button type="submit" className="button primary" aria-disabled={progress || scanning ? true : undefined}>
            {t('vault.add')}
          </button>
          <button type="button" className="button secondary" onClick={requestClose}>
            {t('scan.close')}
          </button>
        </div>
      </form>
      {viewing && viewed >= 0 ? <PagePreview session={session} page={pages[viewed]!} n={viewed + 1} onClose={() => setViewing(null)} /> : null}
      {confirmClose ? (
        <ConfirmDialog title={t('scan.confirmClose.title')} confirmLabel={t('scan.confirmClose.confirm')} onCancel={() => setConfirmClose(false)} onConfirm={discard}>
          <p>{t('scan.confirmClose.body', { count: pages.length })}</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

/**
 * Import wizard: file → `imports:preview` → mapping → "Vérifier" (`imports:run`, dryRun) → report →
 * "Importer" (progress from `imports:progress`) → final report. Between the two, the user may untick people the
 * file would complete (UpdatesTable); the real run leaves them as they are (`excludePersonIds`).
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ColumnMapping, ImportPreview, ImportReport } from '../../../shared/domain/imports';
import type { PersonKind } from '../../../shared/domain/person';
import { errorMessage, invoke, newOperationId, on } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { ErrorAlert } from '../../components/Alert';
import { PageHeader } from '../../components/PageHeader';
import { ProgressBar } from '../../components/ProgressBar';
import { FileField } from '../../components/FileField';
import { MappingStep } from './MappingStep';
import { ReportView } from './ReportView';
import './imports.css';

type Step = 'choose' | 'mapping' | 'checked' | 'running' | 'done';
const STEPS = ['choose', 'mapping', 'checked', 'done'] as const;

export function ImportWizard() {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const [step, setStep] = useState<Step>('choose');
  const [file, setFile] = useState<{ fileName: string; bytes: Uint8Array } | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [columns, setColumns] = useState<ColumnMapping>([]);
  const [kinds, setKinds] = useState<PersonKind[]>(['member']);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [excluded, setExcluded] = useState<Set<string>>(new Set());
  const [progress, setProgress] = useState({ done: 0, total: 0 });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  const go = (s: Step) => {
    setStep(s);
    requestAnimationFrame(() => heading.current?.focus());
  };

  async function choose(list: File[] | null) {
    const f = list?.[0];
    if (!f) return;
    setError(null);
    setBusy(true);
    try {
      const bytes = new Uint8Array(await f.arrayBuffer());
      const p = await invoke('imports:preview', { fileName: f.name, bytes });
      setFile({ fileName: f.name, bytes });
      setPreview(p);
      setColumns(p.columns);
      announce(t('imports.previewReady', { name: f.name, count: p.rowCount }));
      go('mapping');
    } catch (e) {
      setError(errorMessage(e));
      // The field was disabled while reading (focus fell to <body>): give it back for another try.
      requestAnimationFrame(() => document.getElementById('import-file')?.focus());
    } finally {
      setBusy(false);
    }
  }

  async function run(dryRun: boolean) {
    if (!file) return;
    setError(null);
    setBusy(true);
    const operationId = newOperationId();
    setProgress({ done: 0, total: preview?.rowCount ?? 0 });
    const off = on('imports:progress', (p) => {
      if (p.operationId === operationId) setProgress({ done: p.done, total: p.total });
    });
    if (!dryRun) setStep('running');
    try {
      const excludePersonIds = dryRun ? [] : [...excluded];
      const r = await invoke('imports:run', { ...file, columns, defaultKinds: kinds, dryRun, operationId, excludePersonIds });
      setReport(r);
      if (dryRun) setExcluded(new Set());
      announce(t(dryRun ? 'imports.checkedAnnounce' : 'imports.doneAnnounce', { imported: r.imported, updated: r.updated, errors: r.errors.length }));
      go(dryRun ? 'checked' : 'done');
    } catch (e) {
      setError(errorMessage(e));
      if (!dryRun) setStep('checked');
    } finally {
      off();
      setBusy(false);
    }
  }

  function restart() {
    setFile(null);
    setPreview(null);
    setReport(null);
    setColumns([]);
    setError(null);
    go('choose');
  }

  const shown: Exclude<Step, 'running'> = step === 'running' ? 'checked' : step;
  return (
    <div className="import-wizard">
      <PageHeader title={t('imports.title')} />
      <ol className="steps" aria-label={t('imports.stepsLabel')}>
        {STEPS.map((s, i) => (
          <li key={s} aria-current={shown === s ? 'step' : undefined} className={shown === s ? 'current' : undefined}>
            <span className="step-number">{i + 1}</span> {t(`imports.steps.${s}`)}
          </li>
        ))}
      </ol>
      <section className="card stack" aria-labelledby="import-step-title">
        <h2 id="import-step-title" ref={heading} tabIndex={-1}>
          {t(`imports.stepTitles.${shown}`)}
          {file && step !== 'choose' ? <span className="file-name"> — {file.fileName}</span> : null}
        </h2>
        {step === 'choose' ? (
          <div className="stack">
            <p>{t('imports.chooseIntro')}</p>
            <FileField id="import-file" label={t('imports.file')} accept=".csv,.txt,.xlsx,.xls,text/csv" disabled={busy} hint={t('imports.fileHint')} onFile={(f) => void choose(f ? [f] : null)} />
          </div>
        ) : null}
        {step === 'mapping' && preview ? <MappingStep preview={preview} columns={columns} onColumns={setColumns} kinds={kinds} onKinds={setKinds} /> : null}
        {(step === 'checked' || step === 'done') && report ? (
          <>
            {step === 'checked' ? <p className="notice-dry">{t('imports.dryRunNotice')}</p> : <p className="notice-done">{t('imports.doneNotice')}</p>}
            {step === 'checked' ? <ReportView report={report} excluded={excluded} onExcluded={setExcluded} /> : <ReportView report={report} />}
          </>
        ) : null}
        {step === 'running' || (busy && step === 'mapping') ? <ProgressBar label={t(step === 'running' ? 'imports.importing' : 'imports.checking')} done={progress.done} total={progress.total} /> : null}
        <ErrorAlert>{error}</ErrorAlert>
        <div className="actions">
          {step === 'mapping' ? (
            <>
              <button type="button" className="button primary big" onClick={() => void run(true)} disabled={busy}>
                {t('imports.check')}
              </button>
              <button type="button" className="button secondary big" onClick={restart}>
                {t('imports.otherFile')}
              </button>
            </>
          ) : null}
          {step === 'checked' ? (
            <>
              <button type="button" className="button primary big" onClick={() => void run(false)} disabled={busy}>
                {t('imports.run')}
              </button>
              <button type="button" className="button secondary big" onClick={() => go('mapping')}>
                {t('imports.backToMapping')}
              </button>
            </>
          ) : null}
          {step === 'done' ? (
            <button type="button" className="button primary big" onClick={restart}>
              {t('imports.another')}
            </button>
          ) : null}
        </div>
      </section>
    </div>
  );
}

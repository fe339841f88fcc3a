/**
 * Add a paper to a person's vault: files (input or drop anywhere on the page), type, dates, note, visibility →
 * `vault:addDocument` with an operationId, progress from `vault:progress`. All files become one document.
 * `onFiles` is told when files are chosen or dropped (the page opens the form then); `onCancel` adds « Annuler ».
 * Files are checked when chosen (format, empty file, 200 Mo per paper: MAX_DOCUMENT_BYTES), and the form says when
 * none is chosen; at submit every refused field gets its message at once and the first one is focused. The paper's
 * description fields are PaperFields (shared with the scan session).
 */
import { useMemo, useRef, useState, type FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { MAX_DOCUMENT_BYTES } from '../../../shared/contract/vault';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useHoldRefresh } from '../../app/dataVersion';
import { formatSize } from '../../app/format';
import { ErrorAlert } from '../../components/Alert';
import { ProgressBar } from '../../components/ProgressBar';
import { useDropFiles } from './useDropFiles';
import { acceptedPaperFile as accepted, filesPayload, PAPER_FILE_ACCEPT, withVaultProgress } from './paperFiles';
import { PaperFields, usePaperFields } from './PaperFields';
import { MrzPrefillFields } from './MrzPrefill';

/**
 * The files kept from `list` after those already chosen (`kept`), and a French message for those refused: a format
 * not supported, an empty file, or the paper going over MAX_DOCUMENT_BYTES. Sizes in the language's units.
 */
export function screenFiles(
  kept: readonly { name: string; size: number }[],
  list: readonly File[],
  t: TFunction,
  language: string,
): { ok: File[]; message: string | null } {
  const ok: File[] = [];
  const problems: string[] = [];
  let total = kept.reduce((n, f) => n + f.size, 0);
  const badFormat = list.filter((f) => !accepted(f)).map((f) => f.name);
  if (badFormat.length) problems.push(t('vault.refused', { names: badFormat.join(', ') }));
  for (const f of list.filter(accepted)) {
    if (f.size === 0) problems.push(t('vault.emptyFile', { name: f.name }));
    else if (total + f.size > MAX_DOCUMENT_BYTES) {
      problems.push(t('vault.tooBig', { name: f.name, size: formatSize(f.size, language), max: formatSize(MAX_DOCUMENT_BYTES, language) }));
    } else {
      ok.push(f);
      total += f.size;
    }
  }
  return { ok, message: problems.length ? problems.join(' ') : null };
}

export function AddPaperForm({ personId, onAdded, onFiles, onCancel }: { personId: string; onAdded(documentId: string): void; onFiles?(): void; onCancel?(): void }) {
  const { t, i18n } = useTranslation();
  const { announce } = useAnnouncer();
  const [files, setFiles] = useState<File[]>([]);
  const fields = usePaperFields();
  const [error, setError] = useState<string | null>(null);
  const [filesError, setFilesError] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  // Something chosen or typed, or a paper being added: received changes wait for it (the refresh notice offers them).
  useHoldRefresh(files.length > 0 || fields.touched || progress !== null);

  function addFiles(list: File[]) {
    const { ok, message } = screenFiles(files, list, t, i18n.language);
    setFilesError(message);
    if (ok.length) {
      setFiles((fs) => [...fs, ...ok]);
      onFiles?.();
      announce(t('vault.filesChosen', { count: ok.length }));
    }
  }
  const dragging = useDropFiles(addFiles);
  // The MRZ of an identity paper is read in the background once files are chosen (docs/mrz.md).
  const mrzSource = useMemo(() => (files.length ? { personId, files } : null), [files, personId]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    // Already adding: the button stays focusable (aria-disabled) so focus is not lost while the paper is stored.
    if (progress) return;
    setError(null);
    // Every refused field at once, the first one focused.
    const filesProblem = files.length ? null : t('vault.filesRequired');
    setFilesError(filesProblem);
    const meta = fields.read();
    if (filesProblem || !meta) {
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    try {
      const added = await withVaultProgress(setProgress, async (operationId) =>
        invoke('vault:addDocument', { personId, meta, files: await filesPayload(files), operationId }),
      );
      announce(t('vault.added', { type: t(`documentTypes.${meta.type}`), count: added.pages }));
      setFiles([]);
      setFilesError(null);
      fields.reset();
      onAdded(added.id);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setProgress(null);
    }
  }

  return (
    <form ref={formRef} className={dragging ? 'add-paper stack dragging' : 'add-paper stack'} onSubmit={(e) => void submit(e)} noValidate aria-labelledby="add-paper-title">
      <h3 id="add-paper-title">{t('vault.addTitle')}</h3>
      <div className="drop-zone" data-testid="drop-zone">
        <p className="drop-text">{dragging ? t('vault.dropNow') : t('vault.dropHint')}</p>
        <label htmlFor="paper-files" className="button secondary file-label">
          {t('vault.chooseFiles')}
        </label>
        <input
          id="paper-files"
          className="file-input"
          type="file"
          multiple
          accept={PAPER_FILE_ACCEPT}
          onChange={(e) => {
            addFiles(Array.from(e.target.files ?? []));
            // The chosen files live in state; clearing the input lets the same file be chosen again after « Retirer ».
            e.target.value = '';
          }}
          aria-describedby={filesError ? 'paper-files-hint paper-files-error' : 'paper-files-hint'}
          aria-invalid={filesError ? true : undefined}
        />
        <p id="paper-files-hint" className="field-hint">
          {t('vault.formats', { max: formatSize(MAX_DOCUMENT_BYTES, i18n.language) })}
        </p>
        {files.length === 0 ? <p className="muted no-file">{t('vault.noFile')}</p> : null}
        {filesError ? (
          <p id="paper-files-error" className="field-error">
            {filesError}
          </p>
        ) : null}
      </div>
      {files.length ? (
        <div className="chosen-files">
          <h4>{t('vault.chosen', { count: files.length })}</h4>
          <ul className="plain-list" aria-live="polite">
            {files.map((f, i) => (
              <li key={`${f.name}-${i}`}>
                <span>{f.name}</span> <span className="muted">({formatSize(f.size, i18n.language)})</span>{' '}
                <button type="button" className="link-button" onClick={() => setFiles((fs) => fs.filter((_, j) => j !== i))}>
                  {t('vault.removeFile', { name: f.name })}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <MrzPrefillFields source={mrzSource} fields={fields} />
      <PaperFields state={fields} />
      <ErrorAlert>{error ?? fields.errors.form}</ErrorAlert>
      {progress ? <ProgressBar label={t('vault.progress')} done={progress.done} total={progress.total} /> : null}
      <div className="actions">
        <button type="submit" className="button primary" aria-disabled={progress ? true : undefined}>
          {t('vault.add')}
        </button>
        {onCancel ? (
          <button type="button" className="button secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

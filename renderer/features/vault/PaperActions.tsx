/**
 * Replace a paper's file by a new scan (`vault:replaceDocument`, progress from `vault:progress`) or remove the paper
 * (`vault:removeDocument`), each behind a confirmation dialog. Shown to the paper's writer or an administrator who
 * may add papers; the core checks the same rule (docs/access.md "Replacing and removing papers").
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VaultDocument } from '../../../shared/domain/document';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { formatSize } from '../../app/format';
import { useCan, useOpenSession } from '../../app/session';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ProgressBar } from '../../components/ProgressBar';
import { acceptedPaperFile as accepted, filesPayload, PAPER_FILE_ACCEPT, withVaultProgress } from './paperFiles';

interface Props {
  document: VaultDocument;
  /** « Carte d’identité — DUPONT Marie »: names the paper in the dialogs. */
  label: string;
  /** The new file is the paper: `message` is to be announced once it is shown. */
  onReplaced(message: string): void;
  onRemoved(): void;
}

export function PaperActions({ document: doc, label, onReplaced, onRemoved }: Props) {
  const { t, i18n } = useTranslation();
  const { announce } = useAnnouncer();
  const session = useOpenSession();
  const can = useCan();
  const [open, setOpen] = useState<'replace' | 'remove' | null>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const opener = useRef<HTMLButtonElement | null>(null);

  if (!can('documents.add') || (doc.createdBy !== session.user.id && !can('users.manage'))) return null;

  function show(which: 'replace' | 'remove', button: HTMLButtonElement) {
    opener.current = button;
    setFiles([]);
    setError(null);
    setOpen(which);
  }
  function close() {
    setOpen(null);
    setProgress(null);
    opener.current?.focus();
  }

  function choose(list: File[]) {
    const refused = list.filter((f) => !accepted(f)).map((f) => f.name);
    setError(refused.length ? t('vault.refused', { names: refused.join(', ') }) : null);
    setFiles(list.filter(accepted));
  }

  async function replace() {
    if (progress) return;
    if (!files.length) {
      setError(t('viewer.replaceNoFile'));
      return;
    }
    try {
      const done = await withVaultProgress(setProgress, async (operationId) => invoke('vault:replaceDocument', { id: doc.id, files: await filesPayload(files), operationId }));
      setOpen(null);
      onReplaced(t('viewer.replaced', { count: done.pages }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setProgress(null);
    }
  }

  async function remove() {
    if (progress) return;
    setProgress({ done: 0, total: 0 });
    try {
      await invoke('vault:removeDocument', { id: doc.id });
      announce(t('viewer.removed', { label }));
      setOpen(null);
      onRemoved();
    } catch (e) {
      setError(errorMessage(e));
      setProgress(null);
    }
  }

  return (
    <>
      <button type="button" className="button secondary" onClick={(e) => show('replace', e.currentTarget)}>
        {t('viewer.replace')}
      </button>
      <button type="button" className="button warning" onClick={(e) => show('remove', e.currentTarget)}>
        {t('viewer.remove')}
      </button>
      {open === 'replace' ? (
        <ConfirmDialog title={t('viewer.replaceTitle', { label })} confirmLabel={t('viewer.replaceConfirm')} busy={!!progress} error={error} onConfirm={() => void replace()} onCancel={close}>
          <p>{t('viewer.replaceExplain')}</p>
          <div className="replace-files">
            <label htmlFor="replace-files" className="button secondary file-label">
              {t('viewer.replaceChoose')}
            </label>
            <input
              id="replace-files"
              className="file-input"
              type="file"
              multiple
              accept={PAPER_FILE_ACCEPT}
              aria-describedby="replace-files-hint"
              onChange={(e) => choose(Array.from(e.target.files ?? []))}
            />
            <p id="replace-files-hint" className="field-hint">
              {files.length ? files.map((f) => `${f.name} (${formatSize(f.size, i18n.language)})`).join(', ') : t('viewer.replaceNone')} {t('vault.formats')}
            </p>
          </div>
          {progress ? <ProgressBar label={t('vault.progress')} done={progress.done} total={progress.total} /> : null}
        </ConfirmDialog>
      ) : null}
      {open === 'remove' ? (
        <ConfirmDialog title={t('viewer.removeTitle', { label })} confirmLabel={t('viewer.removeConfirm')} busy={!!progress} error={error} onConfirm={() => void remove()} onCancel={close}>
          <p>{t('viewer.removeExplain')}</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

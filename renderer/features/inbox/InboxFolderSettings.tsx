/**
 * This PC's scan folder (« dossier de numérisation »): a typed path, or « Parcourir… » where the host has native
 * dialogs (FolderField), saved in the device preferences through `inbox:setFolder`; « Ne plus surveiller » clears it.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { ErrorAlert } from '../../components/Alert';
import { FolderField } from '../session/FolderField';

export function InboxFolderSettings({ folder, onSaved }: { folder: string | null; onSaved(path: string | null): void }) {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const [path, setPath] = useState(folder ?? '');
  const [error, setError] = useState<string | null>(null);
  async function save(next: string | null) {
    try {
      const r = await invoke('inbox:setFolder', { path: next });
      setError(null);
      setPath(r.path ?? '');
      announce(r.path ? t('inbox.folderSaved') : t('inbox.folderCleared'));
      onSaved(r.path);
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  return (
    <form
      className="card stack"
      aria-labelledby="inbox-folder-title"
      noValidate
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void save(path.trim() || null);
      }}
    >
      <h3 id="inbox-folder-title">{t('inbox.folderTitle')}</h3>
      <FolderField id="inbox-folder" label={t('inbox.folder')} value={path} onChange={setPath} error={error} hint={t('inbox.folderHint')} />
      <ErrorAlert>{error}</ErrorAlert>
      <div className="actions">
        <button type="submit" className="button primary">
          {t('inbox.saveFolder')}
        </button>
        {folder ? (
          <button type="button" className="button secondary" onClick={() => void save(null)}>
            {t('inbox.clearFolder')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

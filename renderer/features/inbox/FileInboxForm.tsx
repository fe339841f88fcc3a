/**
 * Files the chosen inbox items as ONE paper of a person: person, type, title, dates, visibility (as the vault's add
 * form) → `inbox:file`, progress from `vault:progress`. The originals leave the scan folder once the paper is stored.
 */
import { useCallback, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { ErrorAlert } from '../../components/Alert';
import { PersonCombobox } from '../../components/PersonCombobox';
import { ProgressBar } from '../../components/ProgressBar';
import { PaperFields, usePaperFields } from '../vault/PaperFields';
import { withVaultProgress } from '../vault/paperFiles';

export function FileInboxForm({ ids, onFiled }: { ids: string[]; onFiled(personId: string, documentId: string): void }) {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const fields = usePaperFields();
  const formRef = useRef<HTMLFormElement>(null);
  const [person, setPerson] = useState<{ id: string; name: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const search = useCallback((query: string, limit: number) => invoke('people:search', { query, limit }), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (progress) return;
    // Every refused field at once (the paper's fields mark theirs), the first one focused.
    const meta = fields.read();
    const problem = ids.length === 0 ? t('inbox.chooseFiles') : !person ? t('inbox.choosePerson') : null;
    setError(problem);
    if (problem || !person || !meta) {
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    try {
      const filed = await withVaultProgress(setProgress, (operationId) => invoke('inbox:file', { ids, personId: person.id, meta, operationId }));
      announce(t('inbox.filed', { name: person.name, count: filed.pages }));
      fields.reset();
      onFiled(person.id, filed.id);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setProgress(null);
    }
  }

  return (
    <form ref={formRef} className="card stack" aria-labelledby="inbox-file-title" noValidate onSubmit={(e) => void submit(e)}>
      <h3 id="inbox-file-title">{t('inbox.fileTitle', { count: ids.length })}</h3>
      <PersonCombobox label={t('inbox.person')} value={person?.id ?? null} valueName={person?.name ?? null} onChange={setPerson} search={search} />
      <PaperFields state={fields} />
      <ErrorAlert>{error ?? fields.errors.form}</ErrorAlert>
      {progress ? <ProgressBar label={t('vault.progress')} done={progress.done} total={progress.total} /> : null}
      <div className="actions">
        <button type="submit" className="button primary" aria-disabled={progress ? true : undefined}>
          {t('inbox.file')}
        </button>
      </div>
    </form>
  );
}

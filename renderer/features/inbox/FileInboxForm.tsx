/**
 * Files the chosen inbox items as ONE paper of a person: person, type, title, dates, visibility (as the vault's add
 * form) → `inbox:file`, progress from `vault:progress`. The originals leave the scan folder once the paper is stored.
 */
import { useCallback, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DOCUMENT_TYPES, type DocumentType } from '../../../shared/domain/document';
import { EVERYONE, type Visibility } from '../../../shared/domain/access';
import { errorMessage, invoke, newOperationId, on } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { ErrorAlert } from '../../components/Alert';
import { DateField, readTypedDate } from '../../components/DateField';
import { SelectField, TextField } from '../../components/Field';
import { PersonCombobox } from '../../components/PersonCombobox';
import { ProgressBar } from '../../components/ProgressBar';
import { VisibilityPicker } from '../../components/VisibilityPicker';
import { useDirectory, visibilityComplete } from '../access/useDirectory';

export function FileInboxForm({ ids, onFiled }: { ids: string[]; onFiled(personId: string, documentId: string): void }) {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const directory = useDirectory();
  const [person, setPerson] = useState<{ id: string; name: string } | null>(null);
  const [type, setType] = useState<DocumentType | ''>('');
  const [title, setTitle] = useState('');
  const [issuedOn, setIssuedOn] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [visibility, setVisibility] = useState<Visibility>(EVERYONE);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const search = useCallback((query: string, limit: number) => invoke('people:search', { query, limit }), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (progress) return;
    const issued = readTypedDate(issuedOn, t('vault.issuedOn'), t);
    const expires = readTypedDate(expiresOn, t('vault.expiresOn'), t);
    const problem = ids.length === 0 ? t('inbox.chooseFiles') : !person ? t('inbox.choosePerson') : !type ? t('vault.typeRequired') : (issued.error ?? expires.error ?? (visibilityComplete(visibility) ? null : t('visibility.chooseSomeone')));
    setError(problem);
    if (problem || !person || !type) return;
    const operationId = newOperationId();
    setProgress({ done: 0, total: 0 });
    const off = on('vault:progress', (p) => {
      if (p.operationId === operationId) setProgress({ done: p.done, total: p.total });
    });
    try {
      const meta = { type, title: title || null, issuedOn: issued.iso, expiresOn: expires.iso, note: null, visibility };
      const filed = await invoke('inbox:file', { ids, personId: person.id, meta, operationId });
      announce(t('inbox.filed', { name: person.name, count: filed.pages }));
      setType('');
      setTitle('');
      setIssuedOn('');
      setExpiresOn('');
      onFiled(person.id, filed.id);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      off();
      setProgress(null);
    }
  }

  return (
    <form className="card stack" aria-labelledby="inbox-file-title" noValidate onSubmit={(e) => void submit(e)}>
      <h3 id="inbox-file-title">{t('inbox.fileTitle', { count: ids.length })}</h3>
      <PersonCombobox label={t('inbox.person')} value={person?.id ?? null} valueName={person?.name ?? null} onChange={setPerson} search={search} />
      <div className="grid-4">
        <SelectField label={t('vault.type')} value={type} onChange={(e) => setType(e.target.value as DocumentType | '')} required>
          <option value="">{t('vault.chooseType')}</option>
          {DOCUMENT_TYPES.map((d) => (
            <option key={d} value={d}>
              {t(`documentTypes.${d}`)}
            </option>
          ))}
        </SelectField>
        <TextField label={t('vault.docTitle')} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} autoComplete="off" />
        <DateField label={t('vault.issuedOn')} value={issuedOn} onChange={setIssuedOn} />
        <DateField label={t('vault.expiresOn')} value={expiresOn} onChange={setExpiresOn} />
      </div>
      <VisibilityPicker value={visibility} onChange={setVisibility} groups={directory.groups} users={directory.users} myGroupIds={directory.myGroupIds} />
      <ErrorAlert>{error}</ErrorAlert>
      {progress ? <ProgressBar label={t('vault.progress')} done={progress.done} total={progress.total} /> : null}
      <div className="actions">
        <button type="submit" className="button primary" aria-disabled={progress ? true : undefined}>
          {t('inbox.file')}
        </button>
      </div>
    </form>
  );
}

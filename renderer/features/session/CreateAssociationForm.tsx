/**
 * Create a new association in a folder: name, first administrator and password → `association:create`; then the
 * recovery code, shown once, before entering the app (« J'ai rangé le code », after ticking that it was kept). While
 * the code is shown, `onHold(true)`: the start screen's other choices are disabled.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, invoke } from '../../api/client';
import { useSession } from '../../app/session';
import { ErrorAlert } from '../../components/Alert';
import { TextField } from '../../components/Field';
import { NewPasswordFields, useNewPassword } from '../../components/NewPasswordFields';
import type { SessionInfo } from '../../../shared/domain/user';
import { FolderField } from './FolderField';
import { RecoveryStep } from './RecoveryStep';

export function CreateAssociationForm({ onHold }: { onHold?(holding: boolean): void }) {
  const { t } = useTranslation();
  const { opened } = useSession();
  const [dir, setDir] = useState('');
  const [name, setName] = useState('');
  const [adminName, setAdminName] = useState('');
  const newPassword = useNewPassword();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ session: SessionInfo; recoveryCode: string } | null>(null);
  const holding = created !== null;
  useEffect(() => {
    onHold?.(holding);
    return () => onHold?.(false);
  }, [holding, onHold]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!newPassword.check()) return;
    setBusy(true);
    try {
      const { recoveryCode, ...session } = await invoke('association:create', { dir, name, adminName, password: newPassword.password });
      newPassword.reset();
      setCreated({ session, recoveryCode });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  if (created) {
    return <RecoveryStep code={created.recoveryCode} onDone={() => opened(created.session)} doneLabel={t('recovery.stored')} />;
  }

  return (
    <form className="card stack" onSubmit={(e) => void submit(e)} aria-labelledby="create-title" noValidate>
      <h2 id="create-title">{t('create.title')}</h2>
      <p className="muted">{t('create.intro')}</p>
      <FolderField id="create-dir" label={t('create.folder')} value={dir} onChange={setDir} create />
      <TextField label={t('create.name')} value={name} onChange={(e) => setName(e.target.value)} required autoComplete="organization" />
      <TextField
        label={t('create.adminName')}
        hint={t('create.adminNameHint')}
        value={adminName}
        onChange={(e) => setAdminName(e.target.value)}
        required
        autoComplete="username"
        spellCheck={false}
      />
      <NewPasswordFields state={newPassword} label={t('create.password')} confirmLabel={t('create.confirm')} />
      <ErrorAlert>{error}</ErrorAlert>
      <button type="submit" className="button primary big" disabled={busy}>
        {busy ? t('create.creating') : t('create.submit')}
      </button>
    </form>
  );
}

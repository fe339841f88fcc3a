/** A newcomer asks for an account on this PC → `session:requestAccount`; an administrator approves it later. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { invoke } from '../../api/client';
import { useSubmit } from '../../app/useSubmit';
import { ErrorAlert, Notice } from '../../components/Alert';
import { TextField } from '../../components/Field';
import { NewPasswordFields, useNewPassword } from '../../components/NewPasswordFields';
import { FolderField } from './FolderField';

export function RequestAccountForm({ dir, setDir }: { dir: string; setDir(dir: string): void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const newPassword = useNewPassword();
  const [sent, setSent] = useState(false);
  const { busy, error, run } = useSubmit();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!newPassword.check()) return;
    await run(async () => {
      await invoke('session:requestAccount', { dir, name, displayName: displayName || undefined, password: newPassword.password });
      newPassword.reset();
      setSent(true);
    });
  }

  if (sent) return <Notice tone="success">{t('request.sent')}</Notice>;
  return (
    <form className="card stack" onSubmit={(e) => void submit(e)} aria-labelledby="request-title" noValidate>
      <h2 id="request-title">{t('request.title')}</h2>
      <p className="muted">{t('request.intro')}</p>
      <FolderField id="request-dir" label={t('unlock.folder')} value={dir} onChange={setDir} />
      <TextField
        label={t('users.name')}
        hint={t('create.adminNameHint')}
        value={name}
        onChange={(e) => setName(e.target.value)}
        required
        autoComplete="username"
        spellCheck={false}
        autoFocus
      />
      <TextField label={t('users.displayName')} value={displayName} onChange={(e) => setDisplayName(e.target.value)} autoComplete="name" />
      <NewPasswordFields state={newPassword} label={t('create.password')} confirmLabel={t('create.confirm')} />
      <ErrorAlert>{error}</ErrorAlert>
      <button type="submit" className="button primary big" aria-disabled={busy ? true : undefined}>
        {t('request.submit')}
      </button>
    </form>
  );
}

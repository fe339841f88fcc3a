/** Forgotten password: user name, the association's recovery code and a new password → `session:resetPassword`. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { invoke } from '../../api/client';
import { useSubmit } from '../../app/useSubmit';
import { ErrorAlert, Notice } from '../../components/Alert';
import { TextField } from '../../components/Field';
import { NewPasswordFields, useNewPassword } from '../../components/NewPasswordFields';
import { FolderField } from './FolderField';

export function ResetPasswordForm({ dir, setDir, onDone }: { dir: string; setDir(dir: string): void; onDone(): void }) {
  const { t } = useTranslation();
  const [userName, setUserName] = useState('');
  const [code, setCode] = useState('');
  const newPassword = useNewPassword();
  const [done, setDone] = useState(false);
  const { busy, error, run } = useSubmit();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!newPassword.check()) return;
    await run(async () => {
      await invoke('session:resetPassword', { dir, userName, recoveryCode: code, newPassword: newPassword.password });
      newPassword.reset();
      setCode('');
      setDone(true);
    });
  }

  if (done) {
    return (
      <div className="stack">
        <Notice tone="success">{t('reset.done', { name: userName })}</Notice>
        <button type="button" className="button primary" onClick={onDone}>
          {t('reset.toUnlock')}
        </button>
      </div>
    );
  }
  return (
    <form className="card stack" onSubmit={(e) => void submit(e)} aria-labelledby="reset-title" noValidate>
      <h2 id="reset-title">{t('reset.title')}</h2>
      <p className="muted">{t('reset.intro')}</p>
      <FolderField id="reset-dir" label={t('unlock.folder')} value={dir} onChange={setDir} />
      <TextField label={t('unlock.userName')} value={userName} onChange={(e) => setUserName(e.target.value)} required autoComplete="username" spellCheck={false} autoFocus />
      <TextField
        label={t('reset.code')}
        hint={t('reset.codeHint')}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        required
        autoComplete="off"
        spellCheck={false}
        className="code-field"
      />
      <NewPasswordFields state={newPassword} label={t('settings.newPassword')} confirmLabel={t('settings.confirmPassword')} />
      <ErrorAlert>{error}</ErrorAlert>
      <button type="submit" className="button primary big" aria-disabled={busy ? true : undefined}>
        {t('reset.submit')}
      </button>
    </form>
  );
}

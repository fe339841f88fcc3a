/**
 * Forgotten password: user name, the association's recovery code and a new password → `session:resetPassword`.
 * Checked with the channel's schema before sending (renderer/app/useZodForm.ts).
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { sessionChannels } from '../../../shared/contract/session';
import { invoke } from '../../api/client';
import { useZodForm } from '../../app/useZodForm';
import { ErrorAlert, Notice } from '../../components/Alert';
import { FormField, NewPasswordPair } from '../../components/FormField';
import { FormFolderField } from './FolderField';

const request = sessionChannels['session:resetPassword'].request;

export function ResetPasswordForm({ dir, setDir, onDone }: { dir: string; setDir(dir: string): void; onDone(): void }) {
  const { t } = useTranslation();
  const schema = useMemo(
    () => request.extend({ confirm: z.string() }).refine((v) => v.newPassword === v.confirm, { path: ['confirm'], message: t('create.mismatch') }),
    [t],
  );
  const { form, busy, rootError, submit } = useZodForm(schema, { dir, userName: '', recoveryCode: '', newPassword: '', confirm: '' });
  const [done, setDone] = useState<string | null>(null);

  const onSubmit = submit(async ({ confirm: _confirm, ...values }) => {
    await invoke('session:resetPassword', values);
    form.reset();
    setDone(values.userName);
  });

  if (done !== null) {
    return (
      <div className="stack">
        <Notice tone="success">{t('reset.done', { name: done })}</Notice>
        <button type="button" className="button primary" onClick={onDone}>
          {t('reset.toUnlock')}
        </button>
      </div>
    );
  }
  return (
    <form className="card stack" onSubmit={(e) => void onSubmit(e)} aria-labelledby="reset-title" noValidate>
      <h2 id="reset-title">{t('reset.title')}</h2>
      <p className="muted">{t('reset.intro')}</p>
      <FormFolderField form={form} name="dir" id="reset-dir" label={t('unlock.folder')} onChange={setDir} />
      <FormField form={form} name="userName" label={t('unlock.userName')} maxLength={64} required autoComplete="username" spellCheck={false} autoFocus />
      <FormField form={form} name="recoveryCode" label={t('reset.code')} hint={t('reset.codeHint')} maxLength={64} required autoComplete="off" spellCheck={false} className="code-field" />
      <NewPasswordPair form={form} name="newPassword" confirmName="confirm" label={t('settings.newPassword')} confirmLabel={t('settings.confirmPassword')} hint={t('create.passwordHint')} />
      <ErrorAlert>{rootError}</ErrorAlert>
      <button type="submit" className="button primary big" aria-disabled={busy ? true : undefined}>
        {t('reset.submit')}
      </button>
    </form>
  );
}

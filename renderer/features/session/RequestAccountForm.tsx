/**
 * A newcomer asks for an account on this PC → `session:requestAccount`; an administrator approves it later. Checked
 * with the channel's schema before sending (renderer/app/useZodForm.ts).
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { sessionChannels } from '../../../shared/contract/session';
import { maxLengths } from '../../../shared/domain/schemaLimits';
import { invoke } from '../../api/client';
import { useZodForm } from '../../app/useZodForm';
import { ErrorAlert, Notice } from '../../components/Alert';
import { FormField, NewPasswordPair } from '../../components/FormField';
import { FormFolderField } from './FolderField';

const request = sessionChannels['session:requestAccount'].request;
const limits = maxLengths(request.shape);

export function RequestAccountForm({ dir, setDir }: { dir: string; setDir(dir: string): void }) {
  const { t } = useTranslation();
  const schema = useMemo(
    () => request.extend({ confirm: z.string() }).refine((v) => v.password === v.confirm, { path: ['confirm'], message: t('create.mismatch') }),
    [t],
  );
  const { form, busy, rootError, submit } = useZodForm(schema, { dir, name: '', displayName: '', password: '', confirm: '' });
  const [sent, setSent] = useState(false);

  const onSubmit = submit(async ({ confirm: _confirm, displayName, ...values }) => {
    await invoke('session:requestAccount', { ...values, displayName: displayName || undefined });
    form.reset();
    setSent(true);
  });

  if (sent) return <Notice tone="success">{t('request.sent')}</Notice>;
  return (
    <form className="card stack" onSubmit={(e) => void onSubmit(e)} aria-labelledby="request-title" noValidate>
      <h2 id="request-title">{t('request.title')}</h2>
      <p className="muted">{t('request.intro')}</p>
      <FormFolderField form={form} name="dir" id="request-dir" label={t('unlock.folder')} onChange={setDir} />
      <FormField form={form} name="name" label={t('users.name')} hint={t('create.adminNameHint')} maxLength={limits.name} required autoComplete="username" spellCheck={false} autoFocus />
      <FormField form={form} name="displayName" label={t('users.displayName')} maxLength={limits.displayName} autoComplete="name" />
      <NewPasswordPair form={form} name="password" confirmName="confirm" label={t('create.password')} confirmLabel={t('create.confirm')} hint={t('create.passwordHint')} />
      <ErrorAlert>{rootError}</ErrorAlert>
      <button type="submit" className="button primary big" aria-disabled={busy ? true : undefined}>
        {t('request.submit')}
      </button>
    </form>
  );
}

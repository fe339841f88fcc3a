/**
 * Create a new association in a folder: name, first administrator and password → `association:create`; then the
 * recovery code, shown once, before entering the app (« J’ai rangé le code », after ticking that it was kept). While
 * the code is shown, `onHold(true)`: the start screen's other choices are disabled. The fields are checked with the
 * channel's own schema before sending (renderer/app/useZodForm.ts).
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { sessionChannels } from '../../../shared/contract/session';
import { maxLengths } from '../../../shared/domain/schemaLimits';
import { invoke } from '../../api/client';
import { useSession } from '../../app/session';
import { useZodForm } from '../../app/useZodForm';
import { ErrorAlert } from '../../components/Alert';
import { FormField } from '../../components/FormField';
import type { SessionInfo } from '../../../shared/domain/user';
import { FormFolderField } from './FolderField';
import { RecoveryStep } from './RecoveryStep';

const request = sessionChannels['association:create'].request;
const limits = maxLengths(request.shape);

export function CreateAssociationForm({ onHold }: { onHold?(holding: boolean): void }) {
  const { t } = useTranslation();
  const { opened } = useSession();
  const schema = useMemo(
    () => request.extend({ confirm: z.string() }).refine((v) => v.password === v.confirm, { path: ['confirm'], message: t('create.mismatch') }),
    [t],
  );
  const { form, busy, rootError, submit } = useZodForm(schema, { dir: '', name: '', adminName: '', password: '', confirm: '' });
  const [created, setCreated] = useState<{ session: SessionInfo; recoveryCode: string } | null>(null);
  const holding = created !== null;
  useEffect(() => {
    onHold?.(holding);
    return () => onHold?.(false);
  }, [holding, onHold]);

  const onSubmit = submit(async ({ confirm: _confirm, ...values }) => {
    const { recoveryCode, ...session } = await invoke('association:create', values);
    form.reset();
    setCreated({ session, recoveryCode });
  });

  if (created) {
    return <RecoveryStep code={created.recoveryCode} onDone={() => opened(created.session)} doneLabel={t('recovery.stored')} />;
  }

  return (
    <form className="card stack" onSubmit={(e) => void onSubmit(e)} aria-labelledby="create-title" noValidate>
      <h2 id="create-title">{t('create.title')}</h2>
      <p className="muted">{t('create.intro')}</p>
      <FormFolderField form={form} name="dir" id="create-dir" label={t('create.folder')} create />
      <FormField form={form} name="name" label={t('create.name')} maxLength={limits.name} required autoComplete="organization" />
      <FormField
        form={form}
        name="adminName"
        label={t('create.adminName')}
        hint={t('create.adminNameHint')}
        maxLength={limits.adminName}
        required
        autoComplete="username"
        spellCheck={false}
      />
      <FormField form={form} name="password" type="password" label={t('create.password')} hint={t('create.passwordHint')} required autoComplete="new-password" />
      <FormField form={form} name="confirm" type="password" label={t('create.confirm')} required autoComplete="new-password" />
      <ErrorAlert>{rootError}</ErrorAlert>
      <button type="submit" className="button primary big" disabled={busy}>
        {busy ? t('create.creating') : t('create.submit')}
      </button>
    </form>
  );
}

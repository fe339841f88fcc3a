/**
 * Add a user directly (administrators): name, display name, password, role and groups → `users:add`. Checked with
 * the channel's schema before sending (renderer/app/useZodForm.ts).
 */
import { useMemo } from 'react';
import { useController } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { Group } from '../../../shared/domain/access';
import { sessionChannels } from '../../../shared/contract/session';
import { maxLengths } from '../../../shared/domain/schemaLimits';
import { invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useHoldRefresh } from '../../app/dataVersion';
import { useZodForm } from '../../app/useZodForm';
import { ErrorAlert } from '../../components/Alert';
import { errorOf, FormField, NewPasswordPair } from '../../components/FormField';
import { GroupChecklist } from '../../components/GroupChecklist';
import { RoleSelect } from '../../components/RoleSelect';

const DEFAULT_ROLE = 'social_worker';
const request = sessionChannels['users:add'].request;
const limits = maxLengths(request.shape);

export function AddUserForm({ roles, groups, onAdded }: { roles: { id: string; name: string }[]; groups: Group[]; onAdded(): void }) {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const fallbackRole = roles.some((r) => r.id === DEFAULT_ROLE) ? DEFAULT_ROLE : (roles[0]?.id ?? '');
  const schema = useMemo(
    () =>
      request
        .extend({ displayName: z.string().trim().max(200), groupIds: z.array(z.string()), confirm: z.string() })
        .refine((v) => v.password === v.confirm, { path: ['confirm'], message: t('create.mismatch') }),
    [t],
  );
  const blank = { name: '', displayName: '', password: '', confirm: '', roleId: fallbackRole, groupIds: [] as string[] };
  const { form, busy, rootError, submit } = useZodForm(schema, blank);
  const role = useController({ control: form.control, name: 'roleId' });
  const chosen = useController({ control: form.control, name: 'groupIds' });
  useHoldRefresh(form.formState.isDirty);

  const onSubmit = submit(async ({ confirm: _confirm, displayName, ...values }) => {
    await invoke('users:add', { ...values, displayName: displayName || undefined });
    announce(t('users.added', { name: values.name }));
    form.reset(blank);
    onAdded();
  });

  return (
    <form className="card stack" onSubmit={(e) => void onSubmit(e)} aria-labelledby="user-add-title" noValidate>
      <h2 id="user-add-title">{t('users.addTitle')}</h2>
      <FormField form={form} name="name" label={t('users.name')} hint={t('create.adminNameHint')} maxLength={limits.name} required autoComplete="off" spellCheck={false} />
      <FormField form={form} name="displayName" label={t('users.displayName')} maxLength={limits.displayName} autoComplete="off" />
      <NewPasswordPair form={form} name="password" confirmName="confirm" label={t('users.password')} confirmLabel={t('users.confirm')} hint={t('create.passwordHint')} />
      <RoleSelect label={t('users.role')} roles={roles} value={role.field.value} onChange={role.field.onChange} ref={role.field.ref} error={errorOf(form, 'roleId')} />
      <GroupChecklist legend={t('users.groups')} items={groups} selected={chosen.field.value} onChange={chosen.field.onChange} error={errorOf(form, 'groupIds')} />
      <ErrorAlert>{rootError}</ErrorAlert>
      <div className="actions">
        <button type="submit" className="button primary" aria-disabled={busy ? true : undefined}>
          {t('users.add')}
        </button>
      </div>
    </form>
  );
}

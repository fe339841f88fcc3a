/** Add a user directly (administrators): name, display name, password, role and groups → `users:add`. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Group } from '../../../shared/domain/access';
import { invoke } from '../../api/client';
import { useSubmit } from '../../app/useSubmit';
import { useAnnouncer } from '../../app/announcer';
import { useHoldRefresh } from '../../app/dataVersion';
import { ErrorAlert } from '../../components/Alert';
import { TextField } from '../../components/Field';
import { GroupChecklist } from '../../components/GroupChecklist';
import { NewPasswordFields, useNewPassword } from '../../components/NewPasswordFields';
import { RoleSelect } from '../../components/RoleSelect';

const DEFAULT_ROLE = 'social_worker';

export function AddUserForm({ roles, groups, onAdded }: { roles: { id: string; name: string }[]; groups: Group[]; onAdded(): void }) {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const newPassword = useNewPassword();
  const fallbackRole = roles.some((r) => r.id === DEFAULT_ROLE) ? DEFAULT_ROLE : (roles[0]?.id ?? '');
  const [roleId, setRoleId] = useState(fallbackRole);
  const [groupIds, setGroupIds] = useState<string[]>([]);
  const { busy, error, run } = useSubmit();
  useHoldRefresh(name !== '' || displayName !== '' || newPassword.password !== '' || groupIds.length > 0);

  async function add(e: FormEvent) {
    e.preventDefault();
    if (!newPassword.check()) return;
    await run(async () => {
      await invoke('users:add', { name, displayName: displayName || undefined, password: newPassword.password, roleId, groupIds });
      announce(t('users.added', { name }));
      setName('');
      setDisplayName('');
      newPassword.reset();
      setGroupIds([]);
      onAdded();
    });
  }

  return (
    <form className="card stack" onSubmit={(e) => void add(e)} aria-labelledby="user-add-title" noValidate>
      <h2 id="user-add-title">{t('users.addTitle')}</h2>
      <TextField label={t('users.name')} hint={t('create.adminNameHint')} value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" spellCheck={false} />
      <TextField label={t('users.displayName')} value={displayName} onChange={(e) => setDisplayName(e.target.value)} autoComplete="off" />
      <NewPasswordFields state={newPassword} label={t('users.password')} confirmLabel={t('users.confirm')} />
      <RoleSelect label={t('users.role')} roles={roles} value={roleId} onChange={setRoleId} />
      <GroupChecklist legend={t('users.groups')} items={groups} selected={groupIds} onChange={setGroupIds} />
      <ErrorAlert>{error}</ErrorAlert>
      <div className="actions">
        <button type="submit" className="button primary" aria-disabled={busy ? true : undefined}>
          {t('users.add')}
        </button>
      </div>
    </form>
  );
}

/** One user's role, groups and status → `users:update` (disabling takes effect at once in the core). */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Group } from '../../../shared/domain/access';
import type { User } from '../../../shared/domain/user';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useHoldRefresh } from '../../app/dataVersion';
import { useOpenSession } from '../../app/session';
import { ErrorAlert } from '../../components/Alert';
import { GroupChecklist } from '../../components/GroupChecklist';
import { RoleSelect } from '../../components/RoleSelect';

interface Props {
  user: User;
  roles: { id: string; name: string }[];
  groups: Group[];
  onSaved(): void;
  onClose(): void;
}

export function UserEditor({ user, roles, groups, onSaved, onClose }: Props) {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const session = useOpenSession();
  const [roleId, setRoleId] = useState(user.roleId);
  const [groupIds, setGroupIds] = useState(user.groupIds);
  const [error, setError] = useState<string | null>(null);
  const title = useRef<HTMLHeadingElement>(null);
  const who = user.displayName || user.name;
  useHoldRefresh(roleId !== user.roleId || [...groupIds].sort().join() !== [...user.groupIds].sort().join());
  useEffect(() => title.current?.focus(), [user.id]);

  async function update(change: { roleId?: string; groupIds?: string[]; disabled?: boolean }, message: string) {
    setError(null);
    try {
      await invoke('users:update', { id: user.id, ...change });
      announce(message);
      onSaved();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <section className="card user-editor stack" aria-labelledby="user-editor-title">
      <h2 id="user-editor-title" ref={title} tabIndex={-1}>
        {t('users.editTitle', { name: who })}
      </h2>
      <RoleSelect className="narrow" label={t('users.role')} roles={roles} value={roleId} onChange={setRoleId} />
      <GroupChecklist legend={t('users.groups')} items={groups} selected={groupIds} onChange={setGroupIds} />
      <ErrorAlert>{error}</ErrorAlert>
      <div className="actions">
        <button type="button" className="button primary" onClick={() => void update({ roleId, groupIds }, t('users.updated', { name: who }))}>
          {t('users.save')}
        </button>
        {user.id !== session.user.id ? (
          <button
            type="button"
            className={user.disabled ? 'button secondary' : 'button warning'}
            onClick={() => void update({ disabled: !user.disabled }, t(user.disabled ? 'users.enabledDone' : 'users.disabledDone', { name: who }))}
          >
            {user.disabled ? t('users.enable') : t('users.disable')}
          </button>
        ) : null}
        <button type="button" className="button secondary" onClick={onClose}>
          {t('users.close')}
        </button>
      </div>
    </section>
  );
}

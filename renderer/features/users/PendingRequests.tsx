/** Accounts requested on this PC: approve with a role and groups (`users:approve`) or refuse (`users:reject`). */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Group } from '../../../shared/domain/access';
import type { AccountRequest } from '../../../shared/domain/user';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { formatDate, localDateOf } from '../../app/format';
import { ErrorAlert } from '../../components/Alert';
import { GroupChecklist } from '../../components/GroupChecklist';
import { RoleSelect } from '../../components/RoleSelect';

interface Props {
  requests: AccountRequest[];
  roles: { id: string; name: string }[];
  groups: Group[];
  onChanged(): void;
}

function RequestItem({ request, roles, groups, onChanged }: Omit<Props, 'requests'> & { request: AccountRequest }) {
  const { t, i18n } = useTranslation();
  const { announce } = useAnnouncer();
  const [roleId, setRoleId] = useState(roles.some((r) => r.id === 'volunteer') ? 'volunteer' : (roles[0]?.id ?? ''));
  const [groupIds, setGroupIds] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const who = request.displayName || request.name;

  async function act(approve: boolean) {
    setError(null);
    try {
      if (approve) await invoke('users:approve', { requestId: request.id, roleId, groupIds });
      else await invoke('users:reject', { requestId: request.id });
      announce(t(approve ? 'users.approved' : 'users.rejected', { name: who }));
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <li className="request-item stack" aria-labelledby={`request-${request.id}`}>
      <p id={`request-${request.id}`}>
        <strong>{who}</strong> <span className="muted">({request.name}) · {t('users.requestedOn', { date: formatDate(localDateOf(request.requestedAt), i18n.language) })}</span>
      </p>
      <RoleSelect className="narrow" label={t('users.roleOf', { name: who })} roles={roles} value={roleId} onChange={setRoleId} />
      <GroupChecklist legend={t('users.groupsOf', { name: who })} items={groups} selected={groupIds} onChange={setGroupIds} />
      <ErrorAlert>{error}</ErrorAlert>
      <div className="actions">
        <button type="button" className="button primary" onClick={() => void act(true)}>
          {t('users.approve')}
          <span className="visually-hidden"> {who}</span>
        </button>
        <button type="button" className="button secondary" onClick={() => void act(false)}>
          {t('users.reject')}
          <span className="visually-hidden"> {who}</span>
        </button>
      </div>
    </li>
  );
}

export function PendingRequests(props: Props) {
  const { t } = useTranslation();
  if (props.requests.length === 0) return null;
  return (
    <section className="card pending-requests" aria-labelledby="requests-title">
      <h2 id="requests-title">{t('users.requestsTitle', { count: props.requests.length })}</h2>
      <ul className="plain-list">
        {props.requests.map((r) => (
          <RequestItem key={r.id} request={r} roles={props.roles} groups={props.groups} onChanged={props.onChanged} />
        ))}
      </ul>
    </section>
  );
}

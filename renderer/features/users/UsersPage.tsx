/**
 * Users of the association (`users.manage`): pending requests (approve with a role and groups, or refuse), the list
 * with role, groups and status, one user's editor (role, groups, disable / enable), add a user, and a new recovery code.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alert';
import { Badge } from '../../components/Badge';
import { PageHeader } from '../../components/PageHeader';
import { AddUserForm } from './AddUserForm';
import { PendingRequests } from './PendingRequests';
import { RecoveryRenew } from './RecoveryRenew';
import { UserEditor } from './UserEditor';
import { useUsersData } from './useUsersData';
import '../settings/settings.css';

export function UsersPage() {
  const { t } = useTranslation();
  const { data, error, reload } = useUsersData();
  const [editing, setEditing] = useState<string | null>(null);
  const groupName = new Map((data?.groups ?? []).map((g) => [g.id, g.name]));
  const editedUser = data?.users.find((u) => u.id === editing) ?? null;

  function closeEditor() {
    const id = editing;
    setEditing(null);
    requestAnimationFrame(() => document.getElementById(`edit-user-${id}`)?.focus());
  }

  return (
    <div className="users-page">
      <PageHeader title={t('users.title')} />
      <ErrorAlert>{error}</ErrorAlert>
      {data ? <PendingRequests requests={data.requests} roles={data.roles} groups={data.groups} onChanged={() => void reload()} /> : null}
      <section className="card" aria-labelledby="users-list-title">
        <h2 id="users-list-title">{t('users.listTitle')}</h2>
        {data ? (
          <div className="table-wrap">
            <table className="data-table" data-testid="users-table">
              <caption className="visually-hidden">{t('users.listTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('users.displayName')}</th>
                  <th scope="col">{t('users.name')}</th>
                  <th scope="col">{t('users.role')}</th>
                  <th scope="col">{t('users.groups')}</th>
                  <th scope="col">{t('users.status')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.users.map((u) => (
                  <tr key={u.id}>
                    <th scope="row">{u.displayName || u.name}</th>
                    <td>{u.name}</td>
                    <td>{u.roleName}</td>
                    <td>{u.groupIds.map((g) => groupName.get(g) ?? '?').join(', ') || <span className="muted">{t('users.noGroup')}</span>}</td>
                    <td>{u.disabled ? <Badge tone="danger">{t('users.disabled')}</Badge> : <Badge tone="success">{t('users.active')}</Badge>}</td>
                    <td>
                      <button type="button" id={`edit-user-${u.id}`} className="button secondary small" onClick={() => setEditing(u.id)}>
                        {t('users.edit')}
                        <span className="visually-hidden"> {u.displayName || u.name}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      {data && editedUser ? (
        <UserEditor key={editedUser.id} user={editedUser} roles={data.roles} groups={data.groups} onSaved={() => void reload()} onClose={closeEditor} />
      ) : null}
      <div className="two-columns">
        {data ? <AddUserForm roles={data.roles} groups={data.groups} onAdded={() => void reload()} /> : null}
        <RecoveryRenew />
      </div>
    </div>
  );
}

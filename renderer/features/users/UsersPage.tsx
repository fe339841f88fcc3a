/** Users of the association (admins only): the list and an "add a user" form → `users:add`. */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/domain/user';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { ErrorAlert } from '../../components/Alert';
import { Badge } from '../../components/Badge';
import { CheckboxField, TextField } from '../../components/Field';
import { NewPasswordFields, useNewPassword } from '../../components/NewPasswordFields';
import { PageHeader } from '../../components/PageHeader';
import '../settings/settings.css';

export function UsersPage() {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const [users, setUsers] = useState<User[] | null>(null);
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const newPassword = useNewPassword();
  const [isAdmin, setIsAdmin] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [listError, setListError] = useState<string | null>(null);

  const load = useCallback(() => {
    invoke('users:list', {})
      .then((r) => setUsers(r.items))
      .catch((e: unknown) => setListError(errorMessage(e)));
  }, []);
  useEffect(load, [load]);

  async function add(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!newPassword.check()) return;
    try {
      await invoke('users:add', { name, displayName: displayName || undefined, password: newPassword.password, isAdmin });
      announce(t('users.added', { name }));
      setName('');
      setDisplayName('');
      newPassword.reset();
      setIsAdmin(false);
      load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <div className="users-page">
      <PageHeader title={t('users.title')} />
      <div className="two-columns">
        <section className="card" aria-labelledby="users-list-title">
          <h2 id="users-list-title">{t('users.listTitle')}</h2>
          <ErrorAlert>{listError}</ErrorAlert>
          {users ? (
            <table className="data-table" data-testid="users-table">
              <caption className="visually-hidden">{t('users.listTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('users.displayName')}</th>
                  <th scope="col">{t('users.name')}</th>
                  <th scope="col">{t('users.role')}</th>
                </tr>
              </thead>
              <tbody>
                {users.map((u) => (
                  <tr key={u.id}>
                    <th scope="row">{u.displayName || u.name}</th>
                    <td>{u.name}</td>
                    <td>
                      {u.isAdmin ? <Badge tone="member">{t('users.admin')}</Badge> : <Badge>{t('users.user')}</Badge>}{' '}
                      {u.disabled ? <Badge tone="danger">{t('users.disabled')}</Badge> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </section>
        <form className="card stack" onSubmit={(e) => void add(e)} aria-labelledby="user-add-title" noValidate>
          <h2 id="user-add-title">{t('users.addTitle')}</h2>
          <TextField label={t('users.name')} hint={t('create.adminNameHint')} value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" spellCheck={false} />
          <TextField label={t('users.displayName')} value={displayName} onChange={(e) => setDisplayName(e.target.value)} autoComplete="off" />
          <NewPasswordFields state={newPassword} label={t('users.password')} confirmLabel={t('users.confirm')} />
          <CheckboxField label={t('users.isAdmin')} checked={isAdmin} onChange={(e) => setIsAdmin(e.target.checked)} />
          <ErrorAlert>{error}</ErrorAlert>
          <div className="actions">
            <button type="submit" className="button primary">
              {t('users.add')}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}

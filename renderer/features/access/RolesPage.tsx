/**
 * Roles (`roles.manage`): the permission matrix — one row per permission, one column per role — with a save button
 * per role (`roles:save`), and a form to create a role (its id is made from its name, checked with the contract's
 * schema). The administrator's protected rights (ADMIN_PROTECTED_PERMISSIONS) are ticked and disabled, with the
 * reason, rather than refused at save.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { BUILTIN_ROLE_IDS, isProtectedPermission, PERMISSIONS, type Permission, type Role } from '../../../shared/domain/access';
import { accessChannels } from '../../../shared/contract/access';
import { maxLengthOf } from '../../../shared/domain/schemaLimits';
import { describeIssues } from '../../../shared/domain/validation';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useDataVersion, useHoldRefresh } from '../../app/dataVersion';
import { ErrorAlert } from '../../components/Alert';
import { TextField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { permissionLabel, roleIdOf } from './permissionLabel';
import { RoleDefaultsNotice } from './RoleDefaultsNotice';
import './access.css';

/** Built-in roles in the issue's order (admin first), then the association's own roles as the core lists them. */
const NAME = accessChannels['roles:save'].request.shape.name;

const rank = (r: Role) => {
  const i = (BUILTIN_ROLE_IDS as readonly string[]).indexOf(r.id);
  return i < 0 ? BUILTIN_ROLE_IDS.length : i;
};

export function RolesPage() {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const [roles, setRoles] = useState<Role[] | null>(null);
  /** Permissions as edited, per role id (saved roles keep their own until changed). */
  const [edited, setEdited] = useState<Record<string, Permission[]>>({});
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const version = useDataVersion();

  const load = useCallback(() => {
    invoke('roles:list', {})
      .then((r) => setRoles([...r.items].sort((a, b) => rank(a) - rank(b))))
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  useEffect(load, [load, version]);

  const permsOf = (r: Role) => edited[r.id] ?? r.permissions;
  const dirty = (r: Role) => edited[r.id] !== undefined && [...edited[r.id]!].sort().join() !== [...r.permissions].sort().join();
  // Unsaved ticks are kept by a reload (per role id); received changes still wait for them.
  useHoldRefresh(name !== '' || (roles ?? []).some(dirty));

  function toggle(r: Role, p: Permission, on: boolean) {
    const current = permsOf(r);
    setEdited((e) => ({ ...e, [r.id]: on ? [...current, p] : current.filter((x) => x !== p) }));
  }

  async function save(r: Role) {
    setError(null);
    try {
      await invoke('roles:save', { id: r.id, name: r.name, permissions: PERMISSIONS.filter((p) => permsOf(r).includes(p) || isProtectedPermission(r.id, p)) });
      setEdited(({ [r.id]: _, ...rest }) => rest);
      announce(t('roles.saved', { name: r.name }));
      load();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  async function create(e: FormEvent) {
    e.preventDefault();
    setNameError(null);
    const checked = NAME.safeParse(name);
    if (!checked.success) return setNameError(describeIssues(checked.error).fields[0]?.message ?? null);
    const id = roleIdOf(name);
    if (!id) return setNameError(t('roles.nameRequired'));
    if (roles?.some((r) => r.id === id)) return setNameError(t('roles.exists', { id }));
    try {
      await invoke('roles:save', { id, name: name.trim(), permissions: [] });
      announce(t('roles.created', { name: name.trim() }));
      setName('');
      load();
    } catch (err) {
      setNameError(errorMessage(err));
    }
  }

  return (
    <div className="roles-page">
      <PageHeader title={t('roles.title')}>
        <p className="muted">{t('roles.intro')}</p>
      </PageHeader>
      <ErrorAlert>{error}</ErrorAlert>
      {roles ? <RoleDefaultsNotice roles={roles} onApplied={load} /> : null}
      {roles ? (
        <section className="card" aria-labelledby="matrix-title">
          <h2 id="matrix-title">{t('roles.matrixTitle')}</h2>
          <div className="table-wrap matrix-wrap">
            <table className="data-table matrix" data-testid="roles-matrix">
              <caption className="visually-hidden">{t('roles.matrixTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('roles.permission')}</th>
                  {roles.map((r) => (
                    <th scope="col" key={r.id}>
                      {r.name}
                      <span className="role-count">{t('roles.userCount', { count: r.userCount })}</span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {PERMISSIONS.map((p) => (
                  <tr key={p}>
                    <th scope="row">{permissionLabel(t, p)}</th>
                    {roles.map((r) => (
                      <td key={r.id}>
                        <input
                          type="checkbox"
                          className="matrix-check"
                          aria-label={t('roles.cellLabel', { permission: permissionLabel(t, p), role: r.name })}
                          checked={permsOf(r).includes(p) || isProtectedPermission(r.id, p)}
                          disabled={isProtectedPermission(r.id, p)}
                          aria-describedby={isProtectedPermission(r.id, p) ? 'admin-protected' : undefined}
                          title={isProtectedPermission(r.id, p) ? t('roles.protected') : undefined}
                          onChange={(e) => toggle(r, p, e.target.checked)}
                        />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('common.actions')}</th>
                  {roles.map((r) => (
                    <td key={r.id}>
                      <button type="button" className={dirty(r) ? 'button primary small' : 'button secondary small'} onClick={() => void save(r)}>
                        {t('roles.save')}
                        <span className="visually-hidden"> {r.name}</span>
                      </button>
                      {dirty(r) ? <span className="role-dirty">{t('roles.unsaved')}</span> : null}
                    </td>
                  ))}
                </tr>
              </tfoot>
            </table>
          </div>
          <p id="admin-protected" className="muted protected-note">
            {t('roles.protected')}
          </p>
        </section>
      ) : null}
      <form className="card stack new-role" onSubmit={(e) => void create(e)} aria-labelledby="new-role-title" noValidate>
        <h2 id="new-role-title">{t('roles.newTitle')}</h2>
        <TextField
          className="narrow"
          label={t('roles.name')}
          hint={name ? t('roles.idHint', { id: roleIdOf(name) || '—' }) : t('roles.nameHint')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={nameError}
          maxLength={maxLengthOf(NAME)}
          autoComplete="off"
        />
        <div className="actions">
          <button type="submit" className="button primary">
            {t('roles.create')}
          </button>
        </div>
      </form>
    </div>
  );
}

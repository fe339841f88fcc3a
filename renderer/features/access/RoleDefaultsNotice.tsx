/**
 * On the Roles screen: the permissions this version gives built-in roles by default and they lack (`Role.missingDefaults`:
 * an association created by an earlier version keeps its signed roles as they were, docs/access.md « Permissions
 * added by a later version »). Lists them per role; « Ajouter ces droits » gives them all (`roles:applyDefaults`).
 * A right the administrator removed on purpose shows here too: they simply leave it.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../shared/domain/access';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { ErrorAlert } from '../../components/Alert';
import { permissionLabel } from './permissionLabel';

export function RoleDefaultsNotice({ roles, onApplied }: { roles: readonly Role[]; onApplied: () => void }) {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const lacking = roles.filter((r) => r.builtin && r.missingDefaults.length > 0);
  if (lacking.length === 0) return null;

  async function apply() {
    setBusy(true);
    setError(null);
    try {
      await invoke('roles:applyDefaults', { roleIds: lacking.map((r) => r.id) });
      announce(t('roles.defaults.applied', { count: lacking.length }));
      onApplied();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card role-defaults" aria-labelledby="role-defaults-title">
      <h2 id="role-defaults-title">{t('roles.defaults.title')}</h2>
      <p>{t('roles.defaults.intro')}</p>
      <ul>
        {lacking.map((r) => (
          <li key={r.id}>
            <strong>{r.name}</strong> : {r.missingDefaults.map((p) => permissionLabel(t, p).toLowerCase()).join(', ')}
          </li>
        ))}
      </ul>
      <ErrorAlert>{error}</ErrorAlert>
      <div className="actions">
        <button type="button" className="button primary" disabled={busy} onClick={() => void apply()}>
          {t('roles.defaults.apply')}
        </button>
      </div>
    </section>
  );
}

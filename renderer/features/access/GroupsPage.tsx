/** Groups (`groups.manage`): name, members and people counts, and a form to create one. Members are set on Utilisateurs. */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Group } from '../../../shared/domain/access';
import { errorMessage, invoke } from '../../api/client';
import { forgetDirectory } from '../../api/directory';
import { useAnnouncer } from '../../app/announcer';
import { useDataVersion, useHoldRefresh } from '../../app/dataVersion';
import { ErrorAlert } from '../../components/Alert';
import { TextField } from '../../components/Field';
import { groupName } from '../../../shared/domain/access';
import { maxLengthOf } from '../../../shared/domain/schemaLimits';
import { describeIssues } from '../../../shared/domain/validation';
import { PageHeader } from '../../components/PageHeader';
import './access.css';

export function GroupsPage() {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const [groups, setGroups] = useState<Group[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const version = useDataVersion();
  useHoldRefresh(name !== '');

  const load = useCallback(() => {
    invoke('groups:list', {})
      .then((r) => setGroups(r.items))
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  useEffect(load, [load, version]);

  async function create(e: FormEvent) {
    e.preventDefault();
    setNameError(null);
    // The contract's rule for a group's name (shared/domain/access.ts groupName), checked before sending.
    const checked = groupName.safeParse(name);
    if (!checked.success) return setNameError(describeIssues(checked.error).fields[0]?.message ?? null);
    try {
      await invoke('groups:create', { name });
      forgetDirectory();
      announce(t('groups.created', { name: name.trim() }));
      setName('');
      load();
    } catch (err) {
      setNameError(errorMessage(err));
    }
  }

  return (
    <div className="groups-page">
      <PageHeader title={t('groups.title')}>
        <p className="muted">{t('groups.intro')}</p>
      </PageHeader>
      <ErrorAlert>{error}</ErrorAlert>
      <div className="two-columns">
        <section className="card" aria-labelledby="groups-list-title">
          <h2 id="groups-list-title">{t('groups.listTitle')}</h2>
          {groups && groups.length === 0 ? <p className="muted">{t('groups.none')}</p> : null}
          {groups && groups.length > 0 ? (
            <table className="data-table" data-testid="groups-table">
              <caption className="visually-hidden">{t('groups.listTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('groups.name')}</th>
                  <th scope="col">{t('groups.members')}</th>
                  <th scope="col">{t('groups.people')}</th>
                </tr>
              </thead>
              <tbody>
                {groups.map((g) => (
                  <tr key={g.id}>
                    <th scope="row">{g.name}</th>
                    <td>{g.userIds.length}</td>
                    <td>{g.peopleCount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </section>
        <form className="card stack" onSubmit={(e) => void create(e)} aria-labelledby="group-new-title" noValidate>
          <h2 id="group-new-title">{t('groups.newTitle')}</h2>
          <TextField label={t('groups.name')} value={name} onChange={(e) => setName(e.target.value)} error={nameError} maxLength={maxLengthOf(groupName)} required autoComplete="off" />
          <div className="actions">
            <button type="submit" className="button primary">
              {t('groups.create')}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}

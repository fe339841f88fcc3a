/**
 * « Cercles » (`volunteers.read`; docs/volunteers.md "Circles"): the support circles (« galaxies ») around a person,
 * with their coordinator and members. Coordination (`volunteers.manage`) creates a circle and adds or removes members;
 * members' accounts join the circle's group, whose key seals the notes the circle shares.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CIRCLE_ROLES, type Circle } from '../../../shared/domain/volunteers';
import { errorMessage, invoke } from '../../api/client';
import { loadDirectory } from '../../api/directory';
import { useAnnouncer } from '../../app/announcer';
import { useDataVersion } from '../../app/dataVersion';
import { useCan } from '../../app/session';
import { ErrorAlert } from '../../components/Alert';
import { SelectField, TextField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { PersonPicker } from '../tasks/PersonPicker';
import './volunteers.css';

type Person = { id: string | null; name: string | null };

export function CirclesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { announce } = useAnnouncer();
  const [circles, setCircles] = useState<Circle[] | null>(null);
  const [users, setUsers] = useState<{ id: string; name: string }[]>([]);
  const [draft, setDraft] = useState<{ name: string; person: Person; coordinator: string }>({ name: '', person: { id: null, name: null }, coordinator: '' });
  const [adding, setAdding] = useState<Record<string, { person: Person; role: (typeof CIRCLE_ROLES)[number] }>>({});
  const [error, setError] = useState<string | null>(null);
  const version = useDataVersion();

  const load = useCallback(async () => {
    try {
      setCircles((await invoke('circles:list', {})).items);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => void load(), [load, version]);
  useEffect(() => void loadDirectory().then((d) => d.users && setUsers(d.users)), []);
  const userName = (id: string | null) => users.find((u) => u.id === id)?.name ?? '—';

  async function create(e: FormEvent) {
    e.preventDefault();
    if (!draft.name.trim()) return setError(t('circles.nameNeeded'));
    if (!draft.person.id) return setError(t('circles.personNeeded'));
    try {
      await invoke('circles:create', { name: draft.name, personId: draft.person.id, coordinatorUserId: draft.coordinator || null });
      announce(t('circles.created', { name: draft.name }));
      setDraft({ name: '', person: { id: null, name: null }, coordinator: '' });
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function addMember(c: Circle) {
    const a = adding[c.id];
    if (!a?.person.id) return setError(t('circles.memberNeeded'));
    try {
      await invoke('circles:addMember', { circleId: c.id, personId: a.person.id, role: a.role });
      announce(t('circles.memberAdded', { name: a.person.name ?? '', circle: c.name }));
      setAdding({ ...adding, [c.id]: { person: { id: null, name: null }, role: 'volunteer' } });
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function grantPending() {
    try {
      const r = await invoke('circles:grantPending', {});
      announce(t('circles.granted', { count: r.granted }));
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function removeMember(c: Circle, personId: string, name: string) {
    try {
      await invoke('circles:removeMember', { circleId: c.id, personId });
      announce(t('circles.memberRemoved', { name, circle: c.name }));
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <div className="circles-page">
      <PageHeader
        title={t('circles.title')}
        actions={
          can('users.manage') && (circles ?? []).some((c) => c.members.some((m) => m.accessPending)) ? (
            <button type="button" className="button primary" onClick={() => void grantPending()}>
              {t('circles.grantPending')}
            </button>
          ) : null
        }
      />
      <p className="muted">{t('circles.intro')}</p>
      <ErrorAlert>{error}</ErrorAlert>
      {can('volunteers.manage') ? (
        <form className="card stack" onSubmit={(e) => void create(e)} aria-labelledby="circle-new-title" noValidate>
          <h2 id="circle-new-title">{t('circles.newTitle')}</h2>
          <div className="volunteer-row">
            <TextField label={t('circles.name')} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
            <PersonPicker label={t('circles.person')} value={draft.person.id} valueName={draft.person.name} onChange={(id, name) => setDraft({ ...draft, person: { id, name } })} />
            <SelectField label={t('circles.coordinator')} value={draft.coordinator} onChange={(e) => setDraft({ ...draft, coordinator: e.target.value })}>
              <option value="">{t('circles.noCoordinator')}</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </SelectField>
          </div>
          <div className="actions">
            <button type="submit" className="button primary">
              {t('circles.create')}
            </button>
          </div>
        </form>
      ) : null}
      {circles && circles.length === 0 ? <p className="muted card">{t('circles.none')}</p> : null}
      {(circles ?? []).map((c) => (
        <section key={c.id} className="card" aria-labelledby={`circle-${c.id}`}>
          <h2 id={`circle-${c.id}`}>{c.name}</h2>
          <p>
            {t('circles.accompanied', { name: c.personName ?? '—' })} · {t('circles.coordinatedBy', { name: userName(c.coordinatorUserId) })}
          </p>
          <h3>{t('circles.members', { count: c.members.length })}</h3>
          <ul className="plain-list circle-members">
            {c.members.map((m) => (
              <li key={m.personId}>
                {m.name} <span className="muted">({t(`circles.roles.${m.role}`)})</span>{' '}
                {m.accessPending ? <span className="badge badge-warning">{t('circles.accessPending')}</span> : null}{' '}
                {can('volunteers.manage') ? (
                  <button type="button" className="button" onClick={() => void removeMember(c, m.personId, m.name)} aria-label={t('circles.removeOf', { name: m.name })}>
                    {t('circles.remove')}
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
          {can('volunteers.manage') ? (
            <div className="volunteer-row">
              <PersonPicker
                label={t('circles.memberToAdd', { circle: c.name })}
                value={adding[c.id]?.person.id ?? null}
                valueName={adding[c.id]?.person.name ?? null}
                onChange={(id, name) => setAdding({ ...adding, [c.id]: { role: adding[c.id]?.role ?? 'volunteer', person: { id, name } } })}
              />
              <SelectField
                label={t('circles.role')}
                value={adding[c.id]?.role ?? 'volunteer'}
                onChange={(e) => setAdding({ ...adding, [c.id]: { person: adding[c.id]?.person ?? { id: null, name: null }, role: e.target.value as (typeof CIRCLE_ROLES)[number] } })}
              >
                {CIRCLE_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`circles.roles.${r}`)}
                  </option>
                ))}
              </SelectField>
              <button type="button" className="button" onClick={() => void addMember(c)}>
                {t('circles.addMember')}
              </button>
            </div>
          ) : null}
        </section>
      ))}
    </div>
  );
}

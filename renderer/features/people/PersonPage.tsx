/** One person: details, household, archive, tasks and papers (vault). Files dropped anywhere on the page are added. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Household, Person } from '../../../shared/domain/person';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { formatDate } from '../../app/format';
import { useRouter } from '../../app/router';
import { ErrorAlert } from '../../components/Alert';
import { PageHeader } from '../../components/PageHeader';
import { PersonTasks } from '../tasks/PersonTasks';
import { PersonPapers } from '../vault/PersonPapers';
import { fullName, KindBadges } from './names';
import './people.css';

interface Loaded {
  person: Person;
  household: Household | null;
  members: Person[];
}

export function PersonPage({ id, openedDocument }: { id: string; openedDocument?: string | undefined }) {
  const { t, i18n } = useTranslation();
  const { navigate } = useRouter();
  const { announce } = useAnnouncer();
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const { person, household } = await invoke('people:get', { id });
      const others = (household?.memberIds ?? []).filter((m) => m !== id).slice(0, 30);
      const members = (await Promise.all(others.map((m) => invoke('people:get', { id: m }).catch(() => null))))
        .filter((r) => r !== null)
        .map((r) => r.person);
      setData({ person, household, members });
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  async function toggleArchive() {
    if (!data) return;
    const archived = !data.person.archivedAt;
    try {
      await invoke('people:archive', { id, archived });
      announce(t(archived ? 'person.archivedDone' : 'person.unarchivedDone'));
      await load();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  if (!data) {
    return (
      <div>
        <PageHeader title={t('person.pageTitle')} />
        <ErrorAlert>{error}</ErrorAlert>
      </div>
    );
  }
  const p = data.person;
  const name = fullName(p) || t('people.noName');
  const d = (iso: string | null) => formatDate(iso, i18n.language);
  const address = [p.addressLine, [p.postalCode, p.city].filter(Boolean).join(' '), p.country].filter(Boolean).join(', ');
  const rows: [string, string | null][] = [
    [t('person.fields.birthDate'), d(p.birthDate)],
    [t('person.fields.email'), p.email],
    [t('person.fields.phone'), [p.phone, p.phone2].filter(Boolean).join(' · ')],
    [t('person.fields.address'), address],
    [t('person.fields.memberNumber'), p.memberNumber],
    [t('person.fields.membership'), p.membershipStart || p.membershipEnd ? t('person.membershipRange', { start: d(p.membershipStart) || '…', end: d(p.membershipEnd) || '…' }) : ''],
    [t('person.fields.skills'), p.skills],
    [t('person.fields.availability'), p.availability],
  ];

  return (
    <div className="person-page">
      <PageHeader
        title={
          <>
            {p.civility ? <span className="civility">{t(`person.civility.${p.civility}`)} </span> : null}
            {name}
          </>
        }
        actions={
          <>
            <button type="button" className="button secondary" onClick={() => navigate({ name: 'personEdit', id })}>
              {t('person.edit')}
            </button>
            <button type="button" className="button secondary" onClick={() => void toggleArchive()}>
              {p.archivedAt ? t('person.unarchive') : t('person.archive')}
            </button>
          </>
        }
      >
        <KindBadges kinds={p.kinds} archived={!!p.archivedAt} />
      </PageHeader>
      <ErrorAlert>{error}</ErrorAlert>
      <div className="person-columns">
        <section className="card" aria-labelledby="details-title">
          <h2 id="details-title">{t('person.details')}</h2>
          <dl className="details">
            {rows
              .filter(([, v]) => v)
              .map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
          </dl>
          {p.notes ? (
            <>
              <h3>{t('person.fields.notes')}</h3>
              <p className="notes">{p.notes}</p>
            </>
          ) : null}
        </section>
        <section className="card" aria-labelledby="household-title">
          <h2 id="household-title">{t('person.household.title')}</h2>
          {data.household ? (
            <>
              <p className="household-name">{data.household.name}</p>
              {data.members.length ? (
                <ul className="plain-list">
                  {data.members.map((m) => (
                    <li key={m.id}>
                      <button type="button" className="link-button" onClick={() => navigate({ name: 'person', id: m.id })}>
                        {fullName(m) || t('people.noName')}
                      </button>
                      {m.birthDate ? <span className="muted"> · {t('people.bornOn', { date: d(m.birthDate) })}</span> : null}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">{t('person.household.alone')}</p>
              )}
            </>
          ) : (
            <p className="muted">{t('person.household.noneYet')}</p>
          )}
        </section>
      </div>
      <PersonPapers personId={id} personName={name} openedDocument={openedDocument} />
      <PersonTasks personId={id} />
    </div>
  );
}

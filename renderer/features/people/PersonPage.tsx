/**
 * One person: a summary of what needs doing (PersonSummary: expired papers, overdue tasks, consent to collect), then
 * details (field sets the reader may not see are shown « masqué »), household, groups, case notes, papers (vault),
 * tasks and consent, each shown by permission; their forms open on demand (docs/ui.md « Person page »). Files
 * dropped anywhere on the page open the papers form with them.
 * Every part reads again when the data version moves (`app/dataVersion.tsx`); the forms in it keep their input.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Household, Person } from '../../../shared/domain/person';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useDataVersion } from '../../app/dataVersion';
import { formatDate, isPast } from '../../app/format';
import { useRouter } from '../../app/router';
import { useCan } from '../../app/session';
import { ErrorAlert } from '../../components/Alert';
import { PageHeader } from '../../components/PageHeader';
import { PersonNotes } from '../notes/PersonNotes';
import { PersonTasks } from '../tasks/PersonTasks';
import { isOverdue } from '../tasks/TaskList';
import { PersonPapers } from '../vault/PersonPapers';
import { RenewBadge } from '../papers/RenewBadge';
import { PersonReferent } from './PersonReferent';
import { fullName, KindBadges } from './names';
import { DuesStatusBadge } from '../treasury/dues/DuesStatusBadge';
import { PersonConsents } from './PersonConsents';
import { PersonGroups } from './PersonGroups';
import { PersonDataActions } from '../erasure/PersonDataActions';
import { PersonSummary, type SummaryCounts } from './PersonSummary';
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
  const can = useCan();
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const version = useDataVersion();
  const [counts, setCounts] = useState<SummaryCounts>({ expiredPapers: null, overdueTasks: null, consentMissing: null });
  // Each list of papers read (also after one is added) refreshes the « pièces à renouveler » badge.
  const [papersRead, setPapersRead] = useState(0);
  const onDocuments = useCallback((docs: { expiresOn: string | null }[]) => {
    setCounts((c) => ({ ...c, expiredPapers: docs.filter((x) => isPast(x.expiresOn)).length }));
    setPapersRead((n) => n + 1);
  }, []);
  const onTasks = useCallback((tasks: Parameters<typeof isOverdue>[0][]) => setCounts((c) => ({ ...c, overdueTasks: tasks.filter(isOverdue).length })), []);
  const onConsents = useCallback((items: { withdrawnOn: string | null }[]) => setCounts((c) => ({ ...c, consentMissing: !items.some((x) => !x.withdrawnOn) })), []);

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
  }, [load, version]);

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
  const hidden = (set: 'details' | 'membership') => p.hiddenFields.includes(set);
  const masked = t('person.hidden');
  const d = (iso: string | null) => formatDate(iso, i18n.language);
  const address = [p.addressLine, [p.postalCode, p.city].filter(Boolean).join(' '), p.country].filter(Boolean).join(', ');
  const rows: [string, string | null][] = [
    [t('person.fields.birthDate'), hidden('details') ? masked : d(p.birthDate)],
    [t('person.fields.email'), p.email],
    [t('person.fields.phone'), [p.phone, p.phone2].filter(Boolean).join(' · ')],
    [t('person.fields.address'), address],
    [t('person.fields.memberNumber'), hidden('membership') ? masked : p.memberNumber],
    [
      t('person.fields.membership'),
      hidden('membership') ? masked : p.membershipStart || p.membershipEnd ? t('person.membershipRange', { start: d(p.membershipStart) || '…', end: d(p.membershipEnd) || '…' }) : '',
    ],
    [t('person.fields.skills'), hidden('details') ? masked : p.skills],
    [t('person.fields.availability'), hidden('details') ? masked : p.availability],
  ];
  const filled = rows.filter(([, v]) => v);

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
            {can('people.write') ? (
              <button type="button" className="button secondary" onClick={() => navigate({ name: 'personEdit', id })}>
                {t('person.edit')}
              </button>
            ) : null}
            {can('people.archive') ? (
              <button type="button" className="button secondary" onClick={() => void toggleArchive()}>
                {p.archivedAt ? t('person.unarchive') : t('person.archive')}
              </button>
            ) : null}
            <PersonDataActions personId={id} personName={`${p.firstName} ${p.lastName}`.trim()} />
          </>
        }
      >
        <KindBadges kinds={p.kinds} archived={!!p.archivedAt} />
        <DuesStatusBadge personId={id} />
        {can('documents.read') ? <RenewBadge personId={id} refresh={papersRead} /> : null}
      </PageHeader>
      <PersonSummary counts={counts} />
      <ErrorAlert>{error}</ErrorAlert>
      <div className="person-columns">
        <section className="card" aria-labelledby="details-title">
          <h2 id="details-title">{t('person.details')}</h2>
          {filled.length ? (
            <dl className="details">
              {filled.map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
          ) : p.notes ? null : (
            <p className="muted">
              {t('person.noDetails')}{' '}
              {can('people.write') ? (
                <button type="button" className="link-button" onClick={() => navigate({ name: 'personEdit', id })}>
                  {t('person.completeDetails')}
                </button>
              ) : null}
            </p>
          )}
          {p.notes ? (
            <>
              <h3>{t('person.fields.notes')}</h3>
              <p className="notes">{p.notes}</p>
            </>
          ) : null}
        </section>
        <section className="card" aria-labelledby="household-title">
          <h2 id="household-title">{t('person.household.title')}</h2>
          {hidden('details') ? <p className="muted">{masked}</p> : null}
          {hidden('details') ? null : data.household ? (
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
          <PersonGroups personId={id} />
          <PersonReferent personId={id} />
        </section>
      </div>
      {can('documents.read') || can('documents.add') ? <PersonPapers personId={id} personName={name} openedDocument={openedDocument} onDocuments={onDocuments} /> : null}
      <div className="person-columns">
        {can('tasks.read') || can('tasks.readOwn') ? <PersonTasks personId={id} onTasks={onTasks} /> : <div />}
        <PersonConsents personId={id} onConsents={onConsents} />
      </div>
      {can('notes.read') || can('notes.readOwn') ? <PersonNotes personId={id} /> : null}
    </div>
  );
}

/**
 * « Planning des visites » (`volunteers.read`; docs/volunteers.md): for one accompanied person, the rule « jamais plus
 * de N heures sans visite », the coming four weeks with every gap where the rule breaks, the volunteers proposed for a
 * gap, planning (coordination) and taking a slot (a volunteer), visits marked done or missed. A coordinator's notices
 * (a gap within 72 hours in one of their circles) head the screen.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Gap, Visit, VisitNotice, Volunteer } from '../../../shared/domain/volunteers';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useDataVersion } from '../../app/dataVersion';
import { useCan, useOpenSession } from '../../app/session';
import { ErrorAlert, Notice } from '../../components/Alert';
import { TextField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { PersonPicker } from '../tasks/PersonPicker';
import { PlanVisitForm } from './PlanVisitForm';
import { Rota } from './Rota';
import { formatInstant, localMidnight } from './time';
import './volunteers.css';

/** Weeks shown from today. */
const WEEKS = 4;

export function VisitsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const session = useOpenSession();
  const { announce } = useAnnouncer();
  const [person, setPerson] = useState<{ id: string | null; name: string | null }>({ id: null, name: null });
  const [visits, setVisits] = useState<Visit[]>([]);
  const [gaps, setGaps] = useState<Gap[]>([]);
  const [maxGap, setMaxGap] = useState('48');
  const [volunteers, setVolunteers] = useState<Volunteer[]>([]);
  const [notices, setNotices] = useState<VisitNotice[]>([]);
  const [error, setError] = useState<string | null>(null);
  const version = useDataVersion();

  const load = useCallback(async () => {
    try {
      setVolunteers((await invoke('volunteers:list', {})).items);
      setNotices((await invoke('visits:notices', {})).items);
      if (!person.id) return;
      const win = { personId: person.id, from: localMidnight(0), to: localMidnight(WEEKS * 7) };
      const [v, g, rule] = await Promise.all([invoke('visits:list', win), invoke('visits:gaps', win), invoke('visits:rule', { personId: person.id })]);
      setVisits(v.items);
      setGaps(g.items);
      setMaxGap(String(rule.maxGapHours));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [person.id]);
  useEffect(() => void load(), [load, version]);

  async function saveRule(e: FormEvent) {
    e.preventDefault();
    if (!person.id) return;
    if (!/^\d+$/.test(maxGap.trim()) || Number(maxGap) < 1) return setError(t('visits.ruleWhole'));
    try {
      const current = await invoke('visits:rule', { personId: person.id });
      await invoke('visits:setRule', { ...current, maxGapHours: Number(maxGap) });
      announce(t('visits.ruleSaved', { hours: maxGap }));
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  const own = volunteers.find((v) => v.userId === session.user.id)?.personId ?? null;
  return (
    <div className="visits-page">
      <PageHeader title={t('visits.title')} />
      {notices.map((n) => (
        <Notice key={`${n.personId}-${n.gap.from}`} tone="warning">
          {t('visits.notice', { name: n.personName, from: formatInstant(n.gap.from), to: formatInstant(n.gap.to), hours: Math.round(n.gap.hours) })}{' '}
          <button type="button" className="link-button" onClick={() => setPerson({ id: n.personId, name: n.personName })}>
            {t('visits.openPlan')}
          </button>
        </Notice>
      ))}
      <ErrorAlert>{error}</ErrorAlert>
      <div className="card">
        <PersonPicker label={t('visits.person')} value={person.id} valueName={person.name} onChange={(id, name) => setPerson({ id, name })} />
      </div>
      {person.id ? (
        <>
          <form className="card volunteer-row" onSubmit={(e) => void saveRule(e)} aria-label={t('visits.ruleTitle')} noValidate>
            <TextField label={t('visits.rule')} hint={t('visits.ruleHint')} inputMode="numeric" value={maxGap} disabled={!can('volunteers.manage')} onChange={(e) => setMaxGap(e.target.value)} />
            {can('volunteers.manage') ? (
              <button type="submit" className="button">
                {t('visits.saveRule')}
              </button>
            ) : null}
          </form>
          {can('volunteers.manage') ? <PlanVisitForm personId={person.id} volunteers={volunteers} onPlanned={() => void load()} /> : null}
          <section className="card" aria-labelledby="rota-title">
            <h2 id="rota-title">{t('visits.rotaTitle', { name: person.name ?? '', weeks: WEEKS })}</h2>
            <p className={gaps.length ? '' : 'muted'}>{gaps.length ? t('visits.gapCount', { count: gaps.length }) : t('visits.noGap', { hours: maxGap })}</p>
            <Rota personId={person.id} visits={visits} gaps={gaps} canManage={can('volunteers.manage')} canWrite={can('visits.write')} ownVolunteer={own} onChanged={() => void load()} />
          </section>
        </>
      ) : (
        <p className="muted card">{t('visits.choosePerson')}</p>
      )}
    </div>
  );
}

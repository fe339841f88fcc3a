/**
 * « Mon engagement » (docs/agenda.md "Engagement"): for a volunteer, the time given this month and this year, their
 * next visits and their own tasks; for the coordination (`volunteers.manage`), the volunteers with nothing planned
 * for 30 days and the hours given per volunteer in a year, with the CSV of the « valorisation du bénévolat ».
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IdleVolunteer, MyEngagement, VolunteerHours } from '../../../shared/domain/engagement';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useDataVersion } from '../../app/dataVersion';
import { downloadBytes } from '../../app/download';
import { formatDate } from '../../app/format';
import { useCan } from '../../app/session';
import { ErrorAlert } from '../../components/Alert';
import { SelectField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { dateTimeOf, today } from './calendar';
import './agenda.css';

/** « 2 h 30 » from minutes. */
function hours(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${String(m).padStart(2, '0')}` : `${h} h`;
}

export function EngagementPage() {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const { announce } = useAnnouncer();
  const version = useDataVersion();
  const thisYear = Number(today().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const [mine, setMine] = useState<MyEngagement | null>(null);
  const [idle, setIdle] = useState<IdleVolunteer[]>([]);
  const [perVolunteer, setPerVolunteer] = useState<VolunteerHours[]>([]);
  const [error, setError] = useState<string | null>(null);
  const coordinates = can('volunteers.manage');

  const load = useCallback(async () => {
    try {
      setMine(await invoke('engagement:mine', {}));
      if (coordinates) {
        setIdle((await invoke('engagement:idle', {})).items);
        setPerVolunteer((await invoke('engagement:hours', { year })).items);
      }
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [coordinates, year]);
  useEffect(() => void load(), [load, version]);

  async function csv() {
    try {
      const r = await invoke('engagement:hoursCsv', { year });
      downloadBytes(new TextEncoder().encode(r.csv), r.fileName, 'text/csv');
      announce(t('engagement.csvDone', { file: r.fileName }));
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <div className="agenda-page engagement-page">
      <PageHeader title={t('engagement.title')} />
      <ErrorAlert>{error}</ErrorAlert>
      {mine && !mine.linked ? <p className="card muted">{t('engagement.notLinked')}</p> : null}
      {mine?.linked ? (
        <section className="card" aria-labelledby="given-title">
          <h2 id="given-title">{t('engagement.given')}</h2>
          <dl className="engagement-figures">
            <div>
              <dt>{t('engagement.thisMonth')}</dt>
              <dd>{hours(mine.minutesThisMonth)}</dd>
            </div>
            <div>
              <dt>{t('engagement.thisYear')}</dt>
              <dd>{hours(mine.minutesThisYear)}</dd>
            </div>
            <div>
              <dt>{t('engagement.visitsThisYear')}</dt>
              <dd>{mine.visitsThisYear}</dd>
            </div>
          </dl>
        </section>
      ) : null}
      {mine?.linked ? (
        <section className="card" aria-labelledby="next-title">
          <h2 id="next-title">{t('engagement.nextVisits')}</h2>
          {mine.nextVisits.length === 0 ? <p className="muted">{t('engagement.noVisit')}</p> : null}
          <ul className="agenda-list">
            {mine.nextVisits.map((v) => (
              <li key={v.id} className="agenda-item kind-visit">
                <span className="agenda-time">{dateTimeOf(v.start)}</span> · {t('engagement.visitTo', { name: v.personName ?? t('engagement.someone') })} · {t('visits.length', { minutes: v.minutes })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {mine ? (
        <section className="card" aria-labelledby="tasks-title">
          <h2 id="tasks-title">{t('engagement.tasks')}</h2>
          {mine.tasks.length === 0 ? <p className="muted">{t('engagement.noTask')}</p> : null}
          <ul className="agenda-list">
            {mine.tasks.map((task) => (
              <li key={task.id} className="agenda-item">
                <strong>{task.title}</strong>
                {task.dueDate ? <span className="muted"> · {t('engagement.due', { date: formatDate(task.dueDate, i18n.language) })}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {coordinates ? (
        <section className="card" aria-labelledby="idle-title">
          <h2 id="idle-title">{t('engagement.idleTitle')}</h2>
          <p className="muted">{t('engagement.idleHint')}</p>
          {idle.length === 0 ? <p>{t('engagement.noIdle')}</p> : null}
          <ul className="agenda-list">
            {idle.map((v) => (
              <li key={v.personId} className="agenda-item">
                <strong>{v.name}</strong> · {t('engagement.since', { date: formatDate(v.since, i18n.language) })} · {v.lastVisit ? t('engagement.lastVisit', { when: dateTimeOf(v.lastVisit) }) : t('engagement.neverVisited')}
                {v.nextVisit ? ` · ${t('engagement.nextVisit', { when: dateTimeOf(v.nextVisit) })}` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {coordinates ? (
        <section className="card stack" aria-labelledby="hours-title">
          <h2 id="hours-title">{t('engagement.hoursTitle', { year })}</h2>
          <div className="agenda-toolbar">
            <SelectField label={t('engagement.year')} value={String(year)} onChange={(e) => setYear(Number(e.target.value))}>
              {[thisYear, thisYear - 1, thisYear - 2].map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </SelectField>
            <button type="button" className="button secondary" onClick={() => void csv()}>
              {t('engagement.csv')}
            </button>
          </div>
          <table className="engagement-table">
            <caption className="visually-hidden">{t('engagement.hoursTitle', { year })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('engagement.volunteer')}</th>
                <th scope="col" className="number">
                  {t('engagement.visits')}
                </th>
                <th scope="col" className="number">
                  {t('engagement.hours')}
                </th>
              </tr>
            </thead>
            <tbody>
              {perVolunteer.map((h) => (
                <tr key={h.personId}>
                  <th scope="row">{h.name}</th>
                  <td className="number">{h.visits}</td>
                  <td className="number">{hours(h.minutes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}

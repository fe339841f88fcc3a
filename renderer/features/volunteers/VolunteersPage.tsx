/**
 * « Bénévoles » (`volunteers.read`; docs/volunteers.md): every volunteer with skills, area, hours a month offered,
 * weekly availability and the minutes planned in the coming four weeks; « Cartographie des savoirs »: each skill
 * with who holds it, by area. Coordination (`volunteers.manage`) adds and edits profiles.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SkillsMapEntry, Volunteer } from '../../../shared/domain/volunteers';
import { errorMessage, invoke } from '../../api/client';
import { useDataVersion } from '../../app/dataVersion';
import { useCan } from '../../app/session';
import { ErrorAlert } from '../../components/Alert';
import { PageHeader } from '../../components/PageHeader';
import { weekdayName } from './time';
import { VolunteerForm } from './VolunteerForm';
import './volunteers.css';

export function VolunteersPage() {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const [items, setItems] = useState<Volunteer[] | null>(null);
  const [map, setMap] = useState<SkillsMapEntry[]>([]);
  const [editing, setEditing] = useState<Volunteer | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const version = useDataVersion();

  const load = useCallback(async () => {
    try {
      const [v, m] = await Promise.all([invoke('volunteers:list', {}), invoke('volunteers:skillsMap', {})]);
      setItems(v.items);
      setMap(m.items);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => void load(), [load, version]);

  const hours = (minutes: number) => (Math.round((minutes / 60) * 10) / 10).toLocaleString(i18n.language);
  return (
    <div className="volunteers-page">
      <PageHeader
        title={t('volunteers.title')}
        actions={
          can('volunteers.manage') && editing === null ? (
            <button type="button" className="button primary" onClick={() => setEditing('new')}>
              {t('volunteers.new')}
            </button>
          ) : null
        }
      />
      <ErrorAlert>{error}</ErrorAlert>
      {editing !== null ? (
        <VolunteerForm
          key={editing === 'new' ? 'new' : editing.personId}
          volunteer={editing === 'new' ? null : editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved) void load();
          }}
        />
      ) : null}
      <section className="card" aria-labelledby="volunteers-list-title">
        <h2 id="volunteers-list-title">{t('volunteers.listTitle', { count: items?.length ?? 0 })}</h2>
        {items && items.length === 0 ? <p className="muted">{t('volunteers.none')}</p> : null}
        {items && items.length > 0 ? (
          <div className="table-wrap">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{t('volunteers.name')}</th>
                  <th scope="col">{t('volunteers.skills')}</th>
                  <th scope="col">{t('volunteers.area')}</th>
                  <th scope="col">{t('volunteers.availability')}</th>
                  <th scope="col">{t('volunteers.load')}</th>
                  {can('volunteers.manage') ? <th scope="col">{t('common.actions')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {items.map((v) => (
                  <tr key={v.personId}>
                    <td>{v.name}</td>
                    <td>{v.skills.join(', ') || '—'}</td>
                    <td>{v.area ?? '—'}</td>
                    <td>
                      {v.availability.map((s) => `${weekdayName(s.weekday, i18n.language)} ${s.start}–${s.end}`).join(' · ') || '—'}
                      {v.absences.length ? <span className="muted"> · {t('volunteers.absentCount', { count: v.absences.length })}</span> : null}
                    </td>
                    <td>{v.hoursPerMonth !== null ? t('volunteers.loadOf', { planned: hours(v.plannedMinutes), offered: v.hoursPerMonth }) : t('volunteers.loadPlanned', { planned: hours(v.plannedMinutes) })}</td>
                    {can('volunteers.manage') ? (
                      <td>
                        <button type="button" className="button" onClick={() => setEditing(v)} aria-label={t('volunteers.editOf', { name: v.name })}>
                          {t('volunteers.edit')}
                        </button>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      <section className="card" aria-labelledby="skills-map-title">
        <h2 id="skills-map-title">{t('volunteers.mapTitle')}</h2>
        {map.length === 0 ? <p className="muted">{t('volunteers.noSkill')}</p> : null}
        <dl className="skills-map">
          {map.map((s) => (
            <div key={s.skill} className="skills-map-entry">
              <dt>{s.skill}</dt>
              <dd>
                {s.areas.length === 0 ? (
                  <span className="muted">{t('volunteers.nobodyHolds')}</span>
                ) : (
                  <ul className="plain-list">
                    {s.areas.map((a) => (
                      <li key={a.area ?? ''}>
                        <strong>{a.area ?? t('volunteers.noArea')}</strong> : {a.volunteers.map((v) => v.name).join(', ')}
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}

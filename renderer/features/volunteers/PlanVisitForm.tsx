/**
 * Plan a visit or a weekly series for the chosen person (`volunteers.manage`): volunteer, day (jj/mm/aaaa), time,
 * length, repetition (none, every week, every two weeks) until a day. Times are Europe/Paris wall-clock times.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Volunteer } from '../../../shared/domain/volunteers';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { ErrorAlert } from '../../components/Alert';
import { DateField, readTypedDate } from '../../components/DateField';
import { SelectField, TextField } from '../../components/Field';

interface Props {
  personId: string;
  volunteers: Volunteer[];
  onPlanned(): void;
}

export function PlanVisitForm({ personId, volunteers, onPlanned }: Props) {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const [volunteerId, setVolunteerId] = useState('');
  const [day, setDay] = useState('');
  const [time, setTime] = useState('10:00');
  const [minutes, setMinutes] = useState('60');
  const [every, setEvery] = useState('0');
  const [until, setUntil] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function plan(e: FormEvent) {
    e.preventDefault();
    const d = readTypedDate(day, t('visits.day'), t);
    if (d.error || !d.iso) return setError(d.error ?? t('visits.dayNeeded'));
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return setError(t('visits.timeNeeded'));
    if (!/^\d+$/.test(minutes.trim()) || Number(minutes) < 5) return setError(t('visits.minutesWhole'));
    let recurrence: { interval: number; until: string } | undefined;
    if (every !== '0') {
      const u = readTypedDate(until, t('visits.until'), t);
      if (u.error || !u.iso) return setError(u.error ?? t('visits.untilNeeded'));
      recurrence = { interval: Number(every), until: u.iso };
    }
    try {
      const r = await invoke('visits:plan', { personId, volunteerId: volunteerId || null, at: `${d.iso}T${time}`, minutes: Number(minutes), recurrence });
      announce(t('visits.planned', { count: r.ids.length }));
      setError(null);
      onPlanned();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <form className="card stack" onSubmit={(e) => void plan(e)} aria-labelledby="plan-title" noValidate>
      <h2 id="plan-title">{t('visits.planTitle')}</h2>
      <ErrorAlert>{error}</ErrorAlert>
      <div className="volunteer-row">
        <SelectField label={t('visits.volunteer')} value={volunteerId} onChange={(e) => setVolunteerId(e.target.value)}>
          <option value="">{t('visits.noVolunteer')}</option>
          {volunteers.map((v) => (
            <option key={v.personId} value={v.personId}>
              {v.name}
            </option>
          ))}
        </SelectField>
        <DateField label={t('visits.day')} value={day} onChange={setDay} />
        <TextField label={t('visits.time')} hint={t('visits.timeHint')} inputMode="numeric" maxLength={5} value={time} onChange={(e) => setTime(e.target.value)} />
        <TextField label={t('visits.minutes')} inputMode="numeric" value={minutes} onChange={(e) => setMinutes(e.target.value)} />
      </div>
      <div className="volunteer-row">
        <SelectField label={t('visits.repeat')} value={every} onChange={(e) => setEvery(e.target.value)}>
          <option value="0">{t('visits.repeatNone')}</option>
          <option value="1">{t('visits.repeatWeekly')}</option>
          <option value="2">{t('visits.repeatTwoWeeks')}</option>
        </SelectField>
        {every !== '0' ? <DateField label={t('visits.until')} value={until} onChange={setUntil} /> : null}
      </div>
      <div className="actions">
        <button type="submit" className="button primary">
          {t('visits.plan')}
        </button>
      </div>
    </form>
  );
}

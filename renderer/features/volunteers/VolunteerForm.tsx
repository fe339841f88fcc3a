/**
 * Create or edit a volunteer's profile (`volunteers.manage`): the person (new profile), their skills (comma-separated;
 * a new name joins the association's list), weekly availability, area (commune or quartier), hours a month offered, and
 * the user account they open the app with. Absences of an existing volunteer are added and removed here too.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AvailabilitySlot, Volunteer } from '../../../shared/domain/volunteers';
import { errorMessage, invoke } from '../../api/client';
import { loadDirectory } from '../../api/directory';
import { useAnnouncer } from '../../app/announcer';
import { formatDate } from '../../app/format';
import { ErrorAlert } from '../../components/Alert';
import { DateField, readTypedDate } from '../../components/DateField';
import { SelectField, TextField } from '../../components/Field';
import { PersonPicker } from '../tasks/PersonPicker';
import { AvailabilityEditor } from './AvailabilityEditor';

interface Props {
  volunteer: Volunteer | null;
  onDone(saved: boolean): void;
}

export function VolunteerForm({ volunteer, onDone }: Props) {
  const { t, i18n } = useTranslation();
  const { announce } = useAnnouncer();
  const [person, setPerson] = useState<{ id: string | null; name: string | null }>({ id: volunteer?.personId ?? null, name: volunteer?.name ?? null });
  const [skills, setSkills] = useState((volunteer?.skills ?? []).join(', '));
  const [area, setArea] = useState(volunteer?.area ?? '');
  const [hours, setHours] = useState(volunteer?.hoursPerMonth === null || volunteer === null ? '' : String(volunteer.hoursPerMonth));
  const [slots, setSlots] = useState<AvailabilitySlot[]>(volunteer?.availability ?? []);
  const [userId, setUserId] = useState(volunteer?.userId ?? '');
  const [users, setUsers] = useState<{ id: string; name: string }[]>([]);
  const [absence, setAbsence] = useState({ from: '', to: '' });
  const [absences, setAbsences] = useState(volunteer?.absences ?? []);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => void loadDirectory().then((d) => d.users && setUsers(d.users)), []);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!person.id) return setError(t('volunteers.choosePerson'));
    if (hours.trim() !== '' && !/^\d+$/.test(hours.trim())) return setError(t('volunteers.hoursWhole'));
    const badSlot = slots.findIndex((s) => !/^([01]\d|2[0-3]):[0-5]\d$/.test(s.start) || !/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/.test(s.end) || s.start >= s.end);
    if (badSlot >= 0) return setError(t('volunteers.badSlot', { n: badSlot + 1 }));
    try {
      await invoke('volunteers:save', {
        personId: person.id,
        userId: userId || null,
        skills: skills.split(',').map((s) => s.trim()).filter((s) => s !== ''),
        availability: slots,
        area,
        hoursPerMonth: hours.trim() === '' ? null : Number(hours),
      });
      announce(t('volunteers.saved', { name: person.name ?? '' }));
      onDone(true);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function addAbsence() {
    if (!volunteer) return;
    const from = readTypedDate(absence.from, t('volunteers.absenceFrom'), t);
    const to = readTypedDate(absence.to || absence.from, t('volunteers.absenceTo'), t);
    if (from.error || to.error || !from.iso) return setError(from.error ?? to.error ?? t('volunteers.absenceFromNeeded'));
    try {
      const r = await invoke('volunteers:addAbsence', { personId: volunteer.personId, from: from.iso, to: to.iso ?? from.iso });
      setAbsences([...absences, { id: r.id, from: from.iso, to: to.iso ?? from.iso }]);
      setAbsence({ from: '', to: '' });
      announce(t('volunteers.absenceAdded', { count: r.cancelledVisits }));
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function removeAbsence(id: string) {
    try {
      await invoke('volunteers:removeAbsence', { id });
      setAbsences(absences.filter((a) => a.id !== id));
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <form className="card stack volunteer-form" onSubmit={(e) => void save(e)} aria-labelledby="volunteer-form-title" noValidate>
      <h2 id="volunteer-form-title">{volunteer ? t('volunteers.editTitle', { name: volunteer.name }) : t('volunteers.newTitle')}</h2>
      <ErrorAlert>{error}</ErrorAlert>
      {volunteer ? null : <PersonPicker label={t('volunteers.person')} value={person.id} valueName={person.name} onChange={(id, name) => setPerson({ id, name })} />}
      <TextField label={t('volunteers.skills')} hint={t('volunteers.skillsHint')} value={skills} onChange={(e) => setSkills(e.target.value)} />
      <div className="volunteer-row">
        <TextField label={t('volunteers.area')} hint={t('volunteers.areaHint')} value={area} onChange={(e) => setArea(e.target.value)} />
        <TextField label={t('volunteers.hours')} inputMode="numeric" value={hours} onChange={(e) => setHours(e.target.value)} />
        <SelectField label={t('volunteers.account')} value={userId} onChange={(e) => setUserId(e.target.value)}>
          <option value="">{t('volunteers.noAccount')}</option>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </SelectField>
      </div>
      <AvailabilityEditor slots={slots} onChange={setSlots} />
      {volunteer ? (
        <fieldset className="absences">
          <legend>{t('volunteers.absences')}</legend>
          <ul className="plain-list">
            {absences.map((a) => (
              <li key={a.id}>
                {t('volunteers.absenceRange', { from: formatDate(a.from, i18n.language), to: formatDate(a.to, i18n.language) })}{' '}
                <button type="button" className="button" onClick={() => void removeAbsence(a.id)}>
                  {t('volunteers.removeAbsence')}
                </button>
              </li>
            ))}
          </ul>
          <div className="volunteer-row">
            <DateField label={t('volunteers.absenceFrom')} value={absence.from} onChange={(from) => setAbsence({ ...absence, from })} />
            <DateField label={t('volunteers.absenceTo')} value={absence.to} onChange={(to) => setAbsence({ ...absence, to })} />
            <button type="button" className="button" onClick={() => void addAbsence()}>
              {t('volunteers.addAbsence')}
            </button>
          </div>
        </fieldset>
      ) : null}
      <div className="actions">
        <button type="submit" className="button primary">
          {t('volunteers.save')}
        </button>
        <button type="button" className="button" onClick={() => onDone(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

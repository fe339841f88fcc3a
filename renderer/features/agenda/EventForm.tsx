/**
 * « Nouvel événement » (`agenda.write`): kind, title, place, description, day (jj/mm/aaaa) and time (HH:MM, Europe/Paris),
 * duration, repetition (none, every week, every two or four weeks, until a day), one person concerned, the users
 * taking part, and the visibility (narrower than everyone: title, place and description sealed). Checked with the
 * contract's `eventInput` before sending; refused fields shown next to themselves (renderer/app/useSubmit.ts).
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { EVENT_KINDS, eventInput, type EventKind } from '../../../shared/domain/agenda';
import { EVERYONE, type Visibility } from '../../../shared/domain/access';
import { invoke } from '../../api/client';
import { useSubmit } from '../../app/useSubmit';
import { useOpenSession } from '../../app/session';
import { ErrorAlert } from '../../components/Alert';
import { DateField, readTypedDate } from '../../components/DateField';
import { SelectField, TextAreaField, TextField } from '../../components/Field';
import { GroupChecklist } from '../../components/GroupChecklist';
import { VisibilityPicker } from '../../components/VisibilityPicker';
import { typedDateOf } from '../../../shared/domain/dates';
import { useDirectory, visibilityComplete } from '../access/useDirectory';
import { PersonPicker } from '../tasks/PersonPicker';

interface Props {
  /** The day the form starts on (`YYYY-MM-DD`). */
  day: string;
  onSaved(title: string, start: string): void;
  onCancel(): void;
}

export function EventForm({ day, onSaved, onCancel }: Props) {
  const { t } = useTranslation();
  const session = useOpenSession();
  const directory = useDirectory();
  const [kind, setKind] = useState<EventKind>('meeting');
  const [title, setTitle] = useState('');
  const [place, setPlace] = useState('');
  const [description, setDescription] = useState('');
  const [dayText, setDayText] = useState(typedDateOf(day));
  const [time, setTime] = useState('14:00');
  const [minutes, setMinutes] = useState('60');
  const [every, setEvery] = useState('0');
  const [until, setUntil] = useState('');
  const [person, setPerson] = useState<{ id: string | null; name: string | null }>({ id: null, name: null });
  const [userIds, setUserIds] = useState<string[]>([session.user.id]);
  const [visibility, setVisibility] = useState<Visibility>(EVERYONE);
  const [dayError, setDayError] = useState<string | null>(null);
  const { busy, error, setError, run, check, fieldErrors, formRef } = useSubmit(['kind', 'title', 'place', 'description', 'start', 'minutes', 'until', 'personIds', 'userIds']);
  const people = [{ id: session.user.id, name: session.user.displayName || session.user.name }, ...(directory.users ?? [])];

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setError(null);
    const d = readTypedDate(dayText, t('agenda.fields.day'), t);
    setDayError(d.error ?? (d.iso ? null : t('agenda.dayNeeded')));
    if (!d.iso) return;
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return setError(t('agenda.timeNeeded'));
    let recurrence: { everyWeeks: number; until: string | null } | null = null;
    if (every !== '0') {
      const u = readTypedDate(until, t('agenda.fields.until'), t);
      if (u.error) return setError(u.error);
      recurrence = { everyWeeks: Number(every), until: u.iso };
    }
    const start = `${d.iso}T${time}`;
    const input = { kind, title, place: place || null, description: description || null, start, minutes: Number(minutes), recurrence, personIds: person.id ? [person.id] : [], userIds, visibility };
    if (!check(eventInput, input)) return;
    if (!visibilityComplete(visibility)) return setError(t('visibility.chooseSomeone'));
    await run(async () => {
      await invoke('agenda:create', { event: input });
      onSaved(title, start);
    });
  }

  return (
    <form ref={formRef} className="card stack agenda-form" onSubmit={(e) => void submit(e)} aria-labelledby="event-form-title" noValidate>
      <h2 id="event-form-title" tabIndex={-1}>
        {t('agenda.newTitle')}
      </h2>
      <div className="grid-4">
        <SelectField label={t('agenda.fields.kind')} value={kind} onChange={(e) => setKind(e.target.value as EventKind)} error={fieldErrors.kind}>
          {EVENT_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`agenda.kinds.${k}`)}
            </option>
          ))}
        </SelectField>
        <TextField label={t('agenda.fields.title')} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={300} error={fieldErrors.title} required autoFocus autoComplete="off" />
        <TextField label={t('agenda.fields.place')} value={place} onChange={(e) => setPlace(e.target.value)} maxLength={300} error={fieldErrors.place} autoComplete="off" />
      </div>
      <div className="grid-4">
        <DateField label={t('agenda.fields.day')} value={dayText} onChange={setDayText} error={dayError ?? fieldErrors.start} />
        <TextField label={t('agenda.fields.time')} hint={t('agenda.timeHint')} inputMode="numeric" maxLength={5} value={time} onChange={(e) => setTime(e.target.value)} />
        <TextField label={t('agenda.fields.minutes')} inputMode="numeric" value={minutes} onChange={(e) => setMinutes(e.target.value)} error={fieldErrors.minutes} />
      </div>
      <div className="grid-4">
        <SelectField label={t('agenda.fields.repeat')} value={every} onChange={(e) => setEvery(e.target.value)}>
          <option value="0">{t('agenda.repeat.none')}</option>
          <option value="1">{t('agenda.repeat.weekly')}</option>
          <option value="2">{t('agenda.repeat.two')}</option>
          <option value="4">{t('agenda.repeat.four')}</option>
        </SelectField>
        {every !== '0' ? <DateField label={t('agenda.fields.until')} value={until} onChange={setUntil} error={fieldErrors.until} /> : null}
      </div>
      <TextAreaField label={t('agenda.fields.description')} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={5000} rows={2} error={fieldErrors.description} />
      <PersonPicker label={t('agenda.fields.person')} value={person.id} valueName={person.name} onChange={(id, name) => setPerson({ id, name })} />
      <GroupChecklist legend={t('agenda.fields.users')} items={people} selected={userIds} onChange={setUserIds} emptyText={t('agenda.noUsers')} error={fieldErrors.userIds} />
      <VisibilityPicker value={visibility} onChange={setVisibility} groups={directory.groups} users={directory.users} myGroupIds={directory.myGroupIds} />
      <ErrorAlert>{error}</ErrorAlert>
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {t('agenda.create')}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

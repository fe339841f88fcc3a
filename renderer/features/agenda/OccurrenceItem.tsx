/**
 * One occurrence in the agenda: times (Europe/Paris), kind in words, title, place, people and users, « série » /
 * « déplacée » in words; for an agenda event and a user with `agenda.write`, « Déplacer » (a new day and time for
 * this occurrence only) and, in a series, « Annuler cette fois ».
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Occurrence } from '../../../shared/domain/agenda';
import { typedDateOf } from '../../../shared/domain/dates';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { ErrorAlert } from '../../components/Alert';
import { Badge } from '../../components/Badge';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DateField, readTypedDate } from '../../components/DateField';
import { TextField } from '../../components/Field';
import { dateTimeOf, timeOf } from './calendar';

interface Props {
  item: Occurrence;
  canWrite: boolean;
  /** Compact (month grid): time and title only. */
  compact?: boolean;
  onChanged(): void;
}

export function OccurrenceItem({ item, canWrite, compact = false, onChanged }: Props) {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const [moving, setMoving] = useState(false);
  const [dayText, setDayText] = useState(typedDateOf(item.startLocal.slice(0, 10)));
  const [time, setTime] = useState(item.startLocal.slice(11, 16));
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const when = `${timeOf(item.start)}–${timeOf(item.end)}`;
  const title = `${t(`agenda.kinds.${item.kind}`)} · ${item.title}`;
  if (compact) {
    return (
      <span className={`agenda-chip kind-${item.kind}`} title={`${when} ${title}`}>
        <span className="agenda-time">{timeOf(item.start)}</span> {item.title}
      </span>
    );
  }

  async function move(e: FormEvent) {
    e.preventDefault();
    const d = readTypedDate(dayText, t('agenda.fields.day'), t);
    if (d.error || !d.iso) return setError(d.error ?? t('agenda.dayNeeded'));
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return setError(t('agenda.timeNeeded'));
    try {
      await invoke('agenda:moveOccurrence', { id: item.id, occurrence: item.occurrence, start: `${d.iso}T${time}` });
      announce(t('agenda.moved', { when: dateTimeOf(`${d.iso}T${time}`) }));
      setMoving(false);
      onChanged();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function cancel() {
    try {
      await invoke('agenda:cancelOccurrence', { id: item.id, occurrence: item.occurrence });
      announce(t('agenda.cancelledOnce', { when: dateTimeOf(item.occurrence) }));
      onChanged();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function remove() {
    try {
      await invoke('agenda:remove', { id: item.id });
      setRemoving(false);
      announce(t('agenda.removed', { title: item.title }));
      onChanged();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  const editable = canWrite && item.source === 'event';
  return (
    <article className={`agenda-item kind-${item.kind}`} aria-label={`${when} ${title}`}>
      <div className="agenda-item-head">
        <span className="agenda-time">{when}</span>
        <Badge tone={item.kind === 'visit' ? 'volunteer' : 'neutral'}>{t(`agenda.kinds.${item.kind}`)}</Badge>
        <strong>{item.title}</strong>
        {item.recurring ? <span className="muted">{t('agenda.series')}</span> : null}
        {item.moved ? <span className="muted">{t('agenda.movedFrom', { when: dateTimeOf(item.occurrence) })}</span> : null}
        {item.visitStatus && item.visitStatus !== 'planned' ? <span className="muted">{t(`visits.status.${item.visitStatus}`)}</span> : null}
      </div>
      {item.place ? <div>{t('agenda.at', { place: item.place })}</div> : null}
      {item.people.length || item.users.length ? <div className="muted">{t('agenda.with', { names: [...item.people, ...item.users].map((p) => p.name).join(', ') })}</div> : null}
      {editable && !moving ? (
        <div className="actions">
          <button type="button" className="button secondary small" onClick={() => setMoving(true)} aria-label={t('agenda.moveLabel', { title: item.title, when: dateTimeOf(item.startLocal) })}>
            {t('agenda.move')}
          </button>
          {item.recurring ? (
            <button type="button" className="button secondary small" onClick={() => void cancel()} aria-label={t('agenda.cancelOnceLabel', { title: item.title, when: dateTimeOf(item.startLocal) })}>
              {t('agenda.cancelOnce')}
            </button>
          ) : null}
          <button type="button" className="button secondary small" onClick={() => setRemoving(true)} aria-label={t('agenda.removeLabel', { title: item.title })}>
            {t('agenda.remove')}
          </button>
        </div>
      ) : null}
      {removing ? (
        <ConfirmDialog title={t('agenda.removeTitle', { title: item.title })} confirmLabel={t('agenda.remove')} onConfirm={() => void remove()} onCancel={() => setRemoving(false)}>
          <p>{item.recurring ? t('agenda.removeSeries') : t('agenda.removeOnce')}</p>
        </ConfirmDialog>
      ) : null}
      {moving ? (
        <form className="agenda-move" onSubmit={(e) => void move(e)} aria-label={t('agenda.moveLabel', { title: item.title, when: dateTimeOf(item.startLocal) })} noValidate>
          <DateField label={t('agenda.fields.newDay')} value={dayText} onChange={setDayText} />
          <TextField label={t('agenda.fields.newTime')} hint={t('agenda.timeHint')} inputMode="numeric" maxLength={5} value={time} onChange={(e) => setTime(e.target.value)} />
          <button type="submit" className="button primary small">
            {t('agenda.moveSave')}
          </button>
          <button type="button" className="button secondary small" onClick={() => setMoving(false)}>
            {t('common.cancel')}
          </button>
        </form>
      ) : null}
      <ErrorAlert>{error}</ErrorAlert>
    </article>
  );
}

/**
 * Weekly availability as rows « jour, de, à »: a select and two times typed HH:MM (24 h, whatever the browser's
 * language) per row, a button to add a row and one to
 * remove each (keyboard only: Tab between them). Presentational: the caller keeps the rows.
 */
import { useTranslation } from 'react-i18next';
import type { AvailabilitySlot } from '../../../shared/domain/volunteers';
import { weekdayName } from './time';

interface Props {
  slots: AvailabilitySlot[];
  onChange(slots: AvailabilitySlot[]): void;
}

export function AvailabilityEditor({ slots, onChange }: Props) {
  const { t, i18n } = useTranslation();
  const set = (i: number, change: Partial<AvailabilitySlot>) => onChange(slots.map((s, j) => (j === i ? { ...s, ...change } : s)));
  return (
    <fieldset className="availability">
      <legend>{t('volunteers.availability')}</legend>
      {slots.length === 0 ? <p className="muted">{t('volunteers.noAvailability')}</p> : null}
      {slots.map((s, i) => (
        <div className="availability-row" key={i}>
          <label>
            <span className="visually-hidden">{t('volunteers.slotDay', { n: i + 1 })}</span>
            <select value={s.weekday} onChange={(e) => set(i, { weekday: Number(e.target.value) })}>
              {[1, 2, 3, 4, 5, 6, 7].map((d) => (
                <option key={d} value={d}>
                  {weekdayName(d, i18n.language)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('volunteers.from')}
            <input type="text" inputMode="numeric" maxLength={5} size={6} value={s.start} onChange={(e) => set(i, { start: e.target.value })} aria-label={t('volunteers.slotStart', { n: i + 1 })} />
          </label>
          <label>
            {t('volunteers.to')}
            <input type="text" inputMode="numeric" maxLength={5} size={6} value={s.end} onChange={(e) => set(i, { end: e.target.value })} aria-label={t('volunteers.slotEnd', { n: i + 1 })} />
          </label>
          <button type="button" className="button" onClick={() => onChange(slots.filter((_, j) => j !== i))}>
            {t('volunteers.removeSlot', { n: i + 1 })}
          </button>
        </div>
      ))}
      <button type="button" className="button" onClick={() => onChange([...slots, { weekday: 1, start: '14:00', end: '18:00' }])}>
        {t('volunteers.addSlot')}
      </button>
    </fieldset>
  );
}

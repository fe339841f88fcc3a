/**
 * The agenda's day, week and month views. Day and week: one list per day (a heading per day, then its occurrences in
 * time order). Month: a table of weeks (Monday first) whose cells name their day and list the occurrences briefly;
 * a day's heading button opens that day. Nothing is told by colour alone: each occurrence carries its kind in words.
 */
import { useTranslation } from 'react-i18next';
import type { Occurrence } from '../../../shared/domain/agenda';
import { byDay, daysOf, longDay, today, weekdayNames } from './calendar';
import { OccurrenceItem } from './OccurrenceItem';

interface Props {
  from: string;
  to: string;
  items: readonly Occurrence[];
  canWrite: boolean;
  onChanged(): void;
  onOpenDay(day: string): void;
}

/** Day and week views: a section per day. */
export function DayList({ from, to, items, canWrite, onChanged }: Omit<Props, 'onOpenDay'>) {
  const { t, i18n } = useTranslation();
  const groups = byDay(items);
  return (
    <div className="agenda-days">
      {daysOf(from, to).map((d) => (
        <section key={d} className={`agenda-day${d === today() ? ' is-today' : ''}`} aria-labelledby={`day-${d}`}>
          {/* In the day view the period's title already names the day: the heading stays for screen readers only. */}
          <h3 id={`day-${d}`} className={from === to ? 'visually-hidden' : undefined}>
            {longDay(d, i18n.language)}
            {d === today() ? <span className="muted"> · {t('agenda.today')}</span> : null}
          </h3>
          {(groups.get(d) ?? []).length === 0 ? <p className="muted">{t('agenda.nothing')}</p> : null}
          <ul className="agenda-list">
            {(groups.get(d) ?? []).map((o) => (
              <li key={`${o.source}-${o.id}-${o.occurrence}`}>
                <OccurrenceItem item={o} canWrite={canWrite} onChanged={onChanged} />
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

/** Month view: a table of whole weeks. */
export function MonthTable({ from, to, items, onOpenDay }: Props) {
  const { t, i18n } = useTranslation();
  const groups = byDay(items);
  const days = daysOf(from, to);
  const weeks: string[][] = [];
  for (let i = 0; i < days.length; i += 7) weeks.push(days.slice(i, i + 7));
  const month = days[10]!.slice(0, 7);
  return (
    <table className="agenda-month">
      <caption className="visually-hidden">{t('agenda.monthCaption')}</caption>
      <thead>
        <tr>
          {weekdayNames(i18n.language).map((n) => (
            <th key={n} scope="col">
              {n}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeks.map((w) => (
          <tr key={w[0]}>
            {w.map((d) => {
              const list = groups.get(d) ?? [];
              return (
                <td key={d} className={`${d.slice(0, 7) === month ? '' : 'is-other-month'}${d === today() ? ' is-today' : ''}`}>
                  <button type="button" className="link-button agenda-daynum" onClick={() => onOpenDay(d)} aria-label={t('agenda.openDay', { day: longDay(d, i18n.language), count: list.length })}>
                    {Number(d.slice(8, 10))}
                  </button>
                  <ul className="agenda-chips">
                    {list.slice(0, 4).map((o) => (
                      <li key={`${o.source}-${o.id}-${o.occurrence}`}>
                        <OccurrenceItem item={o} canWrite={false} compact onChanged={() => undefined} />
                      </li>
                    ))}
                    {list.length > 4 ? <li className="muted">{t('agenda.more', { count: list.length - 4 })}</li> : null}
                  </ul>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

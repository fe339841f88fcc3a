/**
 * « Agenda » (`agenda.read`; docs/agenda.md): day, week and month views of the events and of the rota's visits,
 * « Tout l'agenda » or « Mon agenda » (what names the current user, and their own visits), moving between periods,
 * « Nouvel événement » (`agenda.write`) and the iCalendar export of « Mon agenda » or of a support circle's plan
 * (`volunteers.read`): a file any calendar application opens.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Occurrence } from '../../../shared/domain/agenda';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useDataVersion } from '../../app/dataVersion';
import { downloadBytes } from '../../app/download';
import { useCan } from '../../app/session';
import { ErrorAlert } from '../../components/Alert';
import { SelectField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { DayList, MonthTable } from './AgendaViews';
import { dateTimeOf, rangeOf, shift, today, VIEWS, viewTitle, type View } from './calendar';
import { EventForm } from './EventForm';
import './agenda.css';

export function AgendaPage({ mine: initialMine = false }: { mine?: boolean }) {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const { announce } = useAnnouncer();
  const version = useDataVersion();
  const [view, setView] = useState<View>('week');
  const [anchor, setAnchor] = useState(today());
  const [mine, setMine] = useState(initialMine);
  const [items, setItems] = useState<Occurrence[]>([]);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [circles, setCircles] = useState<{ id: string; name: string }[]>([]);
  const [circleId, setCircleId] = useState('');
  const range = rangeOf(view, anchor);
  const seesCircles = can('volunteers.read');

  const load = useCallback(async () => {
    try {
      setItems((await invoke('agenda:list', { from: range.from, to: range.to, mine })).items);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [range.from, range.to, mine]);
  useEffect(() => void load(), [load, version]);
  useEffect(() => {
    if (!seesCircles) return;
    invoke('circles:list', {}).then(
      (r) => setCircles(r.items.map((c) => ({ id: c.id, name: c.name }))),
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [seesCircles, version]);

  async function exportIcs(circle?: string) {
    try {
      const r = await invoke('agenda:exportIcs', circle ? { circleId: circle } : {});
      downloadBytes(new TextEncoder().encode(r.ics), r.fileName, 'text/calendar');
      announce(t('agenda.exported', { count: r.events }));
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  const title = viewTitle(view, anchor, i18n.language, t);
  return (
    <div className="agenda-page">
      <PageHeader
        title={mine ? t('agenda.mineTitle') : t('agenda.title')}
        actions={
          <>
            <button type="button" className="button secondary" onClick={() => void exportIcs()}>
              {t('agenda.export')}
            </button>
            {can('agenda.write') ? (
              <button type="button" className="button primary" onClick={() => setCreating(true)} disabled={creating}>
                {t('agenda.new')}
              </button>
            ) : null}
          </>
        }
      />
      <ErrorAlert>{error}</ErrorAlert>
      {creating ? (
        <EventForm
          day={anchor}
          onCancel={() => setCreating(false)}
          onSaved={(name, start) => {
            setCreating(false);
            announce(t('agenda.created', { title: name, when: dateTimeOf(start) }));
            setAnchor(start.slice(0, 10));
            void load();
          }}
        />
      ) : null}
      <div className="card agenda-toolbar">
        <div className="agenda-toggle" role="group" aria-label={t('agenda.whose')}>
          <button type="button" className="button secondary small" aria-pressed={!mine} onClick={() => setMine(false)}>
            {t('agenda.all')}
          </button>
          <button type="button" className="button secondary small" aria-pressed={mine} onClick={() => setMine(true)}>
            {t('agenda.mine')}
          </button>
        </div>
        <div className="agenda-toggle" role="group" aria-label={t('agenda.viewLabel')}>
          {VIEWS.map((v) => (
            <button key={v} type="button" className="button secondary small" aria-pressed={view === v} onClick={() => setView(v)}>
              {t(`agenda.views.${v}`)}
            </button>
          ))}
        </div>
        <div className="agenda-toggle" role="group" aria-label={t('agenda.periodLabel')}>
          <button type="button" className="button secondary small" onClick={() => setAnchor(shift(view, anchor, -1))} aria-label={t(`agenda.previous.${view}`)}>
            ‹
          </button>
          <button type="button" className="button secondary small" onClick={() => setAnchor(today())}>
            {t('agenda.today')}
          </button>
          <button type="button" className="button secondary small" onClick={() => setAnchor(shift(view, anchor, 1))} aria-label={t(`agenda.next.${view}`)}>
            ›
          </button>
        </div>
      </div>
      {circles.length > 0 ? (
        <form
          className="card agenda-toolbar"
          aria-label={t('agenda.circleExport')}
          onSubmit={(e) => {
            e.preventDefault();
            if (circleId) void exportIcs(circleId);
            else setError(t('agenda.chooseCircle'));
          }}
          noValidate
        >
          <SelectField label={t('agenda.circle')} value={circleId} onChange={(e) => setCircleId(e.target.value)}>
            <option value="">{t('agenda.noCircle')}</option>
            {circles.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
          <button type="submit" className="button secondary">
            {t('agenda.circleExport')}
          </button>
        </form>
      ) : null}
      <section className="card" aria-labelledby="agenda-period" aria-live="polite">
        <h2 id="agenda-period">{title}</h2>
        <p className="muted">{t('agenda.count', { count: items.length })}</p>
        {view === 'month' ? (
          <MonthTable
            from={range.from}
            to={range.to}
            items={items}
            canWrite={can('agenda.write')}
            onChanged={() => void load()}
            onOpenDay={(d) => {
              setAnchor(d);
              setView('day');
            }}
          />
        ) : (
          <DayList from={range.from} to={range.to} items={items} canWrite={can('agenda.write')} onChanged={() => void load()} />
        )}
      </section>
    </div>
  );
}

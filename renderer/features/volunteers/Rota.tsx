/**
 * The rota of the coming weeks: visits and gaps in time order. A gap is shown with an icon, the words « Trou » and its
 * length, and a dashed border (the colour is never the only sign); it opens the volunteers proposed for it. A visit can
 * be marked done (time spent, short note sealed to the circle), missed or cancelled by coordination or by its own
 * volunteer (the core decides; docs/volunteers.md).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Gap, Proposal, Visit } from '../../../shared/domain/volunteers';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { ErrorAlert } from '../../components/Alert';
import { TextField } from '../../components/Field';
import { formatDay, formatInstant, localOf } from './time';

interface Props {
  personId: string;
  visits: Visit[];
  gaps: Gap[];
  canManage: boolean;
  canWrite: boolean;
  /** The current user's volunteer person id, when they have a profile. */
  ownVolunteer: string | null;
  onChanged(): void;
}

type Entry = { kind: 'visit'; at: string; visit: Visit } | { kind: 'gap'; at: string; gap: Gap };

export function Rota({ personId, visits, gaps, canManage, canWrite, ownVolunteer, onChanged }: Props) {
  const { t, i18n } = useTranslation();
  const { announce } = useAnnouncer();
  const [open, setOpen] = useState<string | null>(null);
  const [proposals, setProposals] = useState<Proposal[] | null>(null);
  const [marking, setMarking] = useState<{ id: string; minutes: string; note: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const entries: Entry[] = [...visits.map((v): Entry => ({ kind: 'visit', at: v.start, visit: v })), ...gaps.map((g): Entry => ({ kind: 'gap', at: new Date(g.from).toISOString(), gap: g }))].sort(
    (a, b) => a.at.localeCompare(b.at) || (a.kind === 'visit' ? -1 : 1),
  );

  async function act(work: () => Promise<unknown>, message: string) {
    try {
      await work();
      announce(message);
      setError(null);
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  async function showProposals(g: Gap) {
    setOpen(g.from);
    setProposals(null);
    try {
      setProposals((await invoke('visits:proposals', { personId, from: g.from, to: g.to })).items);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  const mine = (v: Visit) => canManage || (canWrite && ownVolunteer !== null && v.volunteerId === ownVolunteer);
  return (
    <>
      <ErrorAlert>{error}</ErrorAlert>
      {visits.length === 0 ? <p className="muted">{t('visits.nothing')}</p> : null}
      <ul className="rota">
        {entries.map((e) =>
          e.kind === 'gap' ? (
            <li key={`gap-${e.gap.from}`} className="rota-gap">
              <span className="rota-gap-icon" aria-hidden="true">
                ⚠
              </span>
              <strong>{t('visits.gap', { hours: Math.round(e.gap.hours) })}</strong> {t('visits.gapRange', { from: formatInstant(e.gap.from), to: formatInstant(e.gap.to) })}{' '}
              <button type="button" className="button" aria-expanded={open === e.gap.from} onClick={() => void showProposals(e.gap)}>
                {t('visits.showProposals')}
              </button>
              {open === e.gap.from ? (
                proposals === null ? (
                  <p className="muted">{t('visits.loading')}</p>
                ) : proposals.length === 0 ? (
                  <p>{t('visits.noProposal')}</p>
                ) : (
                  <ul className="proposals" aria-label={t('visits.proposalsOf', { from: formatInstant(e.gap.from) })}>
                    {proposals.map((p) => (
                      <li key={p.personId}>
                        <span>
                          <strong>{p.name}</strong> · {formatDay(p.at, i18n.language)} {formatInstant(p.at).slice(11)} · {p.skills.join(', ') || '—'}
                          {p.area ? ` · ${p.area}` : ''} · {t('visits.plannedHours', { hours: Math.round(p.plannedMinutes / 6) / 10 })}
                        </span>
                        {canManage ? (
                          <button type="button" className="button primary" onClick={() => void act(() => invoke('visits:plan', { personId, volunteerId: p.personId, at: localOf(p.at) }), t('visits.filled', { name: p.name }))}>
                            {t('visits.planWith', { name: p.name })}
                          </button>
                        ) : canWrite && p.personId === ownVolunteer ? (
                          <button type="button" className="button primary" onClick={() => void act(() => invoke('visits:take', { personId, at: localOf(p.at) }), t('visits.taken'))}>
                            {t('visits.take')}
                          </button>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                )
              ) : null}
            </li>
          ) : (
            <li key={e.visit.id} className={`rota-visit is-${e.visit.status}`}>
              <span className="rota-when">
                {formatDay(e.visit.start, i18n.language)} {formatInstant(e.visit.start).slice(11)}
              </span>
              <span>{e.visit.volunteerName ?? t('visits.noVolunteer')}</span>
              <span>{t('visits.length', { minutes: e.visit.minutes })}</span>
              <span className={`badge badge-${e.visit.status === 'done' ? 'success' : e.visit.status === 'planned' ? 'neutral' : 'danger'}`}>{t(`visits.status.${e.visit.status}`)}</span>
              {e.visit.seriesId ? <span className="muted">{e.visit.originalStart ? t('visits.moved') : t('visits.series')}</span> : null}
              {e.visit.note ? <span className="muted">« {e.visit.note} »</span> : e.visit.noteSealed ? <span className="muted">{t('visits.noteSealed')}</span> : null}
              {e.visit.status === 'planned' && mine(e.visit) ? (
                marking?.id === e.visit.id ? (
                  <span className="volunteer-row">
                    <TextField label={t('visits.minutesSpent')} inputMode="numeric" value={marking.minutes} onChange={(x) => setMarking({ ...marking, minutes: x.target.value })} />
                    <TextField label={t('visits.note')} value={marking.note} maxLength={2000} onChange={(x) => setMarking({ ...marking, note: x.target.value })} />
                    <button
                      type="button"
                      className="button primary"
                      onClick={() => {
                        const m = marking;
                        setMarking(null);
                        void act(() => invoke('visits:done', { id: m.id, minutesSpent: /^\d+$/.test(m.minutes) ? Number(m.minutes) : undefined, note: m.note || undefined }), t('visits.markedDone'));
                      }}
                    >
                      {t('visits.saveDone')}
                    </button>
                  </span>
                ) : (
                  <>
                    <button type="button" className="button" onClick={() => setMarking({ id: e.visit.id, minutes: String(e.visit.minutes), note: '' })}>
                      {t('visits.markDone')}
                    </button>
                    <button type="button" className="button" onClick={() => void act(() => invoke('visits:missed', { id: e.visit.id }), t('visits.markedMissed'))}>
                      {t('visits.markMissed')}
                    </button>
                    <button type="button" className="button" onClick={() => void act(() => invoke('visits:cancel', { id: e.visit.id }), t('visits.cancelled'))}>
                      {t('visits.cancel')}
                    </button>
                  </>
                )
              ) : null}
            </li>
          ),
        )}
      </ul>
    </>
  );
}

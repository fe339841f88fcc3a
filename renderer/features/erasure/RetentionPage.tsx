/**
 * « Règles de conservation » (administrators, `users.manage`; docs/erasure.md "Retention"): the association's periods
 * (people without activity, papers expired, audit entries), and the monthly review of what they propose — people to
 * archive or erase (each opens their page, where « Effacer » asks for confirmation), papers expired. Nothing is
 * erased from this screen without a click on the person's page. Opening it records the monthly review (synced).
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RetentionReview, RetentionRules } from '../../../shared/domain/erasure';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useDataVersion } from '../../app/dataVersion';
import { formatDate } from '../../app/format';
import { useRouter } from '../../app/router';
import { ErrorAlert, Notice } from '../../components/Alert';
import { TextField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import './erasure.css';

type Draft = Record<keyof RetentionRules, string>;
const toDraft = (r: RetentionRules): Draft => ({ peopleInactiveYears: String(r.peopleInactiveYears), papersExpiredMonths: String(r.papersExpiredMonths), auditYears: String(r.auditYears) });

export function RetentionPage() {
  const { t, i18n } = useTranslation();
  const { announce } = useAnnouncer();
  const { navigate } = useRouter();
  const [review, setReview] = useState<RetentionReview | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<keyof RetentionRules, string>>>({});
  const version = useDataVersion();
  const marked = useRef(false);

  const load = useCallback(async () => {
    try {
      const r = await invoke('retention:review', {});
      setReview(r);
      // Seen once per visit: the shell's monthly notice (RetentionStatusLine) goes away for 30 days.
      if (!marked.current) {
        marked.current = true;
        await invoke('retention:markReviewed', {});
      }
      setDraft((d) => d ?? toDraft(r.rules));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load, version]);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!draft) return;
    const errors: Partial<Record<keyof RetentionRules, string>> = {};
    const rules = {} as RetentionRules;
    for (const key of Object.keys(draft) as (keyof RetentionRules)[]) {
      const v = draft[key].trim();
      if (!/^\d+$/.test(v) || Number(v) < 1) errors[key] = t('retention.wholeNumber');
      rules[key] = Number(v);
    }
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;
    try {
      const saved = await invoke('retention:saveRules', rules);
      setDraft(toDraft(saved));
      announce(t('retention.saved'));
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  const field = (key: keyof RetentionRules, unit: 'years' | 'months') =>
    draft ? (
      <TextField
        label={t(`retention.rules.${key}`)}
        hint={t(`retention.unit.${unit}`)}
        inputMode="numeric"
        value={draft[key]}
        error={fieldErrors[key] ?? null}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
      />
    ) : null;
  const d = (iso: string) => formatDate(iso, i18n.language);

  return (
    <div className="retention-page">
      <PageHeader title={t('retention.title')} />
      <p className="muted">{t('retention.intro')}</p>
      <ErrorAlert>{error}</ErrorAlert>
      <form className="card stack" onSubmit={(e) => void save(e)} aria-labelledby="retention-rules-title" noValidate>
        <h2 id="retention-rules-title">{t('retention.rulesTitle')}</h2>
        <div className="retention-fields">
          {field('peopleInactiveYears', 'years')}
          {field('papersExpiredMonths', 'months')}
          {field('auditYears', 'years')}
        </div>
        <div className="actions">
          <button type="submit" className="button primary">
            {t('retention.save')}
          </button>
        </div>
      </form>
      {review ? (
        <>
          <section className="card" aria-labelledby="retention-people-title">
            <h2 id="retention-people-title">{t('retention.peopleTitle', { count: review.people.length, years: review.rules.peopleInactiveYears })}</h2>
            {review.people.length === 0 ? (
              <p className="muted">{t('retention.nobody')}</p>
            ) : (
              <div className="table-wrap">
                <table className="data-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('retention.person')}</th>
                      <th scope="col">{t('retention.lastActivity')}</th>
                      <th scope="col">{t('retention.state')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {review.people.map((p) => (
                      <tr key={p.id}>
                        <td>
                          <button type="button" className="link-button" onClick={() => navigate({ name: 'person', id: p.id })}>
                            {`${p.firstName} ${p.lastName}`.trim() || t('people.noName')}
                          </button>
                        </td>
                        <td>{d(p.lastActivity)}</td>
                        <td>{p.archived ? t('retention.archived') : t('retention.active')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section className="card" aria-labelledby="retention-papers-title">
            <h2 id="retention-papers-title">{t('retention.papersTitle', { count: review.papers.length, months: review.rules.papersExpiredMonths })}</h2>
            {review.papers.length === 0 ? (
              <p className="muted">{t('retention.noPaper')}</p>
            ) : (
              <ul className="plain-list">
                {review.papers.map((p) => (
                  <li key={p.id}>
                    <button type="button" className="link-button" onClick={() => navigate({ name: 'person', id: p.personId, openedDocument: p.id })}>
                      {t(`documentTypes.${p.type}`, { defaultValue: p.type })}
                    </button>
                    <span className="muted"> · {t('retention.expiredOn', { date: d(p.expiresOn) })}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <Notice tone="info">{t('retention.audit', { count: review.auditEntriesBeyond, years: review.rules.auditYears })}</Notice>
        </>
      ) : null}
    </div>
  );
}

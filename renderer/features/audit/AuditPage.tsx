/**
 * The audit trail (`audit.read`): filters (user, action, dates), a paged table (date, user, action in words, target)
 * and « Vérifier l'intégrité » (`audit:verify`: the first broken link of the hash chain, if any).
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { AUDIT_ACTIONS, type AuditAction, type AuditEntry, type AuditVerifyReport } from '../../../shared/domain/audit';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useDataVersion } from '../../app/dataVersion';
import { ErrorAlert, Notice } from '../../components/Alert';
import { DateField, readTypedDate } from '../../components/DateField';
import { SelectField, TextField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { auditActionLabel } from '../access/permissionLabel';
import { AuditTable } from './AuditTable';
import './audit.css';

const PAGE = 50;

/** The filter as applied (dates ISO) or as typed in the form (dates jj/mm/aaaa). */
interface Filter {
  actorName: string;
  action: AuditAction | '';
  from: string;
  to: string;
}
const NO_FILTER: Filter = { actorName: '', action: '', from: '', to: '' };

export function AuditPage() {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const [draft, setDraft] = useState<Filter>(NO_FILTER);
  const [filter, setFilter] = useState<Filter>(NO_FILTER);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ items: AuditEntry[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dateErrors, setDateErrors] = useState<{ from: string | null; to: string | null }>({ from: null, to: null });
  const [report, setReport] = useState<AuditVerifyReport | null>(null);
  const version = useDataVersion();

  const load = useCallback(() => {
    const f = filter;
    invoke('audit:list', {
      actorName: f.actorName || undefined,
      action: f.action || undefined,
      from: f.from || undefined,
      to: f.to || undefined,
      limit: PAGE,
      offset,
    })
      .then((r) => {
        setPage(r);
        setError(null);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [filter, offset]);
  useEffect(load, [load, version]);

  function apply(e: FormEvent) {
    e.preventDefault();
    const from = readTypedDate(draft.from, t('audit.from'), t);
    const to = readTypedDate(draft.to, t('audit.to'), t);
    setDateErrors({ from: from.error, to: to.error });
    if (from.error || to.error) return;
    setOffset(0);
    setFilter({ ...draft, from: from.iso ?? '', to: to.iso ?? '' });
  }

  async function verify() {
    setReport(null);
    try {
      const r = await invoke('audit:verify', {});
      setReport(r);
      announce(r.ok ? t('audit.intact', { count: r.entries }) : t('audit.broken', { n: r.firstBadEntry ?? '?' }));
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  const set = <K extends keyof Filter>(k: K, v: Filter[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const total = page?.total ?? 0;
  return (
    <div className="audit-page">
      <PageHeader
        title={t('audit.title')}
        actions={
          <button type="button" className="button primary" onClick={() => void verify()}>
            {t('audit.verify')}
          </button>
        }
      >
        <p className="muted">{t('audit.intro')}</p>
      </PageHeader>
      {report?.ok ? <Notice tone="success">{t('audit.intact', { count: report.entries })}</Notice> : null}
      {report && !report.ok ? <ErrorAlert>{t('audit.broken', { n: report.firstBadEntry ?? '?' })}</ErrorAlert> : null}
      <ErrorAlert>{error}</ErrorAlert>
      <form className="card audit-filters" onSubmit={apply} aria-labelledby="audit-filter-title" noValidate>
        <h2 id="audit-filter-title" className="visually-hidden">
          {t('audit.filters')}
        </h2>
        <div className="grid-4">
          <TextField label={t('audit.user')} value={draft.actorName} onChange={(e) => set('actorName', e.target.value)} autoComplete="off" spellCheck={false} />
          <SelectField label={t('audit.action')} value={draft.action} onChange={(e) => set('action', e.target.value as AuditAction | '')}>
            <option value="">{t('audit.allActions')}</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {auditActionLabel(t, a)}
              </option>
            ))}
          </SelectField>
          <DateField label={t('audit.from')} value={draft.from} onChange={(v) => set('from', v)} error={dateErrors.from} />
          <DateField label={t('audit.to')} value={draft.to} onChange={(v) => set('to', v)} error={dateErrors.to} />
        </div>
        <div className="actions">
          <button type="submit" className="button primary">
            {t('audit.apply')}
          </button>
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              setDraft(NO_FILTER);
              setFilter(NO_FILTER);
              setOffset(0);
            }}
          >
            {t('audit.reset')}
          </button>
        </div>
      </form>
      {page ? (
        <section className="card" aria-labelledby="audit-list-title">
          <h2 id="audit-list-title">{t('audit.entries', { count: total })}</h2>
          <AuditTable items={page.items} />
          <nav className="pager" aria-label={t('audit.pager')}>
            <button type="button" className="button secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              {t('audit.previous')}
            </button>
            <p className="pager-position">{t('audit.position', { from: total ? offset + 1 : 0, to: Math.min(offset + PAGE, total), total })}</p>
            <button type="button" className="button secondary" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
              {t('audit.next')}
            </button>
          </nav>
        </section>
      ) : null}
    </div>
  );
}

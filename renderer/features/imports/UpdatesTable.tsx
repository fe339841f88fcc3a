/**
 * The people already stored that an import completes, each field before → after (docs/ui.md « Import wizard »).
 * Before the import each person has a checkbox: unticked, they are left as they are. After it, the same list says
 * who was completed and who was left out. 25 people per page; ticking works on every page.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportFieldValue, ImportUpdate } from '../../../shared/domain/imports';
import { formatDate } from '../../app/format';
import { Pager } from '../../components/Pager';
import { fullName } from '../people/names';

const PAGE = 25;
const DATE_FIELDS = new Set(['birthDate', 'membershipStart', 'membershipEnd']);

interface Props {
  updates: readonly ImportUpdate[];
  /** Before the import: the people unticked, and how to change them. Absent after it (read-only). */
  excluded?: ReadonlySet<string>;
  onExcluded?(next: Set<string>): void;
}

export function UpdatesTable({ updates, excluded, onExcluded }: Props) {
  const { t, i18n } = useTranslation();
  const [page, setPage] = useState(0);
  const editable = !!excluded && !!onExcluded;
  const isOut = (u: ImportUpdate) => (editable ? excluded.has(u.personId) : u.excluded);
  const outCount = updates.filter(isOut).length;

  const show = (field: string, v: ImportFieldValue): string => {
    if (v === null) return t('imports.updates.empty');
    if (Array.isArray(v)) return v.map((k) => t(`kinds.${k}`, { defaultValue: k })).join(', ');
    if (DATE_FIELDS.has(field)) return formatDate(v, i18n.language);
    if (field === 'civility') return t(`person.civility.${v}`, { defaultValue: v });
    return v;
  };
  const fieldLabel = (f: string) => (f === 'kinds' ? t('imports.updates.kinds') : t(`person.fields.${f}`, { defaultValue: f }));
  const toggle = (id: string, on: boolean) => {
    if (!excluded || !onExcluded) return;
    const next = new Set(excluded);
    if (on) next.delete(id);
    else next.add(id);
    onExcluded(next);
  };

  if (updates.length === 0) return null;
  const shown = updates.slice(page * PAGE, (page + 1) * PAGE);
  return (
    <section className="updates stack" aria-labelledby="updates-title" data-testid="import-updates">
      <h3 id="updates-title">{t(editable ? 'imports.updates.titleBefore' : 'imports.updates.titleAfter', { count: updates.length })}</h3>
      <p className="muted">{editable ? t('imports.updates.hint') : t('imports.updates.excludedAfter', { count: outCount })}</p>
      {editable ? (
        <div className="actions">
          <button type="button" className="button secondary" onClick={() => onExcluded(new Set())} disabled={outCount === 0}>
            {t('imports.updates.tickAll')}
          </button>
          <button type="button" className="button secondary" onClick={() => onExcluded(new Set(updates.map((u) => u.personId)))} disabled={outCount === updates.length}>
            {t('imports.updates.untickAll')}
          </button>
          <span aria-live="polite" data-testid="updates-selected">
            {t('imports.updates.selected', { count: updates.length - outCount, total: updates.length })}
          </span>
        </div>
      ) : null}
      <table className="updates-table">
        <thead>
          <tr>
            <th scope="col">{editable ? t('imports.updates.apply') : t('imports.updates.outcome')}</th>
            <th scope="col">{t('imports.updates.person')}</th>
            <th scope="col">{t('imports.updates.changes')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((u) => {
            const name = fullName(u) || t('people.noName');
            return (
              <tr key={u.personId} className={isOut(u) ? 'left-out' : undefined}>
                <td>
                  {editable ? (
                    <input type="checkbox" checked={!isOut(u)} onChange={(e) => toggle(u.personId, e.target.checked)} aria-label={t('imports.updates.applyTo', { name })} />
                  ) : (
                    <span>{isOut(u) ? t('imports.updates.leftOut') : t('imports.updates.done')}</span>
                  )}
                </td>
                <th scope="row">
                  {name}
                  <span className="muted"> · {t('imports.report.line', { line: u.line })}</span>
                </th>
                <td>
                  <ul className="changes">
                    {u.changes.map((c) => (
                      <li key={c.field}>
                        <span className="field-name">{fieldLabel(c.field)}</span> : <span className="before">{show(c.field, c.before)}</span> → <strong className="after">{show(c.field, c.after)}</strong>
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Pager page={page} size={PAGE} total={updates.length} onPage={setPage} label={t('imports.updates.pages')} />
    </section>
  );
}

/** The conflicts as a table: what, field, kept value and date, replaced value and date, « Rétablir » / « Ignorer ». */
import { useTranslation } from 'react-i18next';
import type { ConflictItem } from '../../../shared/contract/sync';
import { Badge } from '../../components/Badge';
import { columnLabel, tableLabel, valueLabel } from './conflictLabels';
import { formatDateTime } from './format';

interface Props {
  items: ConflictItem[];
  /** The conflict being restored or dismissed (its buttons are busy). */
  working: number | null;
  onRestore(item: ConflictItem): void;
  onDismiss(item: ConflictItem): void;
}

export function ConflictsTable({ items, working, onRestore, onDismiss }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <div className="table-wrap">
      <table className="data-table conflicts-table" data-testid="conflicts-table">
        <caption className="visually-hidden">{t('conflicts.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('conflicts.what')}</th>
            <th scope="col">{t('conflicts.field')}</th>
            <th scope="col">{t('conflicts.kept')}</th>
            <th scope="col">{t('conflicts.overwritten')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('common.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => {
            const kind = tableLabel(t, item.table);
            const what = item.label ?? t('conflicts.unnamed', { kind, id: item.rowId.slice(-6) });
            const field = columnLabel(t, item.table, item.column);
            const busy = working === item.id;
            const context = t('conflicts.actionContext', { field, what });
            return (
              <tr key={item.id} className={item.resolvedAt ? 'conflict-resolved' : undefined}>
                <th scope="row">
                  {what}
                  {item.label ? <span className="conflict-kind">{kind}</span> : null}
                </th>
                <td>{field}</td>
                <td>
                  <span className={item.sealed ? 'conflict-value sealed' : 'conflict-value'}>{valueLabel(t, item, item.kept, lang)}</span>
                  <span className="conflict-date">{formatDateTime(item.keptAt, lang)}</span>
                </td>
                <td>
                  <span className={item.sealed ? 'conflict-value sealed' : 'conflict-value'}>{valueLabel(t, item, item.overwritten, lang)}</span>
                  <span className="conflict-date">{formatDateTime(item.overwrittenAt, lang)}</span>
                </td>
                <td>
                  {item.resolvedAt ? (
                    <Badge tone="success">{t('conflicts.resolvedOn', { date: formatDateTime(item.resolvedAt, lang) })}</Badge>
                  ) : (
                    <div className="conflict-actions">
                      <button
                        type="button"
                        id={`conflict-restore-${item.id}`}
                        className="button primary small"
                        aria-disabled={working !== null ? true : undefined}
                        onClick={() => onRestore(item)}
                      >
                        {busy ? t('conflicts.working') : t('conflicts.restore')}
                        <span className="visually-hidden"> {context}</span>
                      </button>
                      <button type="button" className="button secondary small" aria-disabled={working !== null ? true : undefined} onClick={() => onDismiss(item)}>
                        {t('conflicts.dismiss')}
                        <span className="visually-hidden"> {context}</span>
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

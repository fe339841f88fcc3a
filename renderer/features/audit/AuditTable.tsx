/** One page of the audit trail: number, date and time, user, action in words, target. */
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../shared/domain/audit';
import { auditActionLabel } from '../access/permissionLabel';

const TARGET_TYPES = ['person', 'note', 'task', 'document', 'user', 'role', 'group', 'consent', 'household', 'import', 'association', 'settings', 'request'] as const;
type TargetType = (typeof TARGET_TYPES)[number];
const isTargetType = (s: string | null): s is TargetType => !!s && (TARGET_TYPES as readonly string[]).includes(s);

/** UUIDv7 ids begin with their time: their end tells them apart. Other ids (roles) are short and shown whole. */
const shortId = (id: string) => (id.length === 36 ? `…${id.slice(-6)}` : id);

export function AuditTable({ items }: { items: AuditEntry[] }) {
  const { t, i18n } = useTranslation();
  const when = new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'short', timeStyle: 'medium' });
  if (items.length === 0) return <p className="muted">{t('audit.none')}</p>;
  return (
    <div className="table-wrap">
      <table className="data-table audit-table" data-testid="audit-table">
        <caption className="visually-hidden">{t('audit.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('audit.seq')}</th>
            <th scope="col">{t('audit.date')}</th>
            <th scope="col">{t('audit.user')}</th>
            <th scope="col">{t('audit.action')}</th>
            <th scope="col">{t('audit.target')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <td>{when.format(new Date(e.at))}</td>
              <td>{e.actorName || '—'}</td>
              <th scope="row">{auditActionLabel(t, e.action)}</th>
              <td className="audit-target">
                {isTargetType(e.targetType) ? t(`audit.targets.${e.targetType}`) : (e.targetType ?? '')}
                {typeof e.details.name === 'string' ? ` ${t('audit.named', { name: e.details.name })}` : null}
                {e.targetId ? <span className="muted"> {shortId(e.targetId)}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

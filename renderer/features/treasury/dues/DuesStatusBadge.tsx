/**
 * A person's dues status as a badge (« À jour », « Échéance proche », « En retard », « Jamais cotisé », « Exempté »),
 * with the last day paid; for users who may see membership (`people.readMembership`) or the treasury. Never an amount.
 * `DuesStatusBadge` loads one person's status; `StatusBadge` only shows one already loaded (lists).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DuesStatus } from '../../../../shared/domain/dues';
import { invoke } from '../../../api/client';
import { formatDate } from '../../../app/format';
import { useCan } from '../../../app/session';
import { Badge, type BadgeTone } from '../../../components/Badge';

export const STATUS_TONE: Record<DuesStatus, BadgeTone> = { up_to_date: 'success', due_soon: 'warning', late: 'danger', never: 'neutral', exempt: 'neutral' };

/** True when the session may see dues statuses. */
export function useSeesDues(): boolean {
  const can = useCan();
  return can('people.readMembership') || can('treasury.read');
}

export function StatusBadge({ status, paidUntil }: { status: DuesStatus; paidUntil?: string | null }) {
  const { t, i18n } = useTranslation();
  return (
    <Badge tone={STATUS_TONE[status]}>
      {t(`dues.status.${status}`)}
      {paidUntil && status !== 'exempt' ? ` · ${t('dues.until', { date: formatDate(paidUntil, i18n.language) })}` : ''}
    </Badge>
  );
}

export function DuesStatusBadge({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const sees = useSeesDues();
  const [s, setS] = useState<{ status: DuesStatus; paidUntil: string | null } | null>(null);
  useEffect(() => {
    if (!sees) return;
    let live = true;
    invoke('dues:statuses', { personIds: [personId] })
      .then((r) => live && setS(r.items[0] ?? null))
      .catch(() => live && setS(null));
    return () => {
      live = false;
    };
  }, [personId, sees]);
  if (!sees || !s) return null;
  return (
    <span className="dues-badge" data-testid="dues-status">
      <span className="visually-hidden">{t('dues.statusLabel')} </span>
      <StatusBadge status={s.status} paidUntil={s.paidUntil} />
    </span>
  );
}

/** The statuses of the people `ids` (a list page), when the session may see them; empty otherwise. */
export function useDuesStatuses(ids: readonly string[]): Map<string, { status: DuesStatus; paidUntil: string | null }> {
  const sees = useSeesDues();
  const key = ids.join(',');
  const [map, setMap] = useState(new Map<string, { status: DuesStatus; paidUntil: string | null }>());
  useEffect(() => {
    if (!sees || key === '') return;
    let live = true;
    invoke('dues:statuses', { personIds: key.split(',').slice(0, 500) })
      .then((r) => live && setMap(new Map(r.items.map((i) => [i.personId, { status: i.status, paidUntil: i.paidUntil }]))))
      .catch(() => live && setMap(new Map()));
    return () => {
      live = false;
    };
  }, [key, sees]);
  return map;
}

/** The person page's badge « N pièces à renouveler »: papers expired or expiring within 90 days that the user may read. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { invoke } from '../../api/client';
import { useDataVersion } from '../../app/dataVersion';
import { Badge } from '../../components/Badge';

/** `refresh` changes when the page read the person's papers again (a paper added, replaced or removed). */
export function RenewBadge({ personId, refresh }: { personId: string; refresh: number }) {
  const { t } = useTranslation();
  const version = useDataVersion();
  const [counts, setCounts] = useState<{ expired: number; soon: number } | null>(null);
  useEffect(() => {
    invoke('papers:expiring', { withinDays: 90, personId })
      .then((r) => setCounts({ expired: r.items.filter((p) => p.daysLeft < 0).length, soon: r.items.filter((p) => p.daysLeft >= 0).length }))
      .catch(() => setCounts(null));
  }, [personId, version, refresh]);
  if (!counts || counts.expired + counts.soon === 0) return null;
  return (
    <span data-testid="renew-badge">
      <Badge tone={counts.expired ? 'danger' : 'warning'}>{t('papersRenew.badge', { count: counts.expired + counts.soon })}</Badge>
    </span>
  );
}

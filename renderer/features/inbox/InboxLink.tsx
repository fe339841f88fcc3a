/**
 * « À classer (N) »: the way to the scan folder's inbox, a button with the number of files waiting (kept up to date by
 * `inbox:changed`). Shown in « Pièces à renouveler »'s header rather than as a navigation item, so that the desk's
 * navigation stays on one row. Only for users who may add papers.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { invoke, on } from '../../api/client';
import { useRouter } from '../../app/router';
import { useCan } from '../../app/session';

export function InboxLink() {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const can = useCan();
  const allowed = can('documents.add');
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    if (!allowed) return;
    invoke('inbox:list', {})
      .then((r) => setCount(r.items.length))
      .catch(() => setCount(null));
    return on('inbox:changed', (p) => setCount(p.count));
  }, [allowed]);
  if (!allowed) return null;
  return (
    <button type="button" className="button secondary" onClick={() => navigate({ name: 'inbox' })}>
      {count ? t('inbox.linkCount', { count }) : t('inbox.link')}
    </button>
  );
}

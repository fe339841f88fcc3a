/**
 * The visit line of the window's status row (`volunteers.read`; docs/volunteers.md "Alerts"): shown while a person of
 * a circle the user coordinates has no visit for longer than their rule within the next 72 hours (`visits:notices`),
 * as a link to « Planning des visites ». ⚠ and words, not colour alone. Checked at mount, at each screen change and
 * every 5 minutes.
 */
import { useTranslation } from 'react-i18next';
import { invoke } from '../../api/client';
import { useRouter } from '../../app/router';
import { usePolled } from '../../app/usePolled';
import { useCan } from '../../app/session';
import './volunteers.css';

const EVERY_MS = 5 * 60_000;

export function VisitGapLine() {
  const { t } = useTranslation();
  const { navigate, route } = useRouter();
  const can = useCan();
  const allowed = can('volunteers.read');
  const count = usePolled(allowed, () => invoke('visits:notices', {}).then((n) => new Set(n.items.map((i) => i.personId)).size), EVERY_MS, [route.name]);

  if (!allowed || !count || route.name === 'visits') return null;
  return (
    <p className="visit-gap-line">
      <button type="button" className="link-button visit-gap-due" onClick={() => navigate({ name: 'visits' })} data-testid="visit-gap-line">
        <span aria-hidden="true">⚠ </span>
        {t('visits.bar', { count })}
      </button>
    </p>
  );
}

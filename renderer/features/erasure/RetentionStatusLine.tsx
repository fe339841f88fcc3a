/**
 * The retention line of the window's status row (administrators: `users.manage`; docs/erasure.md "Retention"):
 * shown only when the retention rules propose someone or some paper and nobody looked at « Règles de conservation »
 * for more than 30 days (`retention:notice`), as a link to that screen. Checked at mount, at each screen change and
 * every 10 minutes, like the backup line.
 */
import { useTranslation } from 'react-i18next';
import { invoke } from '../../api/client';
import { useRouter } from '../../app/router';
import { usePolled } from '../../app/usePolled';
import { useCan } from '../../app/session';
import './erasure.css';

const EVERY_MS = 10 * 60_000;

export function RetentionStatusLine() {
  const { t } = useTranslation();
  const { navigate, route } = useRouter();
  const can = useCan();
  const allowed = can('users.manage');
  const due = usePolled(allowed, () => invoke('retention:notice', {}).then((n) => n.due), EVERY_MS, [route.name]);

  if (!allowed || !due || route.name === 'retention') return null;
  return (
    <p className="retention-line">
      <button type="button" className="link-button retention-due" onClick={() => navigate({ name: 'retention' })} data-testid="retention-line">
        {t('retention.bar.due')}
      </button>
    </p>
  );
}

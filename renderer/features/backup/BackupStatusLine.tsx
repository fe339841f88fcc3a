/**
 * The backup line of the window's header (administrators: `users.manage`; docs/backup.md "Status"): shown only
 * when no good backup was made on this PC for 7 days (or ever), as a link to « Sauvegardes ». Checked at mount, at
 * each screen change and every 10 minutes (`usePolled`).
 */
import { useTranslation } from 'react-i18next';
import { invoke } from '../../api/client';
import { useRouter } from '../../app/router';
import { usePolled } from '../../app/usePolled';
import { useCan } from '../../app/session';

const EVERY_MS = 10 * 60_000;

export function BackupStatusLine() {
  const { t } = useTranslation();
  const { navigate, route } = useRouter();
  const can = useCan();
  const allowed = can('users.manage');
  const ask = () => invoke('backup:status', {}).then((s) => ({ overdue: s.overdue, never: s.lastGoodAt === null }));
  const state = usePolled(allowed, ask, EVERY_MS, [route.name]);

  if (!allowed || !state?.overdue) return null;
  return (
    <p className="backup-line">
      <button type="button" className="link-button backup-overdue" onClick={() => navigate({ name: 'backups' })} data-testid="backup-line">
        {state.never ? t('backup.bar.never') : t('backup.bar.overdue')}
      </button>
    </p>
  );
}

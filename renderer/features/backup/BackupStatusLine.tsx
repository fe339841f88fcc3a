/**
 * The backup line of the window's header (administrators: `users.manage`; docs/backup.md "Status"): shown only
 * when no good backup was made on this PC for 7 days (or ever), as a link to « Sauvegardes ». Checked at mount and
 * every 10 minutes.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { invoke } from '../../api/client';
import { useRouter } from '../../app/router';
import { useCan } from '../../app/session';

const EVERY_MS = 10 * 60_000;

export function BackupStatusLine() {
  const { t } = useTranslation();
  const { navigate, route } = useRouter();
  const can = useCan();
  const allowed = can('users.manage');
  const [state, setState] = useState<{ overdue: boolean; never: boolean } | null>(null);

  useEffect(() => {
    if (!allowed) return;
    let alive = true;
    const load = () =>
      invoke('backup:status', {})
        .then((s) => alive && setState({ overdue: s.overdue, never: s.lastGoodAt === null }))
        .catch(() => undefined);
    void load();
    const timer = window.setInterval(() => void load(), EVERY_MS);
    return () => {
      alive = false;
      window.clearInterval(timer);
    };
  }, [allowed, route.name]);

  if (!allowed || !state?.overdue) return null;
  return (
    <p className="backup-line">
      <button type="button" className="link-button backup-overdue" onClick={() => navigate({ name: 'backups' })} data-testid="backup-line">
        {state.never ? t('backup.bar.never') : t('backup.bar.overdue')}
      </button>
    </p>
  );
}

/**
 * The sync line of the window, in the header (every screen once unlocked): « En ligne » / « Hors ligne », changes waiting, the last
 * sync, progress of a long sync, the last error as the core worded it, the conflicts (a link to their screen) and
 * « Synchroniser maintenant » (`sync:now`). Without a hub: « Pas de synchronisation », a link to the devices screen
 * for those who manage users.
 *
 * Only the state, the waiting count and the errors sit in the polite live region; the clock (« il y a 2 min ») and the
 * progress numbers change too often to be read out.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useRouter } from '../../app/router';
import { useCan } from '../../app/session';
import { ProgressBar } from '../../components/ProgressBar';
import { formatCount, formatSince, formatTime } from './format';
import { useSyncStatus } from './SyncStatusContext';
import './sync.css';

const RESULT_MS = 15_000;

export function SyncStatusBar() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { status, error, refresh } = useSyncStatus();
  const { navigate } = useRouter();
  const { announce } = useAnnouncer();
  const can = useCan();
  const [busy, setBusy] = useState(false);
  const [nowError, setNowError] = useState<string | null>(null);
  const [result, setResult] = useState<string | null>(null);

  // The outcome of « Synchroniser maintenant » stays a while; « Dernière synchronisation » says the rest.
  useEffect(() => {
    if (!result) return;
    const timer = window.setTimeout(() => setResult(null), RESULT_MS);
    return () => window.clearTimeout(timer);
  }, [result]);

  async function syncNow() {
    if (busy || status?.running) return;
    setBusy(true);
    setNowError(null);
    setResult(null);
    refresh();
    try {
      const r = await invoke('sync:now', {});
      const text = t('sync.bar.done', { pushed: formatCount(r.pushed, lang), pulled: formatCount(r.pulled, lang) });
      setResult(text);
      announce(text);
    } catch (e) {
      setNowError(errorMessage(e));
    } finally {
      setBusy(false);
      refresh();
    }
  }

  if (!status) {
    return (
      <Frame>
        <p className="sync-quiet muted">{error ? t('sync.bar.unavailable') : t('sync.bar.loading')}</p>
      </Frame>
    );
  }

  const conflicts =
    status.conflicts > 0 ? (
      <button type="button" className="link-button sync-conflicts" onClick={() => navigate({ name: 'conflicts' })}>
        {t('sync.bar.conflicts', { count: status.conflicts, countLabel: formatCount(status.conflicts, lang) })}
      </button>
    ) : null;

  if (!status.configured) {
    return (
      <Frame off>
        {can('users.manage') ? (
          <button type="button" className="link-button sync-quiet" onClick={() => navigate({ name: 'devices' })}>
            {t('sync.bar.notConfigured')}
          </button>
        ) : (
          <p className="sync-quiet muted">{t('sync.bar.notConfigured')}</p>
        )}
        {conflicts}
      </Frame>
    );
  }

  const running = status.running || busy;
  const connection = status.online === null ? t('sync.bar.notYet') : status.online ? t('sync.bar.online') : t('sync.bar.offline');
  const tone = status.online === null ? 'unknown' : status.online ? 'online' : 'offline';
  // The error of « Synchroniser maintenant » when the core did not keep it as the last error (not shown twice).
  const extraError = nowError && nowError !== status.lastError?.message ? nowError : null;
  const progress = status.progress;

  return (
    <Frame>
      <div className="sync-text">
        <div className="sync-live" role="status" aria-live="polite" data-testid="sync-state">
          <span className={`sync-connection sync-${tone}`}>
            <span className="sync-dot" aria-hidden="true" />
            {connection}
          </span>
          <span className="sync-pending">
            {running
              ? t('sync.bar.running')
              : status.pending > 0
                ? t('sync.bar.pending', { count: status.pending, countLabel: formatCount(status.pending, lang) })
                : t('sync.bar.upToDate')}
          </span>
          {status.lastError ? (
            <span className="sync-error" data-testid="sync-error">
              {status.lastError.message}
            </span>
          ) : null}
          {result && !running ? <span className="sync-result">{result}</span> : null}
        </div>
        <p className="sync-last">
          {status.lastSyncAt
            ? t('sync.bar.last', { when: formatSince(t, status.lastSyncAt, lang) })
            : t('sync.bar.never')}
          {!running && status.online === false && status.nextAttemptAt ? (
            <span className="muted"> · {t('sync.bar.nextAttempt', { time: formatTime(status.nextAttemptAt, lang) })}</span>
          ) : null}
        </p>
      </div>
      {running && progress ? (
        <div className="sync-progress">
          <ProgressBar
            label={t('sync.bar.progress', {
              stage: t(`sync.stages.${progress.stage}`),
              done: formatCount(progress.done, lang),
              total: formatCount(progress.total, lang),
            })}
            done={progress.done}
            total={progress.total}
          />
        </div>
      ) : null}
      {conflicts}
      {status.rejected > 0 ? <p className="sync-rejected">{t('sync.bar.rejected', { count: status.rejected })}</p> : null}
      <div className="sync-actions">
        {extraError ? (
          <p className="sync-error" role="alert">
            {extraError}
          </p>
        ) : null}
        <button type="button" className="button secondary sync-now" aria-disabled={running ? true : undefined} onClick={() => void syncNow()}>
          {running ? t('sync.bar.syncing') : t('sync.bar.now')}
        </button>
      </div>
    </Frame>
  );
}

/** The line itself: a named region of the header. */
function Frame({ off = false, children }: { off?: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <section className={off ? 'sync-bar sync-bar-off' : 'sync-bar'} aria-label={t('sync.bar.label')} data-testid="sync-bar">
      {children}
    </section>
  );
}

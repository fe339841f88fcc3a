/**
 * The unlocked application: header (association, user and role, nav filtered by permissions, Changer d'utilisateur,
 * Verrouiller, and the sync line), the current screen in <main>,
 * auto-lock after `autoLockMinutes` idle, and global shortcuts (Ctrl/Cmd+K or "/" → search people).
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAnnouncer } from '../../app/announcer';
import { sectionOf, useRouter, type Route, type Section } from '../../app/router';
import { DataVersionProvider, useDataRefresh } from '../../app/dataVersion';
import { useOpenSession, useSession } from '../../app/session';
import { SyncStatusBar } from '../sync/SyncStatusBar';
import { BackupStatusLine } from '../backup/BackupStatusLine';
import { RetentionStatusLine } from '../erasure/RetentionStatusLine';
import { VisitGapLine } from '../volunteers/VisitGapLine';
import '../backup/backup.css';
import { SyncStatusProvider, useSyncStatus } from '../sync/SyncStatusContext';
import { useIdleLock } from './useIdleLock';
import { RefreshNotice } from './RefreshNotice';
import { Screen } from './Screen';
import { navSectionOf, navSections, volunteeringSections } from './sections';
import { useUnread } from '../messages/useUnread';
import './shell.css';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * The shell with its sync state (polled while the shell is mounted, i.e. while unlocked) and the data version that
 * follows it: screens reload when a sync brought changes (`app/dataVersion.tsx`).
 */
export function Shell() {
  return (
    <SyncStatusProvider>
      <DataVersionFromSync>
        <ShellLayout />
      </DataVersionFromSync>
    </SyncStatusProvider>
  );
}

function DataVersionFromSync({ children }: { children: ReactNode }) {
  const { status } = useSyncStatus();
  return <DataVersionProvider receivedAt={status ? status.lastReceivedAt : undefined}>{children}</DataVersionProvider>;
}

function ShellLayout() {
  const { t } = useTranslation();
  const session = useOpenSession();
  const { lock } = useSession();
  const { route, navigate, held } = useRouter();
  const { announce } = useAnnouncer();
  const { refresh } = useDataRefresh();
  const main = useRef<HTMLElement>(null);
  const current = navSectionOf(sectionOf(route));
  const syncStatus = useSyncStatus().status;
  const conflicts = syncStatus?.conflicts ?? 0;
  const unread = useUnread(session.permissions.includes('messages.write'), route.name);

  useIdleLock(session.autoLockMinutes, () => void lock('idle'));

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const combo = (e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k';
      const slash = e.key === '/' && !isTyping(e.target) && !e.ctrlKey && !e.metaKey && !e.altKey;
      if (!combo && !slash) return;
      e.preventDefault();
      const search = document.getElementById('people-search');
      if (search) search.focus();
      else navigate({ name: 'people' });
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate]);

  // After a navigation, move focus to the new screen's title unless the screen focused something itself.
  useEffect(() => {
    const active = document.activeElement;
    if (active && active !== document.body && !active.closest('.shell-header')) return;
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [route]);

  const visible = navSections(session.permissions, syncStatus?.configured ?? false);
  const target = (s: Section): Route => (s === 'volunteering' ? { name: volunteeringSections(session.permissions)[0] ?? 'visits' } : { name: s });
  /** The item of the screen already shown reloads its data (what is typed stays); any other opens its screen. */
  function open(s: Section) {
    if (s === 'volunteering' ? current !== s : route.name !== s) return navigate(target(s));
    refresh();
    announce(t('refresh.done'));
  }

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('shell.skip')}
      </a>
      <header className="shell-header">
        <div className="shell-identity">
          <p className="brand">{t('app.name')}</p>
          <p className="association-name" data-testid="association-name">
            {session.associationName}
          </p>
        </div>
        <nav aria-label={t('shell.navLabel')} className="shell-nav">
          <ul>
            {visible.map((s) => (
              <li key={s} className={s === 'settings' ? 'nav-end' : undefined}>
                <button
                  type="button"
                  className="nav-item"
                  aria-current={current === s ? 'page' : undefined}
                  disabled={held}
                  onClick={() => open(s)}
                >
                  {t(`nav.${s}`)}
                  {s === 'conflicts' && conflicts > 0 ? (
                    <span className="nav-count" data-testid="nav-conflicts-count">
                      <span className="visually-hidden"> : </span>
                      {conflicts}
                    </span>
                  ) : null}
                  {s === 'messages' && unread > 0 ? (
                    <span className="nav-count" data-testid="nav-unread-count">
                      <span className="visually-hidden"> : {t('messages.unreadLabel')} </span>
                      {unread}
                    </span>
                  ) : null}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="shell-status">
          <SyncStatusBar />
          <BackupStatusLine />
          <RetentionStatusLine />
          <VisitGapLine />
        </div>
        <div className="shell-user">
          <p className="current-user">
            <span className="visually-hidden">{t('shell.connectedAs')} </span>
            {session.user.displayName || session.user.name}
            <span className="user-role" data-testid="current-role">
              {' '}
              · {session.user.roleName}
            </span>
          </p>
          <button type="button" className="button secondary" onClick={() => void lock('switch')}>
            {t('shell.switchUser')}
          </button>
          <button type="button" className="button lock" onClick={() => void lock('user')}>
            {t('shell.lock')}
          </button>
        </div>
      </header>
      <main id="main" ref={main} className="shell-main" tabIndex={-1}>
        <RefreshNotice />
        {session.warnings?.length ? (
          // What the unlock refused in keyring.json, in French from the core (docs/access.md "Keyring signature").
          <div className="alert alert-warning" role="alert" data-testid="keyring-warnings">
            {session.warnings.map((w) => (
              <p key={w}>{w}</p>
            ))}
          </div>
        ) : null}
        <Screen route={route} />
      </main>
    </div>
  );
}

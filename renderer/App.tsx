/** Root: session gate. Locked → unlock screen; unlocked → the shell, keyed by session generation. */
import { useTranslation } from 'react-i18next';
import { AnnouncerProvider } from './app/announcer';
import { RouterProvider } from './app/router';
import { SessionProvider, useSession } from './app/session';
import { Shell } from './features/shell/Shell';
import { UnlockScreen } from './features/session/UnlockScreen';

function Gate() {
  const { t } = useTranslation();
  const { session, ready, generation } = useSession();
  if (!ready) {
    return (
      <main className="loading" aria-busy="true">
        <p>{t('app.loading')}</p>
      </main>
    );
  }
  // The live region is keyed too: an announcement of the previous session must not survive a lock.
  if (!session) {
    return (
      <AnnouncerProvider key="locked">
        <UnlockScreen />
      </AnnouncerProvider>
    );
  }
  return (
    <AnnouncerProvider key={generation}>
      <RouterProvider initial={{ name: 'people' }}>
        <Shell />
      </RouterProvider>
    </AnnouncerProvider>
  );
}

export function App() {
  return (
    <SessionProvider>
      <Gate />
    </SessionProvider>
  );
}

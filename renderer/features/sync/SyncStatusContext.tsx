/**
 * The sync state of the open association, shared by the status bar, the navigation (conflict count), the devices and
 * conflicts screens. Polls `sync:status` every 3 s (every 1 s while a sync runs); it lives inside the shell, so a lock
 * (which unmounts the shell) stops the polling. Only `sync:status` runs on a timer: the core does not count it as
 * activity for its idle auto-lock, and every other request would keep an abandoned desk unlocked.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { SyncStatus } from '../../../shared/contract/sync';
import { errorMessage, invoke, isApiError } from '../../api/client';
import { useSession } from '../../app/session';

export const POLL_MS = 3_000;
export const POLL_RUNNING_MS = 1_000;

interface SyncStatusValue {
  /** null until the first answer (or while the core refuses `sync:status`). */
  status: SyncStatus | null;
  /** The last failure of `sync:status` itself (not of a sync: that is `status.lastError`). */
  error: string | null;
  /** Asks now (after « Synchroniser maintenant », a restore, joining a hub…); the timer restarts from there. */
  refresh(): void;
}

const SyncStatusContext = createContext<SyncStatusValue | null>(null);

export function SyncStatusProvider({ children }: { children: ReactNode }) {
  const { lock } = useSession();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const kick = useRef<() => void>(() => undefined);

  useEffect(() => {
    let alive = true;
    let timer: number | undefined;
    let inFlight = false;
    let again = false;

    async function poll(): Promise<void> {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      window.clearTimeout(timer);
      let running = false;
      try {
        const next = await invoke('sync:status', {});
        if (!alive) return;
        running = next.running;
        setStatus(next);
        setError(null);
      } catch (e) {
        if (!alive) return;
        // The core locked itself (idle): the window follows, which unmounts this provider and stops the timer.
        if (isApiError(e, 'LOCKED')) {
          alive = false;
          void lock('idle');
          return;
        }
        setError(errorMessage(e));
      } finally {
        inFlight = false;
      }
      if (!alive) return;
      if (again) {
        again = false;
        void poll();
        return;
      }
      timer = window.setTimeout(() => void poll(), running ? POLL_RUNNING_MS : POLL_MS);
    }

    kick.current = () => void poll();
    void poll();
    return () => {
      alive = false;
      window.clearTimeout(timer);
      kick.current = () => undefined;
    };
  }, [lock]);

  const refresh = useCallback(() => kick.current(), []);
  const value = useMemo(() => ({ status, error, refresh }), [status, error, refresh]);
  return <SyncStatusContext.Provider value={value}>{children}</SyncStatusContext.Provider>;
}

export function useSyncStatus(): SyncStatusValue {
  const value = useContext(SyncStatusContext);
  if (!value) throw new Error('useSyncStatus outside SyncStatusProvider');
  return value;
}

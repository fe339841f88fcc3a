/**
 * The unlocked session (or null). Locking — by the user, by idle time, or by the core's `session:locked` event —
 * sets it to null, which unmounts the whole shell: no person, paper or task of the previous session stays in memory.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { SessionInfo } from '../../shared/domain/user';
import { invoke, on } from '../api/client';

export type LockReason = 'user' | 'idle';

interface SessionValue {
  session: SessionInfo | null;
  /** False until `session:current` answered (avoids flashing the unlock screen). */
  ready: boolean;
  /** Why the last session ended, to tell the user on the unlock screen. */
  lastLockReason: LockReason | null;
  /** Increases at each unlock: the shell is keyed on it so nothing survives a lock. */
  generation: number;
  opened(session: SessionInfo): void;
  updated(session: SessionInfo): void;
  lock(reason: LockReason): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [ready, setReady] = useState(false);
  const [generation, setGeneration] = useState(0);
  const [lastLockReason, setLastLockReason] = useState<LockReason | null>(null);

  useEffect(() => {
    let alive = true;
    invoke('session:current', {})
      .then((current) => alive && setSession(current))
      .catch(() => undefined)
      .finally(() => alive && setReady(true));
    const off = on('session:locked', ({ reason }) => {
      setSession(null);
      setLastLockReason(reason);
    });
    return () => {
      alive = false;
      off();
    };
  }, []);

  const opened = useCallback((s: SessionInfo) => {
    setLastLockReason(null);
    setGeneration((g) => g + 1);
    setSession(s);
  }, []);

  const lock = useCallback(async (reason: LockReason) => {
    // Forget everything first, then tell the core; the UI must not wait on it.
    setSession(null);
    setLastLockReason(reason);
    try {
      await invoke('session:lock', { reason });
    } catch {
      // Already locked or the core is gone: the renderer state is cleared either way.
    }
  }, []);

  const value = useMemo(
    () => ({ session, ready, lastLockReason, generation, opened, updated: setSession, lock }),
    [session, ready, lastLockReason, generation, opened, lock],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The open session; only for components rendered inside the shell. */
export function useOpenSession(): SessionInfo {
  const { session } = useSession();
  if (!session) throw new Error('no open session');
  return session;
}

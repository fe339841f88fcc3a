/**
 * The unlocked session (or null). Locking — by the user, by idle time, or by the core's `session:locked` event —
 * sets it to null, which unmounts the whole shell: no person, paper or task of the previous session stays in memory.
 * A window always starts locked: its first request, `session:start`, makes the core lock any open session, so a
 * reload, a new window or a renderer back from a crash asks for the password again (docs/ui.md « Session and
 * locking »). The last user's association and name are kept to prefill the unlock form.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Permission } from '../../shared/domain/access';
import type { SessionInfo } from '../../shared/domain/user';
import { invoke, on } from '../api/client';
import { forgetDirectory } from '../api/directory';

/** `switch`: « Changer d'utilisateur » — locked so that someone else unlocks the same association. */
export type LockReason = 'user' | 'idle' | 'switch';

/** Who unlocked last, and where. */
export interface LastUser {
  dir: string;
  userName: string;
}

interface SessionValue {
  session: SessionInfo | null;
  /** False until `session:current` answered (avoids flashing the unlock screen). */
  ready: boolean;
  /** Why the last session ended, to tell the user on the unlock screen. */
  lastLockReason: LockReason | null;
  /** Increases at each unlock: the shell is keyed on it so nothing survives a lock. */
  generation: number;
  /** After « Changer d'utilisateur »: the association to unlock next (the user name is left empty). */
  switchDir: string | null;
  /** After a lock or a reload: the association and user to unlock again (name prefilled, password focused). */
  lastUser: LastUser | null;
  opened(session: SessionInfo): void;
  updated(session: SessionInfo): void;
  lock(reason: LockReason): Promise<void>;
}

/** What the window holds for the session and must forget at each change: the directory, kept scan sessions… */
const memos = new Set<() => void>([forgetDirectory]);

/**
 * Registers something the window holds for the open session (answers memoised, scan pages kept while the person's
 * page is left: features/scan/keptScans.ts), forgotten at every lock, switch of user and unlock. Returns the removal.
 */
export function forgetAtLock(forget: () => void): () => void {
  memos.add(forget);
  return () => memos.delete(forget);
}

/** Forgets every client-side memo of the session. */
function forgetClientState(): void {
  for (const forget of memos) forget();
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [ready, setReady] = useState(false);
  const [generation, setGeneration] = useState(0);
  const [lastLockReason, setLastLockReason] = useState<LockReason | null>(null);
  const [switchDir, setSwitchDir] = useState<string | null>(null);
  const [lastUser, setLastUser] = useState<LastUser | null>(null);
  const current = useRef<SessionInfo | null>(null);
  current.current = session;

  useEffect(() => {
    let alive = true;
    // Never `session:current`: a fresh window must not inherit the session another page (or this one before a
    // reload) opened. The core locks it and tells who to prefill.
    invoke('session:start', {})
      .then(({ locked, last }) => {
        if (!alive) return;
        setLastUser(last);
        // Locked now, or already when the previous page went away (the host locks then): say so.
        if (locked || last) setLastLockReason('user');
      })
      .catch(() => undefined)
      .finally(() => alive && setReady(true));
    const off = on('session:locked', ({ reason }) => {
      // Already locked here (Verrouiller, Changer d'utilisateur): keep the reason the window gave.
      const was = current.current;
      if (!was) return;
      forgetClientState();
      setLastUser({ dir: was.dir, userName: was.user.name });
      setSession(null);
      setLastLockReason(reason);
    });
    return () => {
      alive = false;
      off();
    };
  }, []);

  const opened = useCallback((s: SessionInfo) => {
    forgetClientState();
    setLastLockReason(null);
    setSwitchDir(null);
    setGeneration((g) => g + 1);
    setSession(s);
  }, []);

  const lock = useCallback(async (reason: LockReason) => {
    // Forget everything first, then tell the core; the UI must not wait on it.
    forgetClientState();
    const was = current.current;
    setSwitchDir(reason === 'switch' ? (was?.dir ?? null) : null);
    // « Changer d'utilisateur » is for someone else: their name is not prefilled.
    setLastUser(was && reason !== 'switch' ? { dir: was.dir, userName: was.user.name } : null);
    setSession(null);
    setLastLockReason(reason);
    try {
      await invoke('session:lock', { reason: reason === 'idle' ? 'idle' : 'user' });
    } catch {
      // Already locked or the core is gone: the renderer state is cleared either way.
    }
  }, []);

  const value = useMemo(
    () => ({ session, ready, lastLockReason, generation, switchDir, lastUser, opened, updated: setSession, lock }),
    [session, ready, lastLockReason, generation, switchDir, lastUser, opened, lock],
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

/** True when the open session's role grants this permission (the screens hide what is refused; the core checks). */
export function useCan(): (permission: Permission) => boolean {
  const session = useOpenSession();
  return useCallback((permission: Permission) => session.permissions.includes(permission), [session]);
}

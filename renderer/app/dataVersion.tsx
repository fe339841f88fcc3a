/**
 * Keeping the open screen current when a sync brings other devices' changes (issue 4).
 *
 * `useDataVersion()` is a number that data screens add to the dependencies of their loading effects: when it moves
 * they read again, keeping what is being typed (a reload is a new request, never a remount; forms are never keyed
 * on it). It moves:
 * - when `receivedAt` (`sync:status`.`lastReceivedAt`: the last sync that brought changes, background ones included)
 *   differs from the value the screen's data were read at — at once, unless something on screen holds refreshes
 *   (`useHoldRefresh(true)`: a form with unsaved input, an open dialog) or the window is hidden. A held refresh sets
 *   `stale` (the shell shows « De nouvelles données sont arrivées d'un autre poste. » with « Actualiser ») and happens
 *   by itself once nothing holds it any more;
 * - on `refresh()`: « Actualiser », and a click on the navigation item of the screen already shown.
 * No timer: the only requests are the screens' own reads when the version moves (the status is polled already, and
 * `sync:status` alone is not counted as activity by the core's idle lock). The window's own idle timer still locks an
 * abandoned desk whatever other devices send.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { forgetDirectory } from '../api/directory';

interface DataVersionValue {
  /** Bumped at every refresh; a dependency of the screens' loading effects. */
  version: number;
  /** Changes arrived while a form or dialog held the refresh: the notice with « Actualiser » is shown. */
  stale: boolean;
  /** Reloads the open screen now (the held refresh included). */
  refresh(): void;
  /** Holds automatic refreshes until the returned release is called. */
  hold(): () => void;
}

const noop = () => undefined;
/** Outside the shell (unlock screen): nothing ever moves, holding is free. */
const DataVersionContext = createContext<DataVersionValue>({ version: 0, stale: false, refresh: noop, hold: () => noop });

/**
 * `receivedAt`: the status's `lastReceivedAt`; `undefined` while the status is not known yet. The first known value is
 * taken as the one the open screen was read at.
 */
export function DataVersionProvider({ receivedAt, children }: { receivedAt: string | null | undefined; children: ReactNode }) {
  const [version, setVersion] = useState(0);
  /** The `lastReceivedAt` the screen's data reflect; `undefined` until the status first answers. */
  const [seen, setSeen] = useState<string | null | undefined>(undefined);
  const [holds, setHolds] = useState(0);
  const [hidden, setHidden] = useState(() => document.hidden);

  useEffect(() => {
    const onChange = () => setHidden(document.hidden);
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);

  useEffect(() => {
    if (seen === undefined && receivedAt !== undefined) setSeen(receivedAt);
  }, [seen, receivedAt]);

  const refresh = useCallback(() => {
    // Groups and users for the pickers may have arrived too.
    forgetDirectory();
    setSeen(receivedAt);
    setVersion((v) => v + 1);
  }, [receivedAt]);

  const hold = useCallback(() => {
    setHolds((h) => h + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      setHolds((h) => h - 1);
    };
  }, []);

  const arrived = seen !== undefined && receivedAt !== undefined && receivedAt !== seen;
  useEffect(() => {
    if (arrived && holds === 0 && !hidden) refresh();
  }, [arrived, holds, hidden, refresh]);

  const stale = arrived && holds > 0;
  const value = useMemo(() => ({ version, stale, refresh, hold }), [version, stale, refresh, hold]);
  return <DataVersionContext.Provider value={value}>{children}</DataVersionContext.Provider>;
}

/** The data version: add it to the dependencies of an effect that reads what a sync may change. */
export function useDataVersion(): number {
  return useContext(DataVersionContext).version;
}

/** The notice's state and « Actualiser » (the shell), and the navigation's reload of the current screen. */
export function useDataRefresh(): Pick<DataVersionValue, 'stale' | 'refresh'> {
  const { stale, refresh } = useContext(DataVersionContext);
  return { stale, refresh };
}

/**
 * While `active` (a form with unsaved input, an open dialog), received changes do not reload the screen by
 * themselves: the notice offers « Actualiser » instead.
 */
export function useHoldRefresh(active: boolean): void {
  const { hold } = useContext(DataVersionContext);
  useEffect(() => (active ? hold() : undefined), [active, hold]);
}

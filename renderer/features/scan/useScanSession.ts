/**
 * The scan session of a person's panel: the session kept for that person in the window (./keptScans.ts), its state
 * (./sessionModel.ts) fed by the core's events through ./scanSession.ts, over the app's api client. When the panel
 * goes away the session is kept if it holds pages or a job is running (the panel reopens on it), else closed in the
 * core. `useKeptScan` tells a person's papers card what waits there.
 */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { invoke, on } from '../../api/client';
import { forgetAtLock } from '../../app/session';
import { KeptScans, type KeptSummary } from './keptScans';
import type { ScanSession } from './scanSession';
import type { ScanAction, ScanState } from './sessionModel';

/** The window's kept sessions, forgotten at every lock, switch of user and unlock. */
const kept = new KeptScans({ invoke, on });
forgetAtLock(() => kept.forget());

export function useScanSession(personId: string): { state: ScanState; dispatch(action: ScanAction): void; session: ScanSession } {
  const scan = useMemo(() => kept.take(personId), [personId]);
  const state = useSyncExternalStore(scan.store.subscribe, scan.store.getState);
  useEffect(() => {
    kept.retain(scan);
    return () => kept.release(scan);
  }, [scan]);
  return { state, dispatch: scan.store.dispatch, session: scan.session };
}

/** The session kept for `personId` while its panel is closed (pages, scanning), or null. */
export function useKeptScan(personId: string): KeptSummary | null {
  return useSyncExternalStore(kept.subscribe, () => kept.summary(personId));
}

/**
 * The scan session of a panel: the state of ./sessionModel.ts fed by the core's events through ./scanSession.ts,
 * over the app's api client. The session is closed in the core (its pages dropped) when the panel goes away.
 */
import { useEffect, useReducer, useRef } from 'react';
import { invoke, on } from '../../api/client';
import { ScanSession } from './scanSession';
import { EMPTY_SCAN, scanReducer, type ScanAction, type ScanState } from './sessionModel';

export function useScanSession(): { state: ScanState; dispatch(action: ScanAction): void; session: ScanSession } {
  const [state, dispatch] = useReducer(scanReducer, EMPTY_SCAN);
  const session = useRef<ScanSession | null>(null);
  session.current ??= new ScanSession({ invoke, on }, dispatch);
  useEffect(() => {
    const current = session.current;
    return () => void current?.close();
  }, []);
  return { state, dispatch, session: session.current };
}

/**
 * A tiny in-memory router: the current screen is a typed value, never a URL, so locking (which unmounts the shell)
 * forgets where the user was along with everything else.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { PersonPrefill } from '../../shared/domain/searchQuery';

export type Route =
  | { name: 'people' }
  /** `prefill`: what a search that found no one typed (names, birth date), shared/domain/searchQuery.ts. */
  | { name: 'personNew'; prefill?: PersonPrefill }
  /** `openedDocument`: the paper last opened from this page; back from the viewer, its « Ouvrir » gets the focus. */
  | { name: 'person'; id: string; openedDocument?: string }
  | { name: 'personEdit'; id: string }
  | { name: 'document'; id: string; personId: string }
  | { name: 'tasks' }
  | { name: 'import' }
  | { name: 'users' }
  | { name: 'roles' }
  | { name: 'groups' }
  | { name: 'audit' }
  | { name: 'conflicts' }
  | { name: 'devices' }
  | { name: 'backups' }
  | { name: 'settings' }
  | { name: 'retention' }
  | { name: 'papers' }
  /** « À classer »: the scan folder's inbox (renderer/features/inbox), reached from « Pièces à renouveler ». */
  | { name: 'inbox' }
  /** « Trésorerie »: `tab` one of renderer/features/treasury/tabs.ts (the first the user may open when absent). */
  | { name: 'treasury'; tab?: TreasuryTab }
  | { name: 'volunteers' }
  | { name: 'circles' }
  | { name: 'visits' }
  | { name: 'messages' }
  | { name: 'agenda' }
  | { name: 'engagement' };

/** The sub-tabs of « Trésorerie »: dues (cotisations), gifts and receipts, cash book, reconciliation, exports. */
export type TreasuryTab = 'dues' | 'gifts' | 'journal' | 'reconciliation' | 'exports';

export type Section = 'people' | 'tasks' | 'import' | 'users' | 'roles' | 'groups' | 'audit' | 'conflicts' | 'devices' | 'backups' | 'settings' | 'retention' | 'papers' | 'treasury' | 'volunteers' | 'circles' | 'visits' | 'messages' | 'agenda' | 'engagement'
  /** The nav item « Bénévolat »: no screen of its own, it opens one of renderer/features/shell/sections.ts VOLUNTEERING. */
  | 'volunteering';

/** The nav section a route belongs to (for aria-current). */
export function sectionOf(route: Route): Section {
  switch (route.name) {
    case 'tasks':
    case 'import':
    case 'users':
    case 'roles':
    case 'groups':
    case 'audit':
    case 'conflicts':
    case 'devices':
    case 'backups':
    case 'settings':
    case 'retention':
    case 'treasury':
    case 'papers':
    case 'volunteers':
    case 'circles':
    case 'visits':
    case 'messages':
    case 'agenda':
    case 'engagement':
      return route.name;
    case 'inbox':
      return 'papers';
    default:
      return 'people';
  }
}

interface RouterValue {
  route: Route;
  navigate(route: Route): void;
  /** Replaces the current screen (after saving a form, so Back skips it). */
  replace(route: Route): void;
  /** Goes to the previous screen, or to `fallback` when there is none. */
  back(fallback?: Route): void;
  /** True while a screen holds the user on it (a recovery code shown once): navigation is ignored and disabled. */
  held: boolean;
  /** Holds (true) or releases (false) the navigation; see `useHoldNavigation`. */
  setHeld(held: boolean): void;
}

const RouterContext = createContext<RouterValue | null>(null);

export function RouterProvider({ initial, children }: { initial: Route; children: ReactNode }) {
  const [stack, setStack] = useState<Route[]>([initial]);
  const [held, setHeldState] = useState(false);
  const heldRef = useRef(false);
  const setHeld = useCallback((h: boolean) => {
    heldRef.current = h;
    setHeldState(h);
  }, []);
  const move = useCallback((change: (s: Route[]) => Route[]) => {
    if (!heldRef.current) setStack(change);
  }, []);
  const navigate = useCallback((route: Route) => move((s) => [...s.slice(-30), route]), [move]);
  const replace = useCallback((route: Route) => move((s) => [...s.slice(0, -1), route]), [move]);
  const back = useCallback(
    (fallback: Route = { name: 'people' }) => move((s) => (s.length > 1 ? s.slice(0, -1) : [fallback])),
    [move],
  );
  const route = stack[stack.length - 1] ?? initial;
  const value = useMemo(() => ({ route, navigate, replace, back, held, setHeld }), [route, navigate, replace, back, held, setHeld]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const value = useContext(RouterContext);
  if (!value) throw new Error('useRouter outside RouterProvider');
  return value;
}

/**
 * Keeps the user on the current screen while `active` (the recovery code, shown once, until « J’ai rangé le code »):
 * the navigation is disabled and `navigate`/`replace`/`back` do nothing. Released when `active` ends or on unmount.
 */
export function useHoldNavigation(active: boolean): void {
  const { setHeld } = useRouter();
  useEffect(() => {
    setHeld(active);
    return () => setHeld(false);
  }, [active, setHeld]);
}

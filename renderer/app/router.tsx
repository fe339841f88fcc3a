/**
 * A tiny in-memory router: the current screen is a typed value, never a URL, so locking (which unmounts the shell)
 * forgets where the user was along with everything else.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export type Route =
  | { name: 'people' }
  | { name: 'personNew' }
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
  | { name: 'settings' };

export type Section = 'people' | 'tasks' | 'import' | 'users' | 'roles' | 'groups' | 'audit' | 'conflicts' | 'devices' | 'settings';

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
    case 'settings':
      return route.name;
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
}

const RouterContext = createContext<RouterValue | null>(null);

export function RouterProvider({ initial, children }: { initial: Route; children: ReactNode }) {
  const [stack, setStack] = useState<Route[]>([initial]);
  const navigate = useCallback((route: Route) => setStack((s) => [...s.slice(-30), route]), []);
  const replace = useCallback((route: Route) => setStack((s) => [...s.slice(0, -1), route]), []);
  const back = useCallback(
    (fallback: Route = { name: 'people' }) => setStack((s) => (s.length > 1 ? s.slice(0, -1) : [fallback])),
    [],
  );
  const route = stack[stack.length - 1] ?? initial;
  const value = useMemo(() => ({ route, navigate, replace, back }), [route, navigate, replace, back]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const value = useContext(RouterContext);
  if (!value) throw new Error('useRouter outside RouterProvider');
  return value;
}

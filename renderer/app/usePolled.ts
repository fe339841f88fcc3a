/**
 * A value the window asks the core for now and then (the status row's notices: docs/ui.md « Header »): `load` runs
 * at mount, whenever `deps` change (e.g. at each screen change), and every `everyMs` milliseconds, while `enabled`.
 * Returns the last answer, or null before the first one or while not enabled. A failed call keeps the last answer
 * (a notice is never worth an error on screen).
 */
import { useEffect, useState } from 'react';

export function usePolled<T>(
  enabled: boolean,
  load: () => Promise<T>,
  everyMs: number,
  deps: readonly unknown[],
): T | null {
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let alive = true;
    const ask = () =>
      load()
        .then((v) => alive && setValue(v))
        .catch(() => undefined);
    void ask();
    const timer = window.setInterval(() => void ask(), everyMs);
    return () => {
      alive = false;
      window.clearInterval(timer);
    };
    // `load` is a new closure at each render; `deps` says when to ask again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled, everyMs, ...deps]);
  return enabled ? value : null;
}

/**
 * The common life of a form's submit: ignore a second submit while the first runs, clear the previous error, show
 * the thrown error's message. `run(action)` resolves to true when the action succeeded.
 */
import { useCallback, useRef, useState } from 'react';
import { errorMessage } from '../api/client';

export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const running = useRef(false);

  const run = useCallback(async (action: () => Promise<void>): Promise<boolean> => {
    if (running.current) return false;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}

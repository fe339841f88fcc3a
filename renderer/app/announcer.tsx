/** One polite live region for async status ("Enregistré", "3 résultats"…), shared by every screen. */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

interface AnnouncerValue {
  announce(message: string): void;
  clear(): void;
}

const AnnouncerContext = createContext<AnnouncerValue>({ announce: () => undefined, clear: () => undefined });

export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState('');
  const announce = useCallback((m: string) => {
    // Re-announce the same text: clear first, then set on the next frame.
    setMessage('');
    requestAnimationFrame(() => setMessage(m));
  }, []);
  const clear = useCallback(() => setMessage(''), []);
  const value = useMemo(() => ({ announce, clear }), [announce, clear]);
  return (
    <AnnouncerContext.Provider value={value}>
      {children}
      <div className="visually-hidden" role="status" aria-live="polite" data-testid="live-status">
        {message}
      </div>
    </AnnouncerContext.Provider>
  );
}

export function useAnnouncer(): AnnouncerValue {
  return useContext(AnnouncerContext);
}

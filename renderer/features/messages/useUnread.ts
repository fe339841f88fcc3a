/**
 * The unread count for the nav badge: asked at mount, at each screen change, every 30 s and whenever the Messages
 * screen says it changed (`notifyUnreadChanged`).
 */
import { useEffect, useState } from 'react';
import { invoke } from '../../api/client';
import { usePolled } from '../../app/usePolled';

const EVENT = 'solidariciel:unread-changed';

/** Tells the badge to ask again (a thread marked read, a message sent). */
export function notifyUnreadChanged(): void {
  window.dispatchEvent(new Event(EVENT));
}

export function useUnread(enabled: boolean, routeKey: string): number {
  const [bump, setBump] = useState(0);
  useEffect(() => {
    const on = () => setBump((n) => n + 1);
    window.addEventListener(EVENT, on);
    return () => window.removeEventListener(EVENT, on);
  }, []);
  return usePolled(enabled, async () => (await invoke('messages:unread', {})).unread, 30_000, [routeKey, bump]) ?? 0;
}

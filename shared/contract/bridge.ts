/**
 * The API the Electron preload exposes as `window.bridge` (contextBridge). The renderer's client
 * (renderer/api/client.ts) is the only code that touches it; the browser host offers the same shape over HTTP.
 */
import type { Envelope, EventName, EventPayload } from './index';

export interface Bridge {
  /** Calls a channel of the contract. Never rejects: failures are `{ ok: false }` envelopes. */
  invoke(channel: string, payload: unknown): Promise<Envelope<unknown>>;
  /** Subscribes to a core event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

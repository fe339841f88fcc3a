/**
 * The object the preload exposes as `window.bridge` (shared/contract/bridge.ts), built over a minimal ipcRenderer
 * shape so that it is unit-tested without Electron. Only channels of the contract are sent (`isChannel`), only events
 * of the contract are delivered, the raw IpcRendererEvent never reaches the page, and `invoke` never rejects.
 */
import { events, isChannel, type Envelope, type EventName, type EventPayload } from '../../shared/contract';
import type { Bridge } from '../../shared/contract/bridge';
import { IPC_EVENT, IPC_INVOKE } from './ipcNames';

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** Event names the preload delivers: exactly the keys of the contract's `events`. */
export const ALLOWED_EVENTS: ReadonlySet<string> = new Set(Object.keys(events));

function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && ALLOWED_EVENTS.has(name);
}

function failure(code: 'VALIDATION' | 'INTERNAL', message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}

function isEnvelope(value: unknown): value is Envelope<unknown> {
  if (!value || typeof value !== 'object') return false;
  const v = value as { ok?: unknown; error?: unknown };
  return v.ok === true || (v.ok === false && !!v.error && typeof v.error === 'object');
}

/** Builds the bridge. One ipcRenderer listener is installed for all subscriptions. */
export function createBridge(ipc: IpcRendererLike): Bridge {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  ipc.on(IPC_EVENT, (_event, name, payload) => {
    if (!isEventName(name)) return;
    for (const listener of [...(listeners.get(name) ?? [])]) {
      try {
        listener(payload);
      } catch {
        // A failing listener must not stop the others.
      }
    }
  });

  const bridge: Bridge = {
    async invoke(channel: string, payload: unknown): Promise<Envelope<unknown>> {
      if (!isChannel(channel)) return failure('VALIDATION', `Canal inconnu : ${String(channel).slice(0, 80)}`);
      try {
        const result = await ipc.invoke(IPC_INVOKE, channel, payload);
        return isEnvelope(result) ? result : failure('INTERNAL', 'Réponse inattendue du processus principal.');
      } catch {
        // Structured-clone failures (functions, DOM nodes in the payload) or a main-process crash.
        return failure('VALIDATION', 'Ces données ne peuvent pas être transmises : réessayez ; si cela persiste, redémarrez Solidariciel.');
      }
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      if (!isEventName(event) || typeof listener !== 'function') return () => undefined;
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const wrapped = (payload: unknown) => listener(payload as EventPayload<E>);
      set.add(wrapped);
      return () => {
        set.delete(wrapped);
      };
    },
  };
  return bridge;
}

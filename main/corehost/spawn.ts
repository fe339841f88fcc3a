/**
 * Main side of the core process: forks dist/main/core.cjs with Electron's utilityProcess, sends the preference
 * snapshot, and returns a `CoreClient`. If the process dies unexpectedly, pending requests fail with INTERNAL, the
 * windows are told the session is locked, and a fresh process is started on the next request.
 * Receives Electron's `utilityProcess` from main/index.ts (no runtime `electron` import here).
 */
import type { UtilityProcess } from 'electron';
import type { Envelope } from '../../shared/contract';
import { createCoreClient, type CoreClient, type EventListener, type PortLike, type RequestOptions } from './protocol';

export interface PrefsStore {
  snapshot(): Record<string, unknown>;
  set(key: string, value: unknown): void;
}

export interface CoreProcessDeps {
  fork(modulePath: string, args: string[], options: { serviceName: string; stdio: 'inherit' }): UtilityProcess;
  modulePath: string;
  prefs: PrefsStore;
  /** Called when the core died unexpectedly (main broadcasts `session:locked`). */
  onCrash?: (code: number) => void;
}

/** Adapts a UtilityProcess child to `PortLike`. */
export function childPort(child: Pick<UtilityProcess, 'postMessage' | 'on' | 'off'>): PortLike {
  return {
    postMessage: (m) => child.postMessage(m),
    onMessage(listener) {
      const l = (m: unknown) => listener(m);
      child.on('message', l);
      return () => void child.off('message', l);
    },
  };
}

/** A supervisor that keeps one core process alive and exposes it as a `CoreClient`-like object. */
export interface CoreProcess extends Pick<CoreClient, 'request' | 'onEvent' | 'close'> {
  /** Forks the process now (otherwise on the first request). */
  start(): void;
}

export function createCoreProcess(deps: CoreProcessDeps): CoreProcess {
  const globalListeners = new Set<EventListener>();
  let current: { child: UtilityProcess; client: CoreClient } | null = null;
  let closing = false;

  const spawn = () => {
    const child = deps.fork(deps.modulePath, [], { serviceName: 'Solidariciel core', stdio: 'inherit' });
    const client = createCoreClient(childPort(child), { onPrefsSet: (k, v) => deps.prefs.set(k, v) });
    client.onEvent((name, payload) => globalListeners.forEach((l) => l(name, payload)));
    child.postMessage({ type: 'init', prefs: deps.prefs.snapshot() });
    const entry = { child, client };
    child.once('exit', (code: number) => {
      client.fail();
      if (current === entry) current = null;
      if (!closing) deps.onCrash?.(code);
    });
    current = entry;
    return entry;
  };

  return {
    start() {
      if (!current && !closing) spawn();
    },
    async request(channel: string, payload: unknown, options?: RequestOptions): Promise<Envelope<unknown>> {
      if (closing) return { ok: false, error: { code: 'INTERNAL', message: 'Solidariciel se ferme.' } };
      const { client } = current ?? spawn();
      await client.ready();
      return client.request(channel, payload, options);
    },
    onEvent(listener) {
      globalListeners.add(listener);
      return () => globalListeners.delete(listener);
    },
    async close(timeoutMs = 5_000) {
      closing = true;
      const entry = current;
      if (!entry) return;
      await entry.client.close(timeoutMs);
      if (current === entry) entry.child.kill();
    },
  };
}

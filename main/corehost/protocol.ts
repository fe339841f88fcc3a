/**
 * The message protocol between the main process and the core process (an Electron utilityProcess running
 * main/corehost/entry.ts). Pure: both ends work over `PortLike`, so tests drive them with an in-memory pair of ports.
 *
 * main → core:  init { prefs }            first message: the preference snapshot (electron-store lives in main)
 *               request { id, channel, payload }
 *               close { id }              lock + close the core, answered by `closed`
 * core → main:  ready
 *               response { id, envelope }
 *               event { requestId?, name, payload }   HandlerContext.emit; requestId null for spontaneous events
 *               prefs:set { key, value }  the core changed a preference; main writes it to electron-store
 *               closed { id }
 * Values travel by structured clone (Uint8Array included).
 */
import type { Envelope } from '../../shared/contract';
import type { Preferences } from '../core/ports';

/** One end of a message channel (utilityProcess child, process.parentPort, or a test fake). */
export interface PortLike {
  postMessage(message: unknown): void;
  /** Subscribes; returns the unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void;
}

export type ToCore =
  | { type: 'init'; prefs: Record<string, unknown> }
  | { type: 'request'; id: number; channel: string; payload: unknown }
  | { type: 'close'; id: number };

export type FromCore =
  | { type: 'ready' }
  | { type: 'response'; id: number; envelope: Envelope<unknown> }
  | { type: 'event'; requestId: number | null; name: string; payload: unknown }
  | { type: 'prefs:set'; key: string; value: unknown }
  | { type: 'closed'; id: number };

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/** Narrows an incoming message of the core side; anything else is null (and ignored). */
export function parseToCore(m: unknown): ToCore | null {
  if (!isRecord(m)) return null;
  switch (m.type) {
    case 'init':
      return isRecord(m.prefs) ? { type: 'init', prefs: m.prefs } : null;
    case 'request':
      return isId(m.id) && typeof m.channel === 'string' ? { type: 'request', id: m.id, channel: m.channel, payload: m.payload } : null;
    case 'close':
      return isId(m.id) ? { type: 'close', id: m.id } : null;
    default:
      return null;
  }
}

function isEnvelope(v: unknown): v is Envelope<unknown> {
  if (!isRecord(v)) return false;
  if (v.ok === true) return 'value' in v;
  return v.ok === false && isRecord(v.error) && typeof v.error.code === 'string' && typeof v.error.message === 'string';
}

/** Narrows an incoming message of the main side; anything else is null (and ignored). */
export function parseFromCore(m: unknown): FromCore | null {
  if (!isRecord(m)) return null;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'response':
      return isId(m.id) && isEnvelope(m.envelope) ? { type: 'response', id: m.id, envelope: m.envelope } : null;
    case 'event':
      return typeof m.name === 'string' && (m.requestId === null || m.requestId === undefined || isId(m.requestId))
        ? { type: 'event', requestId: m.requestId ?? null, name: m.name, payload: m.payload }
        : null;
    case 'prefs:set':
      return typeof m.key === 'string' ? { type: 'prefs:set', key: m.key, value: m.value } : null;
    case 'closed':
      return isId(m.id) ? { type: 'closed', id: m.id } : null;
    default:
      return null;
  }
}

export const CORE_TIMEOUT_MESSAGE = "Le traitement n'a pas répondu à temps. Réessayez ; si cela persiste, redémarrez Solidariciel.";
export const CORE_GONE_MESSAGE = "Le moteur de Solidariciel s'est arrêté. L'association a été verrouillée ; déverrouillez-la à nouveau.";

const internal = (message: string): Envelope<never> => ({ ok: false, error: { code: 'INTERNAL', message } });

export type EventListener = (name: string, payload: unknown) => void;

export interface RequestOptions {
  /** Events the core emits while handling this request (progress). */
  onEvent?: EventListener;
  /** Overrides the client's default timeout (ms). */
  timeoutMs?: number;
}

export interface CoreClient {
  /** Sends a request; resolves with the core's envelope, an INTERNAL envelope on timeout or when the core is gone. Never rejects. */
  request(channel: string, payload: unknown, options?: RequestOptions): Promise<Envelope<unknown>>;
  /** Events not tied to a live request (e.g. `session:locked` after idle). */
  onEvent(listener: EventListener): () => void;
  /** Resolves once the core said `ready` (immediately if it already did). */
  ready(): Promise<void>;
  /** Asks the core to lock and close; resolves on `closed` or after `timeoutMs`. Pending requests fail. */
  close(timeoutMs?: number): Promise<void>;
  /** The core process exited: fail every pending request. */
  fail(message?: string): void;
  /** Number of requests awaiting an answer (tests, diagnostics). */
  readonly pending: number;
}

export interface CoreClientOptions {
  /** Default request timeout, ms. Long operations (imports, Argon2id) stay well under it and report progress. */
  timeoutMs?: number;
  /** Where `prefs:set` messages go (electron-store in main). */
  onPrefsSet?: (key: string, value: unknown) => void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export const DEFAULT_CORE_TIMEOUT_MS = 10 * 60_000;

/**
 * Main side: correlates requests and responses by id, with a timeout per request. Late responses (after a timeout)
 * and unknown ids are dropped. Events tagged with a live request id go to that request's `onEvent`; others go to
 * the `onEvent` subscribers.
 */
export function createCoreClient(port: PortLike, options: CoreClientOptions = {}): CoreClient {
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const timeoutMs = options.timeoutMs ?? DEFAULT_CORE_TIMEOUT_MS;
  type Pending = { resolve: (e: Envelope<unknown>) => void; timer: unknown; onEvent: EventListener | undefined };
  const pending = new Map<number, Pending>();
  const closing = new Map<number, () => void>();
  const globalListeners = new Set<EventListener>();
  let nextId = 1;
  let isReady = false;
  let gone = false;
  const readyWaiters: Array<() => void> = [];

  const settle = (id: number, envelope: Envelope<unknown>) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    clearTimer(p.timer);
    p.resolve(envelope);
  };

  port.onMessage((raw) => {
    const m = parseFromCore(raw);
    if (!m) return;
    switch (m.type) {
      case 'ready':
        isReady = true;
        readyWaiters.splice(0).forEach((w) => w());
        return;
      case 'response':
        settle(m.id, m.envelope);
        return;
      case 'event': {
        const target = m.requestId !== null ? pending.get(m.requestId)?.onEvent : undefined;
        if (target) target(m.name, m.payload);
        else if (m.requestId === null) globalListeners.forEach((l) => l(m.name, m.payload));
        return;
      }
      case 'prefs:set':
        options.onPrefsSet?.(m.key, m.value);
        return;
      case 'closed':
        closing.get(m.id)?.();
        return;
    }
  });

  const client: CoreClient = {
    request(channel, payload, opts = {}) {
      if (gone) return Promise.resolve(internal(CORE_GONE_MESSAGE));
      const id = nextId++;
      return new Promise<Envelope<unknown>>((resolve) => {
        const timer = setTimer(() => settle(id, internal(CORE_TIMEOUT_MESSAGE)), opts.timeoutMs ?? timeoutMs);
        pending.set(id, { resolve, timer, onEvent: opts.onEvent });
        try {
          port.postMessage({ type: 'request', id, channel, payload } satisfies ToCore);
        } catch {
          settle(id, { ok: false, error: { code: 'VALIDATION', message: 'Ces données ne peuvent pas être transmises : réessayez ; si cela persiste, redémarrez Solidariciel.' } });
        }
      });
    },
    onEvent(listener) {
      globalListeners.add(listener);
      return () => globalListeners.delete(listener);
    },
    ready() {
      if (isReady) return Promise.resolve();
      return new Promise((resolve) => readyWaiters.push(resolve));
    },
    close(closeTimeoutMs = 5_000) {
      if (gone) return Promise.resolve();
      const id = nextId++;
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimer(timer);
          closing.delete(id);
          client.fail(CORE_GONE_MESSAGE);
          resolve();
        };
        const timer = setTimer(done, closeTimeoutMs);
        closing.set(id, done);
        try {
          port.postMessage({ type: 'close', id } satisfies ToCore);
        } catch {
          done();
        }
      });
    },
    fail(message = CORE_GONE_MESSAGE) {
      gone = true;
      for (const id of [...pending.keys()]) settle(id, internal(message));
      readyWaiters.splice(0).forEach((w) => w());
    },
    get pending() {
      return pending.size;
    },
  };
  return client;
}

/**
 * Core side preferences: a snapshot received in `init`, kept in memory for synchronous reads; every `set` updates the
 * snapshot and is sent to main, the single writer of the preferences file (electron-store).
 */
export class MirroredPreferences implements Preferences {
  private readonly data: Map<string, unknown>;
  constructor(
    snapshot: Record<string, unknown>,
    private readonly send: (message: FromCore) => void,
  ) {
    this.data = new Map(Object.entries(snapshot));
  }
  get(key: string): unknown {
    return this.data.get(key);
  }
  set(key: string, value: unknown): void {
    this.data.set(key, value);
    this.send({ type: 'prefs:set', key, value });
  }
}

/** What the core side needs from main/core: kept as parameters so tests pass a fake core. */
export interface CoreRuntime {
  /** Routes one request (main/core/dispatch.ts `dispatch(core.handlers, …)`); never throws. */
  handle(channel: string, payload: unknown, emit: (name: string, payload: unknown) => void): Promise<Envelope<unknown>>;
  close(): Promise<void>;
}

/**
 * Core side: waits for `init`, builds the runtime with the mirrored preferences and an `emit` for spontaneous events
 * (not tied to a request, e.g. `session:locked` after idle: sent with `requestId: null`), posts `ready`, then answers requests
 * (concurrently; the services serialise writes themselves). Requests arriving before `init` are queued.
 * Returns a promise resolved after `close` was handled (the entry then exits).
 */
export function serveCore(
  port: PortLike,
  build: (prefs: Preferences, emit: (name: string, payload: unknown) => void) => CoreRuntime | Promise<CoreRuntime>,
): Promise<void> {
  return new Promise<void>((finished) => {
    let runtime: Promise<CoreRuntime> | null = null;
    const send = (m: FromCore) => port.postMessage(m);
    const queue: ToCore[] = [];

    const handle = async (m: ToCore) => {
      if (m.type === 'init') return;
      const rt = await runtime!;
      if (m.type === 'request') {
        const emit = (name: string, payload: unknown) => send({ type: 'event', requestId: m.id, name, payload });
        let envelope: Envelope<unknown>;
        try {
          envelope = await rt.handle(m.channel, m.payload, emit);
        } catch {
          envelope = internal('Erreur interne inattendue.');
        }
        try {
          send({ type: 'response', id: m.id, envelope });
        } catch {
          send({ type: 'response', id: m.id, envelope: internal('Réponse impossible à transmettre.') });
        }
      } else {
        try {
          await rt.close();
        } finally {
          send({ type: 'closed', id: m.id });
          finished();
        }
      }
    };

    port.onMessage((raw) => {
      const m = parseToCore(raw);
      if (!m) return;
      if (m.type === 'init') {
        if (runtime) return; // one init only
        const prefs = new MirroredPreferences(m.prefs, send);
        // A core that cannot start answers everything with INTERNAL rather than hang.
        runtime = Promise.resolve()
          .then(() => build(prefs, (name, payload) => send({ type: 'event', requestId: null, name, payload })))
          .catch(() => failingRuntime);
        void runtime.then(() => {
          send({ type: 'ready' });
          queue.splice(0).forEach((q) => void handle(q));
        });
        return;
      }
      if (!runtime) queue.push(m);
      else void handle(m);
    });
  });
}

const failingRuntime: CoreRuntime = {
  handle: async () => internal("Le moteur de Solidariciel n'a pas pu démarrer."),
  close: async () => undefined,
};

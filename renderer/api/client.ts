/**
 * The typed client of the contract: the ONLY renderer code that touches the transport.
 * - Under Electron, the preload exposes `window.bridge` (shared/contract/bridge.ts).
 * - Under the browser host, channels are `POST /api/invoke/<channel>` (wire-encoded JSON, per-run token header
 *   claimed once with the launch code of the host's URL: ./hostSession.ts) and events arrive over one
 *   `EventSource('/api/events?token=…')`.
 * Failures are thrown as `ApiError { code, message }`; messages are French sentences ready for the UI.
 */
import type { Channel, Envelope, EventName, EventPayload, RequestOf, ResponseOf } from '../../shared/contract';
import type { Bridge } from '../../shared/contract/bridge';
import { decodeWire, encodeWire } from '../../shared/contract/wire';
import type { ErrorCode, FieldError } from '../../shared/domain/errors';
import i18n from '../i18n';
import { hostToken } from './hostSession';

declare global {
  interface Window {
    bridge?: Bridge;
  }
}

/**
 * A failed call: `code` is one of the stable ERROR_CODES, `message` is meant for the person at the desk; `fields` (on
 * VALIDATION) names each refused field by its request path with its own French message, for the form to show it there.
 */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly fields: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

// Under the browser host, exchange the launch code of the address bar at once (and take it out of the address bar).
if (typeof window !== 'undefined' && !window.bridge) void hostToken();

async function invokeOverHttp(channel: string, request: unknown): Promise<Envelope<unknown>> {
  const token = await hostToken();
  let response: Response;
  try {
    response = await fetch(`/api/invoke/${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-solidariciel-token': token },
      body: encodeWire(request),
    });
  } catch {
    throw new ApiError('NETWORK', i18n.t('errors.network'));
  }
  const text = await response.text();
  try {
    return decodeWire(text) as Envelope<unknown>;
  } catch {
    throw new ApiError('INTERNAL', i18n.t('errors.unreadable', { status: response.status }));
  }
}

/** Calls one channel of the contract. Throws ApiError on `{ ok: false }`. */
export async function invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const envelope = window.bridge ? await window.bridge.invoke(channel, request) : await invokeOverHttp(channel, request);
  if (!envelope.ok) throw new ApiError(envelope.error.code, envelope.error.message, envelope.error.fields ?? []);
  return envelope.value as ResponseOf<C>;
}

type AnyListener = (payload: unknown) => void;
const listeners = new Map<EventName, Set<AnyListener>>();
let source: Promise<EventSource> | null = null;

function ensureEventSource(): void {
  source ??= hostToken().then((token) => openEventSource(token));
}

function openEventSource(token: string): EventSource {
  const stream = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
  stream.onmessage = (message: MessageEvent<string>) => {
    let data: { event?: EventName; payload?: unknown };
    try {
      data = decodeWire(message.data) as { event?: EventName; payload?: unknown };
    } catch {
      return;
    }
    if (!data.event) return;
    for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
  };
  return stream;
}

/** Subscribes to a core event; returns the unsubscribe function. */
export function on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  if (window.bridge) return window.bridge.on(event, listener);
  ensureEventSource();
  const set = listeners.get(event) ?? new Set<AnyListener>();
  listeners.set(event, set);
  const wrapped = listener as AnyListener;
  set.add(wrapped);
  return () => set.delete(wrapped);
}

/** The message of any thrown value, for display. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** True when the error is an ApiError with this code. */
export function isApiError(error: unknown, code: ApiError['code']): error is ApiError {
  return error instanceof ApiError && error.code === code;
}

/** A fresh id for an operation whose progress events we want to follow. */
export function newOperationId(): string {
  return crypto.randomUUID();
}

/** True under Electron, where `os:*` dialogs exist; the browser host answers UNSUPPORTED to them. */
export function nativeDialogsAvailable(): boolean {
  return !!window.bridge;
}

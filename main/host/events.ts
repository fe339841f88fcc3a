/**
 * Server-Sent Events for the browser host: every core event emitted through the handler context is written to every
 * connected `GET /api/events` listener as one `data:` line holding the wire-encoded `{ event, payload }`.
 */
import type { ServerResponse } from 'node:http';
import type { EventName, EventPayload } from '../../shared/contract';
import { encodeWire } from '../../shared/contract/wire';
import type { HandlerContext } from '../core/dispatch';

/** Interval of the keep-alive comment, so that idle proxies and the browser keep the stream open. */
const HEARTBEAT_MS = 20_000;

export class EventHub {
  private readonly listeners = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;
  private closing = false;

  /**
   * @param onDetach called when a listener's connection closes on its side (its page reloaded, was closed or
   *   crashed), never when the hub itself closes: the host locks the association then (docs/ui.md « Session and
   *   locking »).
   */
  constructor(private readonly onDetach: () => void = () => undefined) {
    this.heartbeat = setInterval(() => this.writeAll(': ping\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** How many listeners are connected (tests wait for their subscription to be registered). */
  get size(): number {
    return this.listeners.size;
  }

  /**
   * Takes over a raw response as an event stream: writes the SSE headers (plus `extraHeaders`) and an opening
   * comment, and forgets the listener when the connection closes.
   */
  attach(res: ServerResponse, extraHeaders: Readonly<Record<string, string>>): void {
    res.writeHead(200, {
      ...extraHeaders,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': connecté\n\n');
    this.listeners.add(res);
    res.on('close', () => {
      this.listeners.delete(res);
      if (!this.closing) this.onDetach();
    });
  }

  /** Sends one event to every listener. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.writeAll(`data: ${encodeWire({ event, payload })}\n\n`);
  }

  /** A handler context whose `emit` goes to every listener. */
  context(): HandlerContext {
    return { emit: (event, payload) => this.emit(event, payload) };
  }

  /** Ends every stream and stops the heartbeat (before the server closes, so that close does not wait on them). */
  close(): void {
    this.closing = true;
    clearInterval(this.heartbeat);
    for (const res of this.listeners) res.end();
    this.listeners.clear();
  }

  private writeAll(chunk: string): void {
    for (const res of this.listeners) {
      if (!res.writableEnded) res.write(chunk);
    }
  }
}

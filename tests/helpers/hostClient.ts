/**
 * Raw HTTP helpers for tests of the browser host (main/host/server.ts). They use node:http rather than fetch so that
 * a test can forge any header (Host, Origin) and read the event stream chunk by chunk.
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import { decodeWire, encodeWire } from '../../shared/contract/wire';
import type { Envelope } from '../../shared/contract';
import { TOKEN_HEADER } from '../../main/host/security';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Sends one request to `url` (absolute) and collects the whole response body as UTF-8. */
export function rawRequest(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/**
 * POSTs `body` (already wire text, or a value to encode) to `/api/invoke/<channel>` with the token (unless
 * `token: null`) and returns the HTTP status and the decoded envelope.
 */
export async function invoke(
  baseUrl: string,
  token: string | null,
  channel: string,
  payload: unknown,
  options: { rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; envelope: Envelope<unknown>; headers: IncomingHttpHeaders }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (token !== null) headers[TOKEN_HEADER] = token;
  const res = await rawRequest(new URL(`api/invoke/${channel}`, baseUrl).href, {
    method: 'POST',
    headers,
    body: options.rawBody ?? encodeWire(payload),
  });
  return { status: res.status, envelope: decodeWire(res.body) as Envelope<unknown>, headers: res.headers };
}

export interface EventStream {
  status: number;
  headers: IncomingHttpHeaders;
  /** Resolves with the next `{ event, payload }` message (rejects after `timeoutMs`). */
  next(timeoutMs?: number): Promise<{ event: string; payload: unknown }>;
  close(): void;
}

/** Opens `GET /api/events?token=…` and parses its `data:` lines. Resolves once the response headers arrived. */
export function openEvents(baseUrl: string, token: string): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const url = new URL('api/events', baseUrl);
    url.searchParams.set('token', token);
    const req = request(url, { method: 'GET', headers: { accept: 'text/event-stream' } }, (res) => {
      const queue: { event: string; payload: unknown }[] = [];
      const waiters: ((m: { event: string; payload: unknown }) => void)[] = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n');
          if (!data) continue;
          const message = decodeWire(data) as { event: string; payload: unknown };
          const waiter = waiters.shift();
          if (waiter) waiter(message);
          else queue.push(message);
        }
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        next(timeoutMs = 5000) {
          const queued = queue.shift();
          if (queued) return Promise.resolve(queued);
          return new Promise((ok, ko) => {
            const timer = setTimeout(() => ko(new Error('aucun événement reçu')), timeoutMs);
            waiters.push((m) => {
              clearTimeout(timer);
              ok(m);
            });
          });
        },
        close() {
          req.destroy();
        },
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** The one-time code in a host's printed URL (`…/#code=<code>`), or '' when it has none. */
export function launchCode(launchUrl: string): string {
  return new URLSearchParams(new URL(launchUrl).hash.slice(1)).get('code') ?? '';
}

/**
 * Exchanges a launch code for the token as the renderer does: `POST /api/session/claim` with the code in the
 * `x-solidariciel-launch-code` header (omitted when `code` is null). Returns the status and the decoded envelope.
 */
export async function claim(
  baseUrl: string,
  code: string | null,
  headers: Record<string, string> = {},
): Promise<{ status: number; envelope: Envelope<unknown>; headers: IncomingHttpHeaders }> {
  const all: Record<string, string> = { ...headers };
  if (code !== null) all['x-solidariciel-launch-code'] = code;
  const res = await rawRequest(new URL('api/session/claim', baseUrl).href, { method: 'POST', headers: all, body: '' });
  let envelope: Envelope<unknown>;
  try {
    envelope = decodeWire(res.body) as Envelope<unknown>;
  } catch {
    envelope = { ok: false, error: { code: 'INTERNAL', message: res.body.slice(0, 200) } };
  }
  return { status: res.status, envelope, headers: res.headers };
}

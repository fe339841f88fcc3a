/**
 * The browser host (DESIGN.md "Processes"): serves the built renderer and the contract over HTTP on 127.0.0.1 with
 * the real core services behind it, so that end-to-end tests drive the real UI in Chromium where no Electron binary
 * exists. A development and test tool: it never listens on a LAN address.
 *
 * Protocol (what renderer/api speaks when there is no Electron bridge; docs/testing.md "The browser host"):
 * - the host prints `launchUrl`, `http://127.0.0.1:PORT/#code=<one-time code>`; nothing it serves holds the token;
 * - `POST /api/session/claim`, header `x-solidariciel-launch-code: <code>` → `{ ok: true, value: { token } }` the
 *   first time, 401 afterwards and for a wrong or missing code (the page keeps the token in sessionStorage);
 * - `GET /` (and any extension-less path): index.html as built; other paths: files of staticDir;
 * - `POST /api/invoke/:channel`, header `x-solidariciel-token: <token>`, body = `encodeWire(payload)` (any content
 *   type) → `encodeWire(envelope)`; HTTP 200 for every envelope, 400 for a body that is not valid wire JSON,
 *   401 without the right token (nothing runs), 403 for a foreign Host or Origin, 413 past 300 MiB.
 *   `os:*` channels answer `{ ok: false, error: { code: 'UNSUPPORTED' } }`: the renderer asks for a typed path or
 *   downloads. Channels that write to a path (shared/contract/writes.ts) write only inside `exportDir`
 *   (main/host/savePaths.ts);
 * - `GET /api/events?token=<token>`: Server-Sent Events, each `data:` line is `encodeWire({ event, payload })`;
 *   when such a stream closes (its page reloaded, closed or crashed) the association is locked.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyReply } from 'fastify';
import type { Envelope } from '../../shared/contract';
import { osChannels } from '../../shared/contract/os';
import { decodeWire, encodeWire } from '../../shared/contract/wire';
import type { ErrorCode } from '../../shared/domain/errors';
import { dispatch, toErrorEnvelope } from '../core/dispatch';
import { FilePreferences } from '../core/filePreferences';
import { createCore, type Core } from '../core/index';
import { EventHub } from './events';
import { HostSavePaths } from './savePaths';
import {
  CLAIM_PATH,
  CODE_HEADER,
  LOOPBACK,
  LaunchCode,
  SECURITY_HEADERS,
  TOKEN_HEADER,
  allowedHosts,
  assertTokenShape,
  launchUrl,
  newToken,
  refuseReason,
  tokenMatches,
} from './security';

/** Largest accepted request body: a 200 MiB document grows by a third in base64. */
export const MAX_BODY_BYTES = 300 * 1024 * 1024;

/** Keys refused anywhere in a request body (prototype pollution attempts). */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 64;

export interface HostOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** Folder of the built renderer (`dist/renderer`), holding index.html. */
  staticDir: string;
  /** JSON file of the non-secret preferences (recent associations). */
  prefsFile: string;
  /** Fixed token (tests); by default 32 random bytes, base64url. At least 32 base64url characters. */
  token?: string;
  /**
   * The export folder the person chose (`--export-dir`): the only place where `vault:exportDocument` and
   * `db:rawCopy` may write, directly inside, under a new plain name. Without it they are refused.
   */
  exportDir?: string;
  /**
   * Core to serve instead of `createCore({ prefs, onLocked })` (tests with fake handlers). Closed with the host.
   * The default core's `onLocked` becomes the `session:locked` event.
   */
  core?: Core;
}

export interface Host {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  /** `http://127.0.0.1:PORT/#code=<one-time code>`: the URL to print for the person who started the host. */
  launchUrl: string;
  port: number;
  token: string;
  /** Ends the event streams, stops listening and closes the core (locks the association). Idempotent. */
  close(): Promise<void>;
}

function failure(code: ErrorCode, message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}

function isOsChannel(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(osChannels, name);
}

/**
 * Decodes a request body: empty → `undefined` (the channel's defaults apply); otherwise wire JSON whose keys are
 * checked. Throws an Error with a French message naming the problem.
 */
export function decodeBody(body: unknown): unknown {
  const text = typeof body === 'string' ? body : '';
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = decodeWire(text);
  } catch {
    throw new Error('corps de requête illisible : JSON attendu');
  }
  assertSafeKeys(value);
  return value;
}

/** Walks a decoded value (iteratively) and throws on a forbidden key or a nesting deeper than MAX_DEPTH. */
function assertSafeKeys(root: unknown): void {
  const stack: { value: unknown; path: string[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object' || value instanceof Uint8Array) continue;
    if (path.length > MAX_DEPTH) throw new Error('corps de requête trop imbriqué');
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) throw new Error(`champ « ${[...path, key].join('.')} » : clé interdite`);
      stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
}

/** `path` percent-decoded; undecodable text is returned as it is. */
function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function sendJson(reply: FastifyReply, status: number, envelope: Envelope<unknown>): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').header('cache-control', 'no-store').send(encodeWire(envelope));
}

/**
 * Starts the browser host on 127.0.0.1. Resolves once it listens.
 * Throws if the port is not an integer in 0..65535, if a given token is malformed, or if listening fails.
 */
export async function startHost(options: HostOptions): Promise<Host> {
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new Error(`port invalide : ${String(options.port)}`);
  }
  const token = options.token ?? newToken();
  assertTokenShape(token);
  const code = new LaunchCode();
  const savePaths = new HostSavePaths(options.exportDir);
  const staticDir = resolve(options.staticDir);
  // The page that held the session is gone (reload, tab closed or crashed: its event stream closed): lock. A fresh
  // page's `session:start` locks too; this also covers a page that never comes back. docs/ui.md « Session and locking ».
  const hub = new EventHub(() => void core.lock('user').catch(() => undefined));
  const core: Core =
    options.core ??
    createCore({ prefs: new FilePreferences(options.prefsFile), backgroundSync: true, onLocked: (reason) => hub.emit('session:locked', { reason }), onEvent: (event, payload) => hub.emit(event, payload) });
  let hosts = new Set<string>();

  const app = Fastify({ logger: false, bodyLimit: MAX_BODY_BYTES, return503OnClosing: true });

  // Every body is read as text and decoded by the route itself (malformed JSON must become a VALIDATION envelope).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (req, reply) => {
    reply.headers(SECURITY_HEADERS);
    const refused = refuseReason(hosts, req.headers.host, req.headers.origin);
    if (refused) return sendJson(reply, 403, failure('FORBIDDEN', `Requête refusée : ${refused}.`));
    // The route the router matched decides, not the raw URL: the router decodes the path, so `/%61pi/invoke/…`
    // reaches the invoke route although its raw text does not start with `/api/`.
    const route = req.routeOptions.url ?? '';
    const path = req.url.split('?', 1)[0] ?? '';
    if (route === CLAIM_PATH && req.method === 'POST') return undefined; // the route checks the launch code itself
    if (route.startsWith('/api/') || path.startsWith('/api/') || decodedPath(path).startsWith('/api/')) {
      const presented = route === '/api/events' || path === '/api/events' ? (req.query as Record<string, unknown>).token : req.headers[TOKEN_HEADER];
      if (!tokenMatches(token, presented)) return sendJson(reply, 401, failure('FORBIDDEN', "Session du navigateur non reconnue : ouvrez l'adresse complète affichée par l'hôte au démarrage (son code ne sert qu'une fois)."));
    }
    return undefined;
  });

  app.setErrorHandler((error: { statusCode?: number }, _req, reply) => {
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status === 413) return sendJson(reply, 413, failure('VALIDATION', 'Requête trop volumineuse (300 Mo au plus).'));
    if (status >= 400 && status < 500) return sendJson(reply, status, failure('VALIDATION', 'Requête invalide.'));
    return sendJson(reply, 500, toErrorEnvelope(error));
  });

  app.post(CLAIM_PATH, async (req, reply) => {
    if (!code.redeem(req.headers[CODE_HEADER])) {
      return sendJson(
        reply,
        401,
        failure('FORBIDDEN', "Code d'ouverture absent, invalide ou déjà utilisé : ouvrez l'adresse complète affichée par l'hôte au démarrage, ou relancez-le."),
      );
    }
    return sendJson(reply, 200, { ok: true, value: { token } });
  });

  app.post<{ Params: { channel: string } }>('/api/invoke/:channel', async (req, reply) => {
    const channel = req.params.channel;
    let payload: unknown;
    try {
      payload = decodeBody(req.body);
    } catch (error) {
      return sendJson(reply, 400, failure('VALIDATION', `La demande n’a pas pu être lue (${(error as Error).message}) : réessayez ; si cela persiste, rechargez la page.`));
    }
    if (isOsChannel(channel)) {
      return sendJson(reply, 200, failure('UNSUPPORTED', "Cette action n'est pas disponible dans la version navigateur : saisissez le chemin à la main."));
    }
    const vetted = savePaths.vet(channel, payload);
    if (!vetted.ok) return sendJson(reply, 200, vetted.envelope);
    return sendJson(reply, 200, await dispatch(core.handlers, channel, vetted.payload, hub.context()));
  });

  app.get('/api/events', (_req, reply) => {
    reply.hijack();
    hub.attach(reply.raw, SECURITY_HEADERS);
  });

  const sendIndex = async (reply: FastifyReply): Promise<FastifyReply> => {
    let html: string;
    try {
      html = await readFile(join(staticDir, 'index.html'), 'utf8');
    } catch {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(`Interface absente : ${join(staticDir, 'index.html')} introuvable. Lancez « npm run build:renderer ».`);
    }
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  };
  app.get('/', (_req, reply) => sendIndex(reply));
  app.get('/index.html', (_req, reply) => sendIndex(reply));

  await app.register(fastifyStatic, { root: staticDir, index: false, wildcard: true, dotfiles: 'ignore', decorateReply: false });

  // Client-side routes (no extension) get the app; missing assets and unknown API paths get a 404.
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?', 1)[0] ?? '';
    if ((req.method === 'GET' || req.method === 'HEAD') && !path.startsWith('/api/') && extname(path) === '') return sendIndex(reply);
    return sendJson(reply, 404, failure('NOT_FOUND', 'Adresse inconnue.'));
  });

  try {
    await app.listen({ host: LOOPBACK, port: options.port });
  } catch (error) {
    hub.close();
    await core.close();
    throw error;
  }
  const address = app.server.address();
  if (address === null || typeof address === 'string' || address.address !== LOOPBACK) {
    await app.close();
    throw new Error('le serveur n’écoute pas sur 127.0.0.1');
  }
  const port = address.port;
  hosts = allowedHosts(port);
  const url = `http://${LOOPBACK}:${port}/`;

  let closing: Promise<void> | undefined;
  return {
    url,
    launchUrl: launchUrl(url, code.value),
    port,
    token,
    close() {
      closing ??= (async () => {
        hub.close();
        try {
          await app.close();
        } finally {
          await core.close();
        }
      })();
      return closing;
    },
  };
}

/**
 * The browser host's guards: the per-run token, the Host/Origin checks against DNS rebinding and cross-site
 * requests, and the security headers sent with every response.
 *
 * The host is a development and test tool (DESIGN.md "Processes"): it listens on 127.0.0.1 only and every API call
 * must carry the token that only the served index.html knows.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Name of the request header that carries the token on `POST /api/invoke/:channel`. */
export const TOKEN_HEADER = 'x-solidariciel-token';

/** Name of the `<meta>` element through which the renderer reads the token (CSP forbids inline scripts). */
export const TOKEN_META = 'solidariciel-token';

/** The only loopback address the host ever binds. */
export const LOOPBACK = '127.0.0.1';

/** Content-Security-Policy of every response (same policy as the Electron window, plus what Vite's output needs). */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "img-src 'self' blob: data:",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
].join('; ');

/** Headers added to every response, static files included. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,256}$/;

/** A fresh token: 32 random bytes, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Checks a caller-chosen token (tests may fix one). Throws a French Error if it is shorter than 32 characters or
 * holds anything but base64url characters (it is written verbatim into an HTML attribute).
 */
export function assertTokenShape(token: string): void {
  if (!TOKEN_SHAPE.test(token)) {
    throw new Error('jeton invalide : au moins 32 caractères parmi A-Z a-z 0-9 _ -');
  }
}

/**
 * Compares a presented token with the expected one in constant time (both sides are hashed first, so neither the
 * content nor the length leaks through timing). `undefined`, arrays (a repeated header) and empty strings fail.
 */
export function tokenMatches(expected: string, presented: unknown): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false;
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(presented, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** The Host header values the host answers to once it listens on `port`. */
export function allowedHosts(port: number): Set<string> {
  return new Set([`${LOOPBACK}:${port}`, `localhost:${port}`]);
}

/**
 * Why a request must be refused before anything else runs, or `null` when it may go on:
 * - a Host header other than 127.0.0.1:port or localhost:port (DNS rebinding: a hostile page whose name now resolves
 *   to 127.0.0.1 still sends its own name);
 * - an Origin header other than the host's own (`http://<host header>`), including `null`.
 */
export function refuseReason(hosts: Set<string>, host: unknown, origin: unknown): string | null {
  if (typeof host !== 'string' || !hosts.has(host.toLowerCase())) return 'en-tête Host refusé';
  if (origin === undefined) return null;
  if (typeof origin !== 'string' || origin.toLowerCase() !== `http://${host.toLowerCase()}`) return 'origine refusée';
  return null;
}

/**
 * Inserts `<meta name="solidariciel-token" content="…">` right after `<head …>` (or at the start of the document if
 * it has no head). The token is base64url (checked by `assertTokenShape`), so it needs no escaping.
 */
export function injectTokenMeta(html: string, token: string): string {
  const meta = `<meta name="${TOKEN_META}" content="${token}">`;
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (!head) return meta + html;
  const at = head.index + head[0].length;
  return `${html.slice(0, at)}\n    ${meta}${html.slice(at)}`;
}

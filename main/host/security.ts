/**
 * The browser host's guards: the per-run token, the one-time launch code that is exchanged for it, the Host/Origin
 * checks against DNS rebinding and cross-site requests, and the security headers sent with every response.
 *
 * The host is a development and test tool (DESIGN.md "Processes"): it listens on 127.0.0.1 only, where every local
 * OS user can connect. So nothing it serves without the token holds the token (docs/threat-model.md): the URL it
 * prints carries a one-time code in its fragment (`…/#code=<code>`, never sent to the server by a browser), the page
 * exchanges it once on `POST /api/session/claim` for the token, and the code is dead after that first exchange.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Name of the request header that carries the token on `POST /api/invoke/:channel`. */
export const TOKEN_HEADER = 'x-solidariciel-token';

/** Name of the request header that carries the launch code on `POST /api/session/claim`. */
export const CODE_HEADER = 'x-solidariciel-launch-code';

/** The one route answered without the token: it exchanges the launch code for it. */
export const CLAIM_PATH = '/api/session/claim';

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
 * The launch code: 32 random bytes (base64url), printed once in the host's URL fragment, redeemable exactly once.
 * A wrong attempt does not spend it (it cannot be guessed: 256 bits); the first right one does.
 */
export class LaunchCode {
  private spent = false;

  constructor(readonly value: string = newToken()) {
    assertTokenShape(value);
  }

  /** True, once, for the right code (compared in constant time); false afterwards and for anything else. */
  redeem(presented: unknown): boolean {
    if (this.spent || !tokenMatches(this.value, presented)) return false;
    this.spent = true;
    return true;
  }
}

/** The URL to print: the host's base URL with the launch code in its fragment (`http://127.0.0.1:PORT/#code=…`). */
export function launchUrl(baseUrl: string, code: string): string {
  return `${baseUrl}#code=${code}`;
}

/**
 * Serves the built renderer (dist/renderer) from the privileged custom scheme `app://solidariciel/…`
 * (Electron security checklist: "do not use file://"). Every response carries the CSP of options.ts.
 * The path logic is the pure `resolveAppRequest`; `registerAppScheme` / `serveAppProtocol` are the thin Electron glue
 * (they receive Electron's `protocol` module from main/index.ts: no runtime `electron` import here).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Protocol } from 'electron';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './options';

export type ResolvedRequest = { ok: true; file: string } | { ok: false; status: 400 | 403 | 404 | 405; reason: string };

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.bcmap': 'application/octet-stream',
  '.pfb': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
};

/** MIME type by extension; unknown extensions are served as opaque bytes. */
export function contentTypeFor(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** A raw dot segment (`/../`, `/./`) or its percent-encoded forms, before any URL normalisation. */
const RAW_DOT_SEGMENT = /(^|[/\\]|%2f|%5c)(\.|%2e){1,2}([/\\?#]|%2f|%5c|$)/i;

/**
 * Maps a request URL of the app scheme to a file under `root` (absolute path of dist/renderer).
 * - Only `app://solidariciel/…`; other hosts → 403.
 * - `/` → `index.html`; a path without extension (client-side route) → `index.html`.
 * - Refused with 400: any dot segment (raw or percent-encoded, `%2e%2e`), an encoded separator (`%2f`, `%5c`) or a
 *   backslash, a NUL byte, a drive letter or colon, malformed percent-encoding. Chromium already normalises `..` in
 *   standard-scheme URLs; this function does not rely on it.
 * - Whatever passes must still resolve strictly inside `root` (checked with path.relative) — defence in depth.
 * Never touches the file system.
 */
export function resolveAppRequest(root: string, url: string): ResolvedRequest {
  if (RAW_DOT_SEGMENT.test(url.replace(/^[a-z]+:\/\/[^/]*/i, ''))) return { ok: false, status: 400, reason: 'dot segment' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, status: 400, reason: 'bad url' };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST || parsed.username || parsed.password) {
    return { ok: false, status: 403, reason: 'foreign origin' };
  }
  const rawSegments = parsed.pathname.split('/').filter((s) => s !== '');
  const segments: string[] = [];
  for (const raw of rawSegments) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400, reason: 'bad encoding' };
    }
    if (seg === '.' || seg === '..' || /[/\\:\0]/.test(seg) || seg.trim() === '') {
      return { ok: false, status: 400, reason: 'bad segment' };
    }
    segments.push(seg);
  }
  const last = segments[segments.length - 1];
  if (last === undefined || path.extname(last) === '') segments.splice(0, segments.length, 'index.html');
  const rootAbs = path.resolve(root);
  const file = path.resolve(rootAbs, ...segments);
  const rel = path.relative(rootAbs, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { ok: false, status: 403, reason: 'outside root' };
  return { ok: true, file };
}

/** Headers of every app response (including errors). */
export function responseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}

/** The scheme declaration; must be passed to `protocol.registerSchemesAsPrivileged` before `app` is ready. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const;

/** Declares the scheme (call before app ready). */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ ...APP_SCHEME_PRIVILEGES, privileges: { ...APP_SCHEME_PRIVILEGES.privileges } }]);
}

/**
 * Answers one request of the app scheme: GET/HEAD only, file read from `root`, CSP on every response.
 * Exported for tests (it needs only the global `Response` of Node ≥ 18 and the file system).
 */
export async function answerAppRequest(root: string, request: { url: string; method: string }): Promise<Response> {
  const text = (status: number, body: string): Response =>
    new Response(body, { status, headers: responseHeaders('text/plain; charset=utf-8') });
  if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Method Not Allowed');
  const resolved = resolveAppRequest(root, request.url);
  if (!resolved.ok) return text(resolved.status, resolved.reason);
  try {
    const body = await readFile(resolved.file);
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: responseHeaders(contentTypeFor(resolved.file)) });
  } catch {
    return text(404, 'Not Found');
  }
}

/** Serves `root` on the app scheme (call once the app is ready). */
export function serveAppProtocol(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(APP_SCHEME, (request) => answerAppRequest(root, request));
}

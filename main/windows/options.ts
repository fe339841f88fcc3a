/**
 * The Electron security baseline as pure data and pure functions (DESIGN.md "Electron security baseline").
 * main/index.ts applies exactly these values; tests/unit/electron/ asserts them by importing this module, so the
 * tests read the real configuration, not a copy. No runtime `electron` import here (types only).
 */
import type { BrowserWindowConstructorOptions, WindowOpenHandlerResponse } from 'electron';

/** The custom scheme the renderer is served from (main/windows/protocol.ts). */
export const APP_SCHEME = 'app';
/** The only host of that scheme. */
export const APP_HOST = 'solidariciel';
/** Origin-like prefix of every page of the app. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the window opens. */
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/**
 * Content-Security-Policy sent with every response of the app scheme.
 * - `script-src 'self'` and no `'unsafe-eval'` / `'unsafe-inline'` for scripts.
 * - `worker-src 'self' blob:`: pdfjs-dist runs its worker from a same-origin file (`blob:` for libraries that wrap it).
 * - `style-src 'unsafe-inline'`: React `style={…}` attributes; styles cannot run code.
 * - `img-src blob: data:`: scanned pages and thumbnails built in memory.
 * - `connect-src 'self'`: no network from the renderer (sync goes through the core).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
  "img-src 'self' blob: data:",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
].join('; ');

/**
 * Options of the main window.
 * @param preloadPath absolute path of the bundled preload (dist/main/preload.cjs).
 * @param iconPath absolute path of the window's icon (dist/renderer/icon.png, from renderer/public; the installers
 *   take theirs from build/icon.png, electron-builder's buildResources).
 */
export function buildWindowOptions(preloadPath: string, iconPath?: string): BrowserWindowConstructorOptions {
  return {
    ...(iconPath ? { icon: iconPath } : {}),
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Solidariciel',
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // The app never runs page scripts it did not ship: nothing else to enable.
    },
  };
}

/** Parses `url` and tells whether it belongs to the app (`app://solidariciel/…`, no credentials). */
export function isAppUrl(url: unknown): boolean {
  if (typeof url !== 'string' || url.length > 8192) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === ''
  );
}

/**
 * Whether the window may navigate to `url` (`will-navigate`, `will-redirect`): only inside the app's own origin.
 * Everything else (https:, http:, file:, javascript:, data:, blob:, other hosts of the app scheme) is refused.
 */
export function isAllowedNavigation(url: unknown): boolean {
  return isAppUrl(url);
}

/** `webContents.setWindowOpenHandler`: no new windows, ever (links to the web are not part of the app). */
export function windowOpenHandler(): WindowOpenHandlerResponse {
  return { action: 'deny' };
}

/** The subset of Electron's permission request details the decision uses. */
export interface PermissionDetails {
  requestingUrl?: string;
  isMainFrame?: boolean;
  /** For `media`: what getUserMedia asked for. */
  mediaTypes?: ReadonlyArray<string>;
}

/**
 * `session.setPermissionRequestHandler`: every permission is denied, except `media` asking for video only
 * (the camera), from the app's main frame. Chromium asks this only when the page calls getUserMedia, which the
 * renderer does only when the person clicks "Photographier une pièce" (camera on explicit use).
 */
export function permissionRequestHandler(permission: string, details: PermissionDetails): boolean {
  if (permission !== 'media') return false;
  if (!isAppUrl(details.requestingUrl) || details.isMainFrame === false) return false;
  const types = details.mediaTypes ?? [];
  return types.length > 0 && types.every((t) => t === 'video');
}

/**
 * `session.setPermissionCheckHandler` (synchronous checks such as device enumeration): only `media`/video for the
 * app's origin, consistent with `permissionRequestHandler`.
 */
export function permissionCheckHandler(permission: string, requestingOrigin: string, mediaType?: string): boolean {
  return permission === 'media' && mediaType === 'video' && isAppUrl(requestingOrigin);
}

/**
 * Whether an IPC message comes from a frame of the app (`event.senderFrame.url`). A destroyed frame (null/undefined),
 * a frame that navigated elsewhere, `file:`, `devtools:`, `about:blank` and remote pages are all untrusted.
 */
export function isTrustedSender(frameUrl: unknown): boolean {
  return isAppUrl(frameUrl);
}

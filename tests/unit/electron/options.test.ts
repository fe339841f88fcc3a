/**
 * The security baseline (DESIGN.md "Electron security baseline"), asserted on the real values main/index.ts applies
 * (it imports these very functions; composition.test.ts checks that it does).
 */
import { describe, expect, it } from 'vitest';
import {
  APP_START_URL,
  CONTENT_SECURITY_POLICY,
  buildWindowOptions,
  isAllowedNavigation,
  isTrustedSender,
  permissionCheckHandler,
  permissionRequestHandler,
  windowOpenHandler,
} from '../../../main/windows/options';

function csp(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of CONTENT_SECURITY_POLICY.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name, values);
  }
  return map;
}

describe('BrowserWindow options', () => {
  const wp = buildWindowOptions('/abs/preload.cjs').webPreferences!;
  it('sandboxes the renderer and isolates the context', () => {
    expect(wp.sandbox).toBe(true);
    expect(wp.contextIsolation).toBe(true);
    expect(wp.nodeIntegration).toBe(false);
    expect(wp.nodeIntegrationInWorker).toBe(false);
    expect(wp.nodeIntegrationInSubFrames).toBe(false);
  });
  it('keeps web security on and webviews off', () => {
    expect(wp.webSecurity).toBe(true);
    expect(wp.allowRunningInsecureContent).toBe(false);
    expect(wp.webviewTag).toBe(false);
    expect(wp.experimentalFeatures).toBe(false);
    expect(wp.spellcheck).toBe(false);
  });
  it('uses the given preload', () => {
    expect(wp.preload).toBe('/abs/preload.cjs');
  });
  it('opens the app scheme', () => {
    expect(APP_START_URL).toBe('app://solidariciel/index.html');
  });
});

describe('Content-Security-Policy', () => {
  it("allows scripts from 'self' only, never eval or inline", () => {
    expect(csp().get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('wasm-unsafe-eval');
    expect(csp().get('script-src')).not.toContain("'unsafe-inline'");
  });
  it('locks down objects, base, framing, forms and network', () => {
    const c = csp();
    expect(c.get('default-src')).toEqual(["'self'"]);
    expect(c.get('object-src')).toEqual(["'none'"]);
    expect(c.get('base-uri')).toEqual(["'none'"]);
    expect(c.get('frame-ancestors')).toEqual(["'none'"]);
    expect(c.get('form-action')).toEqual(["'none'"]);
    expect(c.get('connect-src')).toEqual(["'self'"]);
  });
  it('lets pdfjs run its same-origin worker and shows in-memory images', () => {
    const c = csp();
    expect(c.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect(c.get('img-src')).toEqual(["'self'", 'blob:', 'data:']);
  });
  it('names no remote host', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*/);
  });
});

describe('navigation guard', () => {
  it.each(['app://solidariciel/', 'app://solidariciel/index.html', 'app://solidariciel/personnes?q=a#x'])('allows %s', (url) => {
    expect(isAllowedNavigation(url)).toBe(true);
  });
  it.each([
    'https://example.org/',
    'http://127.0.0.1:5173/',
    'file:///etc/passwd',
    'file:///C:/Windows/win.ini',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'blob:app://solidariciel/1234',
    'about:blank',
    'devtools://devtools/bundled/inspector.html',
    'app://evil/',
    'app://solidariciel.evil.org/',
    'app://solidariciel@evil.org/',
    'app://user:pw@solidariciel/',
    'app://solidariciel:8080/',
    'APP://evil/',
    'app:solidariciel/index.html',
    '',
    'not a url',
  ])('denies %s', (url) => {
    expect(isAllowedNavigation(url)).toBe(false);
  });
  it('denies non-strings', () => {
    expect(isAllowedNavigation(undefined)).toBe(false);
    expect(isAllowedNavigation(null)).toBe(false);
    expect(isAllowedNavigation({ toString: () => 'app://solidariciel/' })).toBe(false);
  });
});

describe('window.open', () => {
  it('is always denied', () => {
    expect(windowOpenHandler()).toEqual({ action: 'deny' });
  });
});

describe('permissions', () => {
  const fromApp = { requestingUrl: 'app://solidariciel/index.html', isMainFrame: true };
  it('grants the camera (video only) to the app on request', () => {
    expect(permissionRequestHandler('media', { ...fromApp, mediaTypes: ['video'] })).toBe(true);
  });
  it('denies microphone, audio+video and unspecified media', () => {
    expect(permissionRequestHandler('media', { ...fromApp, mediaTypes: ['audio'] })).toBe(false);
    expect(permissionRequestHandler('media', { ...fromApp, mediaTypes: ['video', 'audio'] })).toBe(false);
    expect(permissionRequestHandler('media', { ...fromApp, mediaTypes: [] })).toBe(false);
    expect(permissionRequestHandler('media', { ...fromApp })).toBe(false);
  });
  it('denies the camera to other origins and subframes', () => {
    expect(permissionRequestHandler('media', { requestingUrl: 'https://evil.org/', mediaTypes: ['video'] })).toBe(false);
    expect(permissionRequestHandler('media', { requestingUrl: 'file:///x.html', mediaTypes: ['video'] })).toBe(false);
    expect(permissionRequestHandler('media', { ...fromApp, isMainFrame: false, mediaTypes: ['video'] })).toBe(false);
    expect(permissionRequestHandler('media', { mediaTypes: ['video'] })).toBe(false);
  });
  it.each([
    'geolocation',
    'notifications',
    'clipboard-read',
    'clipboard-sanitized-write',
    'display-capture',
    'fullscreen',
    'midi',
    'midiSysex',
    'openExternal',
    'pointerLock',
    'keyboardLock',
    'idle-detection',
    'mediaKeySystem',
    'storage-access',
    'window-management',
    'fileSystem',
    'unknown',
  ])('denies %s', (permission) => {
    expect(permissionRequestHandler(permission, { ...fromApp, mediaTypes: ['video'] })).toBe(false);
  });
  it('checks: only media/video from the app', () => {
    expect(permissionCheckHandler('media', 'app://solidariciel', 'video')).toBe(true);
    expect(permissionCheckHandler('media', 'app://solidariciel', 'audio')).toBe(false);
    expect(permissionCheckHandler('media', 'https://evil.org', 'video')).toBe(false);
    expect(permissionCheckHandler('hid', 'app://solidariciel')).toBe(false);
    expect(permissionCheckHandler('serial', 'app://solidariciel')).toBe(false);
    expect(permissionCheckHandler('usb', 'app://solidariciel')).toBe(false);
  });
});

describe('IPC sender check', () => {
  it('trusts frames of the app only', () => {
    expect(isTrustedSender('app://solidariciel/index.html')).toBe(true);
    for (const url of ['https://solidariciel.org/', 'file:///home/x/index.html', 'about:blank', 'devtools://devtools/', 'app://other/', 'app://solidariciel@evil/', '', undefined, null]) {
      expect(isTrustedSender(url), String(url)).toBe(false);
    }
  });
});

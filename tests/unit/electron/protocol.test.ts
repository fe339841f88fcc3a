/** The app:// scheme: path resolution refuses traversal; every response carries the CSP. */
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_SCHEME_PRIVILEGES, answerAppRequest, contentTypeFor, resolveAppRequest } from '../../../main/windows/protocol';
import { CONTENT_SECURITY_POLICY } from '../../../main/windows/options';

const root = mkdtempSync(path.join(tmpdir(), 'solidariciel-proto-'));
const rootFile = (...p: string[]) => path.join(root, ...p);
mkdirSync(rootFile('assets'), { recursive: true });
writeFileSync(rootFile('index.html'), '<!doctype html><title>Solidariciel</title>');
writeFileSync(rootFile('assets', 'app.js'), 'console.log(1)');
writeFileSync(rootFile('assets', 'pdf.worker.min.mjs'), 'export {}');
// A secret next to the root: must never be served.
const secret = path.join(path.dirname(root), `secret-${path.basename(root)}.txt`);
writeFileSync(secret, 'secret');
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(secret, { force: true });
});

describe('resolveAppRequest', () => {
  it('serves files under the root', () => {
    expect(resolveAppRequest(root, 'app://solidariciel/assets/app.js')).toEqual({ ok: true, file: rootFile('assets', 'app.js') });
    expect(resolveAppRequest(root, 'app://solidariciel/assets/pdf.worker.min.mjs')).toEqual({ ok: true, file: rootFile('assets', 'pdf.worker.min.mjs') });
  });
  it('maps / and client routes to index.html', () => {
    expect(resolveAppRequest(root, 'app://solidariciel/')).toEqual({ ok: true, file: rootFile('index.html') });
    expect(resolveAppRequest(root, 'app://solidariciel')).toEqual({ ok: true, file: rootFile('index.html') });
    expect(resolveAppRequest(root, 'app://solidariciel/personnes/123')).toEqual({ ok: true, file: rootFile('index.html') });
  });
  it('decodes ordinary percent-encoding', () => {
    expect(resolveAppRequest(root, 'app://solidariciel/assets/a%20b.png')).toEqual({ ok: true, file: rootFile('assets', 'a b.png') });
  });
  it.each([
    'app://solidariciel/../../etc/passwd',
    'app://solidariciel/assets/../../../etc/passwd',
    'app://solidariciel/%2e%2e/%2e%2e/etc/passwd',
    'app://solidariciel/%2E%2E/%2E%2E/etc/passwd',
    'app://solidariciel/.%2e/.%2e/etc/passwd',
    'app://solidariciel/..%2f..%2fetc%2fpasswd',
    'app://solidariciel/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    'app://solidariciel/assets%2f..%2f..%2fetc%2fpasswd',
    'app://solidariciel/..%5c..%5cWindows%5cwin.ini',
    'app://solidariciel/..\\..\\Windows\\win.ini',
    'app://solidariciel/assets/%2e%2e',
    'app://solidariciel/./index.html',
    'app://solidariciel/C:%5cWindows%5cwin.ini',
    'app://solidariciel/C:/Windows/win.ini',
    'app://solidariciel/%2fetc%2fpasswd',
    'app://solidariciel/index.html%00.png',
    'app://solidariciel/%E0%A4%A',
  ])('refuses %s', (url) => {
    const r = resolveAppRequest(root, url);
    expect(r.ok).toBe(false);
  });
  it('refuses other hosts and schemes', () => {
    for (const url of ['app://evil/index.html', 'app://x@solidariciel/index.html', 'file:///etc/passwd', 'https://solidariciel/index.html']) {
      expect(resolveAppRequest(root, url), url).toMatchObject({ ok: false, status: 403 });
    }
  });
  it('never resolves outside the root, whatever the input', () => {
    const nasty = ['..', '%2e%2e', '%252e%252e', '.', '%2f', '%5c', '\\', 'a', '%00', '~', 'C:', '%c0%ae'];
    for (const a of nasty) for (const b of nasty) for (const c of nasty) {
      const r = resolveAppRequest(root, `app://solidariciel/${a}/${b}/${c}.txt`);
      if (r.ok) expect(path.relative(root, r.file).startsWith('..') || path.isAbsolute(path.relative(root, r.file)), r.file).toBe(false);
    }
  });
});

describe('answerAppRequest', () => {
  it('returns the file with the CSP and its MIME type', async () => {
    const res = await answerAppRequest(root, { url: 'app://solidariciel/', method: 'GET' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('Solidariciel');
  });
  it('serves the pdfjs worker as JavaScript (module workers need it)', async () => {
    const res = await answerAppRequest(root, { url: 'app://solidariciel/assets/pdf.worker.min.mjs', method: 'GET' });
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(contentTypeFor('x.wasm')).toBe('application/wasm');
  });
  it('puts the CSP on errors too, and refuses traversal', async () => {
    const res = await answerAppRequest(root, { url: `app://solidariciel/..%2f${'secret-' + path.basename(root)}.txt`, method: 'GET' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await res.text()).not.toContain('secret');
    const missing = await answerAppRequest(root, { url: 'app://solidariciel/nope.js', method: 'GET' });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });
  it('refuses methods other than GET/HEAD', async () => {
    expect((await answerAppRequest(root, { url: 'app://solidariciel/', method: 'POST' })).status).toBe(405);
  });
});

describe('scheme privileges', () => {
  it('is standard and secure, without bypassing CSP', () => {
    expect(APP_SCHEME_PRIVILEGES.scheme).toBe('app');
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('bypassCSP');
  });
});

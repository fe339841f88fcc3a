/**
 * The browser host (main/host/server.ts) started in-process over a temporary static folder:
 * token, CSP, Host/Origin checks (the launch code and the save-path rule: host.launch.test.ts), validation of forged payloads, os:* channels, the wire codec and events.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startHost, type Host } from '../../main/host/server';
import { CSP, TOKEN_HEADER } from '../../main/host/security';
import { decodeWire, encodeWire } from '../../shared/contract/wire';
import type { ParsedRequestOf } from '../../shared/contract';
import { fakeCore } from '../helpers/fakeCore';
import { invoke, openEvents, rawRequest } from '../helpers/hostClient';

const ID = '0192f5a0-7b1c-7d3e-8f00-123456789abc';
const SHA = 'a'.repeat(64);
const INDEX = '<!doctype html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n<title>Solidariciel</title>\n</head>\n<body><div id="root"></div></body>\n</html>\n';

let dir: string;
let real: Host;
let fake: Host;
let core: ReturnType<typeof fakeCore>;
let calls: string[];
let received: ParsedRequestOf<'vault:addDocument'> | undefined;
const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'solidariciel-host-test-'));
  const staticDir = join(dir, 'static');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), INDEX);
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log("app");\n');
  real = await startHost({ port: 0, staticDir, prefsFile: join(dir, 'prefs-real.json') });
  core = fakeCore({
    'people:search': async () => {
      calls.push('people:search');
      return { items: [], total: 0 };
    },
    'vault:addDocument': async (request) => {
      received = request;
      return { id: ID, pages: 1, sha256: SHA };
    },
    'vault:readDocument': async (request) => ({
      document: { id: request.id, personId: ID, type: 'autre', title: null, issuedOn: null, expiresOn: null, note: null, pages: 1, sha256: SHA, size: 256, createdAt: '2026-11-21T08:32:00.000Z', createdBy: 'admin', visibility: { kind: 'everyone' } },
      person: { firstName: 'Marie', lastName: 'Dupont' },
      fileName: 'piece.pdf',
      bytes: ALL_BYTES,
    }),
    'session:lock': async (_request, ctx) => {
      ctx.emit('session:locked', { reason: 'user' });
      ctx.emit('vault:progress', { operationId: 'op-1', done: 3, total: 10 });
      return { locked: true };
    },
  });
  fake = await startHost({ port: 0, staticDir, prefsFile: join(dir, 'prefs-fake.json'), core, token: 'T'.repeat(43) });
});

beforeEach(() => {
  calls = [];
  received = undefined;
});

afterAll(async () => {
  await real?.close();
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('browser host: listening and static files', () => {
  it('listens on 127.0.0.1 only, with a random 32-byte base64url token', () => {
    expect(real.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(real.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(real.token, 'base64url')).toHaveLength(32);
  });

  it('serves index.html as built (no token in it: docs/threat-model.md) with the strict CSP', async () => {
    for (const path of ['', 'index.html', 'personnes/123']) {
      const res = await rawRequest(real.url + path);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['content-security-policy']).toBe(CSP);
      expect(res.body).toBe(INDEX);
    }
    expect(CSP).toContain("script-src 'self';");
    expect(CSP).not.toMatch(/script-src[^;]*unsafe/);
  });

  it('serves built assets with the same headers, and 404 for a missing one', async () => {
    const asset = await rawRequest(`${real.url}assets/app.js`);
    expect(asset.status).toBe(200);
    expect(asset.body).toContain('console.log');
    expect(asset.headers['content-security-policy']).toBe(CSP);
    expect(asset.headers['x-content-type-options']).toBe('nosniff');
    expect((await rawRequest(`${real.url}assets/missing.js`)).status).toBe(404);
  });
});

describe('browser host: token', () => {
  it('answers 401 without a token, and runs nothing', async () => {
    const res = await invoke(fake.url, null, 'people:search', { query: 'a' });
    expect(res.status).toBe(401);
    expect(res.envelope.ok).toBe(false);
    expect(calls).toEqual([]);
  });

  it('answers 401 with a wrong token (same length, other length, in the query string), and runs nothing', async () => {
    for (const wrong of ['U'.repeat(43), 'T'.repeat(42), 'T'.repeat(44), real.token]) {
      expect((await invoke(fake.url, wrong, 'people:search', {})).status).toBe(401);
    }
    const inQuery = await rawRequest(`${fake.url}api/invoke/people:search?token=${fake.token}`, { method: 'POST', body: '{}' });
    expect(inQuery.status).toBe(401);
    expect(calls).toEqual([]);
  });

  it('runs the channel with the right token', async () => {
    const res = await invoke(fake.url, fake.token, 'people:search', { query: 'a' });
    expect(res.status).toBe(200);
    expect(res.envelope).toEqual({ ok: true, value: { items: [], total: 0 } });
    expect(calls).toEqual(['people:search']);
  });

  it('answers 401 to a percent-encoded API path without a token (the router decodes /%61pi/ to /api/), and runs nothing', async () => {
    for (const path of ['%61pi/invoke/people:search', '%61%70%69/invoke/people:search', 'api/%69nvoke/people:search']) {
      const res = await rawRequest(`${fake.url}${path}`, { method: 'POST', body: '{}' });
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
    }
    for (const path of ['%61pi/events', 'api/%65vents']) {
      const res = await rawRequest(`${fake.url}${path}?token=${real.token}`);
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
    }
    expect(calls).toEqual([]);
  });

  it('refuses the event stream without the token', async () => {
    expect((await rawRequest(`${fake.url}api/events`)).status).toBe(401);
    expect((await rawRequest(`${fake.url}api/events?token=${real.token}`)).status).toBe(401);
  });
});

describe('browser host: Host and Origin', () => {
  it('refuses a foreign Host header (DNS rebinding), and runs nothing', async () => {
    const port = new URL(fake.url).port;
    for (const host of ['evil.example:' + port, `127.0.0.1:${Number(port) + 1}`, '192.168.1.10:' + port, 'localhost']) {
      const page = await rawRequest(fake.url, { headers: { host } });
      expect(page.status).toBe(403);
      expect(page.body).not.toContain(fake.token);
      const api = await invoke(fake.url, fake.token, 'people:search', {}, { headers: { host } });
      expect(api.status).toBe(403);
    }
    expect(calls).toEqual([]);
  });

  it('accepts localhost:port as Host', async () => {
    const port = new URL(fake.url).port;
    const res = await invoke(fake.url, fake.token, 'people:search', {}, { headers: { host: `localhost:${port}` } });
    expect(res.status).toBe(200);
  });

  it('refuses any Origin but its own', async () => {
    const own = fake.url.replace(/\/$/, '');
    for (const origin of ['http://evil.example', 'null', `http://localhost:${new URL(fake.url).port}`, 'https://127.0.0.1:' + new URL(fake.url).port]) {
      expect((await invoke(fake.url, fake.token, 'people:search', {}, { headers: { origin } })).status).toBe(403);
    }
    expect(calls).toEqual([]);
    expect((await invoke(fake.url, fake.token, 'people:search', {}, { headers: { origin: own } })).status).toBe(200);
  });
});

describe('browser host: requests', () => {
  it('answers VALIDATION for an unknown channel', async () => {
    const res = await invoke(real.url, real.token, 'people:nope', {});
    expect(res.status).toBe(200);
    expect(res.envelope).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    if (!res.envelope.ok) expect(res.envelope.error.message).toContain('people:nope');
  });

  it('answers VALIDATION (HTTP 400) for malformed JSON', async () => {
    for (const rawBody of ['{"query": ', 'not json', '{"bytes": {"$b64": "***"}}']) {
      const res = await invoke(real.url, real.token, 'people:search', undefined, { rawBody });
      expect(res.status).toBe(400);
      expect(res.envelope).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
  });

  it('answers VALIDATION naming the field for a forged payload with wrong types', async () => {
    const search = await invoke(real.url, real.token, 'people:search', { query: 42 });
    expect(search.envelope).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    if (!search.envelope.ok) {
      expect(search.envelope.error.message).toBe('Recherche : valeur non reconnue.');
      expect(search.envelope.error.fields?.map((f) => f.path)).toEqual(['query']);
    }

    const add = await invoke(fake.url, fake.token, 'vault:addDocument', {
      personId: ID,
      meta: { type: 'autre' },
      files: [{ name: 'scan.pdf', bytes: 'JVBERi0xLjQK' }],
    });
    expect(add.envelope).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    if (!add.envelope.ok) {
      expect(add.envelope.error.message).toMatch(/^Fichiers : /);
      expect(add.envelope.error.fields?.map((f) => f.path)).toEqual(['files.0.bytes']);
    }
    expect(received).toBeUndefined();
  });

  it('refuses __proto__ and constructor keys anywhere, naming the field, and pollutes nothing', async () => {
    const bodies = [
      ['{"query":"a","__proto__":{"isAdmin":true}}', '« __proto__ »'],
      ['{"person":{"constructor":{"prototype":{"isAdmin":true}}}}', '« person.constructor »'],
      ['{"files":[{"name":"a","__proto__":{"x":1}}]}', '« files.0.__proto__ »'],
    ] as const;
    for (const [rawBody, field] of bodies) {
      const res = await invoke(fake.url, fake.token, 'people:search', undefined, { rawBody });
      expect(res.status).toBe(400);
      expect(res.envelope).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      if (!res.envelope.ok) expect(res.envelope.error.message).toContain(field);
    }
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('answers UNSUPPORTED for os:* channels', async () => {
    for (const [channel, payload] of [
      ['os:chooseFolder', { title: 'Dossier' }],
      ['os:chooseSavePath', { defaultName: 'export.pdf' }],
      ['os%3AchooseFolder', { title: 'Dossier' }], // as renderer/api/client.ts sends it (encodeURIComponent)
    ] as const) {
      const res = await invoke(real.url, real.token, channel, payload);
      expect(res.status).toBe(200);
      expect(res.envelope).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
    }
  });

  it('round-trips Uint8Array through the wire codec in both directions', async () => {
    const add = await invoke(fake.url, fake.token, 'vault:addDocument', {
      personId: ID,
      meta: { type: 'autre' },
      files: [{ name: 'scan.bin', bytes: ALL_BYTES }],
    });
    expect(add.envelope).toEqual({ ok: true, value: { id: ID, pages: 1, sha256: SHA } });
    const bytes = received?.files[0]?.bytes;
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Array.from(bytes ?? [])).toEqual(Array.from(ALL_BYTES));

    const read = await invoke(fake.url, fake.token, 'vault:readDocument', { id: ID });
    expect(read.envelope.ok).toBe(true);
    const value = read.envelope.ok ? (read.envelope.value as { bytes: unknown }) : undefined;
    expect(value?.bytes).toBeInstanceOf(Uint8Array);
    expect(Array.from(value?.bytes as Uint8Array)).toEqual(Array.from(ALL_BYTES));
  });

  it('serves the real core by default (no association open yet)', async () => {
    const res = await invoke(real.url, real.token, 'session%3Acurrent', {});
    expect(res.envelope).toEqual({ ok: true, value: null });
  });

  it('accepts an empty body as an empty request (the channel defaults apply)', async () => {
    const res = await invoke(fake.url, fake.token, 'people:search', undefined, { rawBody: '' });
    expect(res.envelope).toEqual({ ok: true, value: { items: [], total: 0 } });
  });
});

describe('browser host: events', () => {
  it('delivers emitted events to every listener as Server-Sent Events', async () => {
    const a = await openEvents(fake.url, fake.token);
    const b = await openEvents(fake.url, fake.token);
    try {
      expect(a.status).toBe(200);
      expect(a.headers['content-type']).toContain('text/event-stream');
      const res = await invoke(fake.url, fake.token, 'session:lock', {});
      expect(res.envelope).toEqual({ ok: true, value: { locked: true } });
      for (const stream of [a, b]) {
        expect(await stream.next()).toEqual({ event: 'session:locked', payload: { reason: 'user' } });
        expect(await stream.next()).toEqual({ event: 'vault:progress', payload: { operationId: 'op-1', done: 3, total: 10 } });
      }
    } finally {
      a.close();
      b.close();
    }
  });
});

describe('browser host: lifecycle', () => {
  it('refuses a malformed token or port', async () => {
    await expect(startHost({ port: 0, staticDir: dir, prefsFile: join(dir, 'p.json'), token: 'court', core: fakeCore() })).rejects.toThrow(/jeton/);
    await expect(startHost({ port: 70000, staticDir: dir, prefsFile: join(dir, 'p.json'), core: fakeCore() })).rejects.toThrow(/port/);
  });

  it('closes the core when it closes, and ends event streams', async () => {
    const own = fakeCore();
    const host = await startHost({ port: 0, staticDir: dir, prefsFile: join(dir, 'p.json'), core: own });
    const events = await openEvents(host.url, host.token);
    await host.close();
    await host.close();
    expect(own.closed).toBe(true);
    events.close();
    await expect(rawRequest(host.url)).rejects.toThrow();
  });

  it('locks the association when a page\'s event stream closes (reload, tab closed or crashed), not when the host closes', async () => {
    const own = fakeCore();
    const locks: string[] = [];
    own.lock = async (reason) => void locks.push(reason);
    const host = await startHost({ port: 0, staticDir: dir, prefsFile: join(dir, 'p.json'), core: own });
    try {
      const page = await openEvents(host.url, host.token);
      expect(locks).toEqual([]);
      page.close();
      await vi.waitFor(() => expect(locks).toEqual(['user']), { timeout: 5000 });
      await openEvents(host.url, host.token);
    } finally {
      await host.close();
    }
    expect(locks).toEqual(['user']);
  });

    it('keeps the wire format stable', () => {
    expect(encodeWire({ b: new Uint8Array([1, 2, 255]) })).toBe('{"b":{"$b64":"AQL/"}}');
    expect(decodeWire('{"b":{"$b64":"AQL/"}}')).toEqual({ b: new Uint8Array([1, 2, 255]) });
    expect(TOKEN_HEADER).toBe('x-solidariciel-token');
  });
});

/**
 * What the hub does with malformed requests (400 naming the field, on both storages) and what HubClient does with
 * malformed, truncated or missing answers (a clear AppError, nothing half-applied).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient } from '../../main/sync/hubClient';
import { API, MAX_PUSH_ENVELOPES } from '../../shared/sync/protocol';
import { BACKENDS, envelope, failure, newAssociation, rawRequest, registeredDevice, skipBackend, startHub, type TestHub } from './helpers';

describe.each(BACKENDS)('hub refuses malformed requests (%s)', (backend) => {
  describe.skipIf(skipBackend(backend))(backend, () => {
    let t: TestHub;
    beforeAll(async () => {
      t = await startHub(backend);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('answers 400 BAD_REQUEST naming the field, and stores nothing', async () => {
      const a = await newAssociation();
      const d = await registeredDevice(t, a);
      const good = envelope(a, d, { deviceSeq: 1 });
      const header = JSON.parse(good.header) as Record<string, unknown>;
      const cases: [string, string, string, string][] = [
        ['POST', '/push', JSON.stringify({}), 'envelopes'],
        ['POST', '/push', JSON.stringify({ envelopes: [{ ...good, ciphertext: 'pas du base64 !' }] }), 'envelopes.0.ciphertext'],
        ['POST', '/push', JSON.stringify({ envelopes: [good, { ...good, ciphertext: 'AB' }] }), 'envelopes.1.ciphertext'],
        ['POST', '/push', JSON.stringify({ envelopes: [good, { ...good, header: '{"v":1,' }] }), 'envelopes.1.header'],
        ['POST', '/push', JSON.stringify({ envelopes: [{ ...good, header: JSON.stringify({ ...header, keyEpoch: 0 }) }] }), 'envelopes.0.header.keyEpoch'],
        ['POST', '/push', JSON.stringify({ envelopes: [{ ...good, header: JSON.stringify({ ...header, hlc: 'hier' }) }] }), 'envelopes.0.header.hlc'],
        ['POST', '/push', JSON.stringify({ envelopes: Array.from({ length: MAX_PUSH_ENVELOPES + 1 }, () => good) }), 'envelopes'],
        ['POST', '/push', '{"envelopes": [', 'JSON'],
        ['GET', '/pull?after=0&limit=501', '', 'limit'],
        ['GET', '/pull?after=-1', '', 'after'],
        ['PUT', '/audience', JSON.stringify({ audience: 'grp-social' }), 'audience'],
        ['PUT', '/audience', JSON.stringify({ audience: ['a b'] }), 'audience.0'],
        ['POST', '/devices/revoke', JSON.stringify({ deviceId: d.deviceId }), 'signature'],
        ['POST', '/invites', JSON.stringify({ inviteId: 'x', verifier: 'zz', payload: 'AA', device: {} }), 'verifier'],
      ];
      for (const [method, path, body, field] of cases) {
        const r = await rawRequest(t, d, method, `${API}${path}`, body === '' ? undefined : body);
        expect(r.status, `${method} ${path} ${body.slice(0, 60)}`).toBe(400);
        expect(r.json.error?.code).toBe('BAD_REQUEST');
        expect(r.json.error?.message).toContain(field);
        expect(typeof r.json.error?.serverTime).toBe('number');
      }
      const redeem = await fetch(`${t.url}${API}/invites/redeem`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inviteId: 'x' }) });
      expect(redeem.status).toBe(400);
      expect(((await redeem.json()) as { error: { message: string } }).error.message).toContain('authKey');
      const register = await fetch(`${t.url}${API}/associations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ associationId: 'a/b' }) });
      expect(((await register.json()) as { error: { message: string } }).error.message).toContain('associationId');
      expect((await d.client.pull(0)).head).toBe(0);
      const unknown = await rawRequest(t, d, 'GET', `${API}/nothing-here`);
      expect(unknown.status).toBe(404);
      expect(unknown.json.error?.code).toBe('NOT_FOUND');
    });
  });
});

describe('HubClient with a broken or silent hub', () => {
  let server: Server;
  let url: string;
  const replies = new Map<string, (res: import('node:http').ServerResponse) => void>();
  beforeAll(async () => {
    server = createServer((req, res) => {
      const reply = replies.get(req.url?.split('?')[0] ?? '');
      if (reply) reply(res);
      else res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const client = (o: { fetch?: typeof fetch; timeoutMs?: number; url?: string } = {}) =>
    new HubClient({ url: o.url ?? url, deviceId: 'dev-1', signSecretKey: new Uint8Array(randomBytes(64)), ...o });
  const fakeFetch = (body: string, status = 200) => (async () => new Response(body, { status, headers: { 'content-type': 'application/json' } })) as typeof fetch;

  it('refuses a truncated JSON answer as a whole', async () => {
    const full = JSON.stringify({ accepted: [{ deviceSeq: 1, serverSeq: 1, duplicate: false }], serverTime: Date.now() });
    const e = await failure(client({ fetch: fakeFetch(full.slice(0, 30)) }).push([]));
    expect(e?.code).toBe('SYNC_REJECTED');
    expect(e?.message).toContain('envoi');
    expect(e?.message).toContain('JSON tronqué');
  });

  it('names the malformed field of an answer', async () => {
    const page = { envelopes: [{ header: '{}', ciphertext: 'AAAA', signature: 'AAAA', serverSeq: 'deux' }], next: 2, head: 2, more: false, serverTime: 1 };
    const c = client({ fetch: fakeFetch(JSON.stringify(page)) });
    const e = await failure(c.pull(0));
    expect(e?.code).toBe('SYNC_REJECTED');
    expect(e?.message).toContain('envelopes.0.serverSeq');
    expect(c.lastServerTime).toBeNull(); // nothing from a refused answer is used
  });

  it('refuses an answer cut off by the connection', async () => {
    replies.set(`${API}/devices`, (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' });
      res.write('{"devices":[{"deviceId":"d');
      setTimeout(() => res.destroy(), 20);
    });
    const e = await failure(client().devices());
    expect(e?.code).toBe('SYNC_REJECTED');
    expect(e?.message).toContain('interrompue');
  });

  it('says which hub is unreachable, and when it does not answer in time', async () => {
    const gone = await failure(client({ url: 'http://127.0.0.1:9' }).health());
    expect(gone?.code).toBe('HUB_UNREACHABLE');
    expect(gone?.message).toContain('http://127.0.0.1:9');
    replies.set(`${API}/health`, () => undefined); // never answers
    const slow = await failure(client({ timeoutMs: 300 }).health());
    expect(slow?.code).toBe('HUB_UNREACHABLE');
    expect(slow?.message).toContain('pas de réponse');
  });

  it('reports an error answer that is not the protocol’s (a proxy page)', async () => {
    replies.set(`${API}/push`, (res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>'));
    const e = await failure(client().push([]));
    expect(e?.code).toBe('HUB_REFUSED');
    expect(e?.message).toContain('HTTP 502');
  });

  it('maps a refused HEAD through its error header', async () => {
    replies.set(`${API}/blobs/${'a'.repeat(64)}`, (res) => res.writeHead(403, { 'x-solidariciel-error': 'DEVICE_REVOKED' }).end());
    const e = await failure(client().blobStatus('a'.repeat(64)));
    expect(e?.code).toBe('HUB_REFUSED');
    expect(e?.message).toContain("retiré de l'association");
  });
});

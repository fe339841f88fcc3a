/**
 * What an anonymous client may cost the hub (docs/hub-scaling.md "Limits"): a body is not read before the device is
 * authenticated from the headers, slow clients are cut, registration may require the operator's secret. On SQLite
 * and PostgreSQL, over raw sockets where the attack needs them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDetached } from '../../main/sync/ed25519';
import { DEFAULT_LIMITS } from '../../hub/limits';
import { API, AUTH_HEADERS, authMessage } from '../../shared/sync/protocol';
import { BACKENDS, Clock, envelope, failure, newAssociation, newDevice, rawRequest, registeredDevice, registration, skipBackend, startHub, type TestDevice, type TestHub } from './helpers';

const BIG = 15 * 1024 * 1024;

interface Outcome {
  /** The status line's code, or null when the hub answered nothing. */
  status: number | null;
  /** Body bytes the client managed to write before the answer or the close. */
  sent: number;
  /** The hub closed the connection. */
  closed: boolean;
}

/**
 * Sends `head` then trickles `bodyBytes` of body in 64 KiB writes (waiting for each to drain), stopping at the first
 * answer or close, or after `waitMs` in all. What a client sending a huge body sees.
 */
function sendLarge(url: string, head: string, bodyBytes: number, waitMs: number): Promise<Outcome> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket: Socket = connect(Number(port), '127.0.0.1');
    let sent = 0;
    let answer = '';
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const m = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      resolve({ status: m ? Number(m[1]) : null, sent, closed });
      socket.destroy();
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (d) => {
      answer += d.toString('latin1');
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.write(head);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!done && sent < bodyBytes) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
    };
    pump();
  });
}

/** Opens a connection and sends `text` one byte every `everyMs`; resolves with how long the hub kept it open. */
function trickle(url: string, text: string, everyMs: number, giveUpMs: number): Promise<{ openMs: number; cut: boolean }> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(Number(port), '127.0.0.1');
    let i = 0;
    const tick = setInterval(() => {
      if (i < text.length) socket.write(text[i++]!);
    }, everyMs);
    const end = (cut: boolean) => {
      clearInterval(tick);
      clearTimeout(timer);
      socket.destroy();
      resolve({ openMs: Date.now() - started, cut });
    };
    const timer = setTimeout(() => end(false), giveUpMs);
    socket.on('close', () => end(true));
    socket.on('error', () => end(true));
  });
}

/** Request head for a POST of `length` bytes, signed (or not) as `device`. */
function head(path: string, length: number, auth: Record<string, string> = {}): string {
  const lines = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Content-Type: application/json', `Content-Length: ${length}`, ...Object.entries(auth).map(([k, v]) => `${k}: ${v}`)];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function signedHeaders(d: Pick<TestDevice, 'deviceId' | 'secretKey'>, path: string, time: number, digestHex: string): Record<string, string> {
  const signature = Buffer.from(signDetached(d.secretKey, authMessage('POST', path, time, digestHex))).toString('base64url');
  return { [AUTH_HEADERS.device]: d.deviceId, [AUTH_HEADERS.time]: String(time), [AUTH_HEADERS.signature]: signature };
}

describe.each(BACKENDS)('hub gate: nothing read before authentication (%s)', (backend) => {
  describe.skipIf(skipBackend(backend))(backend, () => {
    let t: TestHub;
    beforeAll(async () => {
      t = await startHub(backend);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('answers 401 to an anonymous 15 MB push and closes the connection while the client is still sending', async () => {
      const r = await sendLarge(t.url, head(`${API}/push`, BIG), BIG, 5000);
      expect(r.status).toBe(401);
      expect(r.closed).toBe(true);
      expect(r.sent).toBeLessThan(BIG);
    });

    it('does the same for an unknown device, a forged signature with a digest, and a chunk to an unknown route', async () => {
      const a = await newAssociation();
      const d = await registeredDevice(t, a);
      const stranger = await newDevice(t, a); // certified but never registered
      const path = `${API}/push`;
      const unknown = await sendLarge(t.url, head(path, BIG, signedHeaders(stranger, path, t.clock.now(), '0'.repeat(64))), BIG, 5000);
      expect(unknown).toMatchObject({ status: 401, closed: true });
      // The attacker knows a real device id, but not its key: the signature over the announced digest fails.
      const forger = { deviceId: d.deviceId, secretKey: stranger.secretKey };
      const digest = randomBytes(32);
      const forged = { ...signedHeaders(forger, path, t.clock.now(), digest.toString('hex')), 'Content-Digest': `sha-256=:${digest.toString('base64')}:` };
      const r = await sendLarge(t.url, head(path, BIG, forged), BIG, 5000);
      expect(r).toMatchObject({ status: 401, closed: true });
      expect(r.sent).toBeLessThan(BIG);
      const nowhere = await sendLarge(t.url, head(`${API}/nowhere`, BIG), BIG, 5000);
      expect(nowhere.status).toBe(413); // the default body limit, from Content-Length, before the 404
      expect(nowhere).toMatchObject({ closed: true });
      expect(nowhere.sent).toBeLessThan(BIG);
    });

    it('refuses a body larger than the route takes from its Content-Length, before reading it', async () => {
      const r = await sendLarge(t.url, head(`${API}/associations`, BIG), BIG, 5000);
      expect(r).toMatchObject({ status: 413, closed: true });
      expect(r.sent).toBeLessThan(BIG);
    });

    it('still serves devices that sign without Content-Digest (older versions), and refuses a body that differs from its digest', async () => {
      const a = await newAssociation();
      const d = await registeredDevice(t, a);
      const body = JSON.stringify({ envelopes: [envelope(a, d)] });
      expect((await rawRequest(t, d, 'POST', `${API}/push`, body)).status).toBe(200);
      const swapped = JSON.stringify({ envelopes: [envelope(a, d)] });
      const digest = createHash('sha256').update(body).digest('base64');
      const res = await rawRequest(t, d, 'POST', `${API}/push`, swapped, { signedBody: body, headers: { 'content-digest': `sha-256=:${digest}:` } });
      expect(res.status).toBe(401);
      // The real client announces its digest: pushes go through the early check.
      expect((await d.client.push([envelope(a, d)])).accepted).toHaveLength(1);
    });

    it('sets request, header, idle and keep-alive timeouts and a connection cap on the HTTP server', () => {
      const server = t.hub.app.server;
      expect(server.requestTimeout).toBe(DEFAULT_LIMITS.requestTimeoutMs);
      expect(server.headersTimeout).toBe(DEFAULT_LIMITS.headersTimeoutMs);
      expect(server.keepAliveTimeout).toBe(DEFAULT_LIMITS.keepAliveTimeoutMs);
      expect(server.timeout).toBe(DEFAULT_LIMITS.idleTimeoutMs);
      expect(server.maxConnections).toBe(DEFAULT_LIMITS.maxConnections);
    });
  });
});

describe.each(BACKENDS)('hub gate: slow clients and registration secret (%s)', (backend) => {
  describe.skipIf(skipBackend(backend))(backend, () => {
    let t: TestHub;
    const SECRET = 'secret-de-la-federation-2026';
    beforeAll(async () => {
      t = await startHub(backend, new Clock(), { limits: { headersTimeoutMs: 1000, requestTimeoutMs: 2000, idleTimeoutMs: 5000 }, registrationSecret: SECRET });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('cuts a client that sends its headers one byte at a time', async () => {
      const r = await trickle(t.url, head(`${API}/push`, 10), 200, 10_000);
      expect(r.cut).toBe(true);
      expect(r.openMs).toBeLessThan(6000);
    });

    it('cuts a device that sends its body one byte at a time', async () => {
      const a = await newAssociation();
      const d = await newDevice(t, a);
      await d.client.register(registration(a, d), SECRET);
      const body = JSON.stringify({ envelopes: [envelope(a, d)] });
      const path = `${API}/push`;
      // A real device's headers (so the gate lets the body come), then the body trickled.
      const digest = createHash('sha256').update(body).digest('hex');
      const start = head(path, Buffer.byteLength(body), signedHeaders(d, path, t.clock.now(), digest));
      const { port } = new URL(t.url);
      const socket = connect(Number(port), '127.0.0.1');
      socket.write(start);
      const started = Date.now();
      const cut = await new Promise<boolean>((resolve) => {
        let i = 0;
        const tick = setInterval(() => socket.write(body[i++] ?? ' '), 200);
        const timer = setTimeout(() => (clearInterval(tick), resolve(false)), 10_000);
        socket.on('close', () => (clearInterval(tick), clearTimeout(timer), resolve(true)));
        socket.on('error', () => undefined);
      });
      socket.destroy();
      expect(cut).toBe(true);
      expect(Date.now() - started).toBeLessThan(7000);
    });

    it('registers a new association only with the operator secret; its next devices need none', async () => {
      const a = await newAssociation();
      const d = await newDevice(t, a);
      const without = await failure(d.client.register(registration(a, d)));
      expect(without?.details).toMatchObject({ status: 403, hubCode: 'FORBIDDEN' });
      expect(without?.message).toContain("secret d'inscription");
      const wrong = await failure(d.client.register(registration(a, d), 'pas-le-bon-secret-du-tout'));
      expect(wrong?.details).toMatchObject({ status: 403, hubCode: 'FORBIDDEN' });
      expect((await failure(d.client.push([envelope(a, d)])))?.details?.['status']).toBe(401);
      await d.client.register(registration(a, d), SECRET);
      expect((await d.client.push([envelope(a, d)])).accepted).toHaveLength(1);
      const second = await newDevice(t, a);
      await second.client.register(registration(a, second, 'Portable'));
      expect((await second.client.devices()).devices).toHaveLength(2);
    });

    it('refuses a wrong secret from the headers, before reading the body', async () => {
      const r = await sendLarge(t.url, head(`${API}/associations`, 60_000, { 'x-solidariciel-registration-secret': 'mauvais' }), 60_000, 5000);
      expect(r).toMatchObject({ status: 403, closed: true });
    });
  });
});

/**
 * Security review of the hub (fresh eyes), on SQLite and PostgreSQL: hostile values that reached the database and
 * came back as 500 INTERNAL instead of a refusal, and pairing invitation ids that were never given back.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { statSync } from 'node:fs';
import { truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient } from '../../main/sync/hubClient';
import { INVITE_TTL_MS } from '../../shared/sync/protocol';
import { BACKENDS, envelope, failure, newAssociation, newDevice, rawRequest, registeredDevice, registration, skipBackend, startHub, type TestAssociation, type TestDevice, type TestHub } from './helpers';

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');

describe.each(BACKENDS)('hub review (%s)', (backend) => {
  describe.skipIf(skipBackend(backend))(backend, () => {
    let t: TestHub;
    beforeAll(async () => {
      t = await startHub(backend);
    });
    afterAll(async () => {
      await t?.close();
    });

    /** An envelope whose header fields are replaced after the fact (values the client never sends). */
    function withHeader(a: TestAssociation, d: TestDevice, change: Record<string, unknown>) {
      const e = envelope(a, d);
      return { ...e, header: JSON.stringify({ ...JSON.parse(e.header), ...change }) };
    }

    const push = (d: TestDevice, envelopes: unknown[]) => rawRequest(t, d, 'POST', '/v1/push', JSON.stringify({ envelopes }));

    it('refuses hostile header values with 400 instead of failing inside the database', async () => {
      const a = await newAssociation();
      const d = await registeredDevice(t, a);
      for (const change of [{ keyEpoch: 2 ** 31 }, { keyEpoch: Number.MAX_SAFE_INTEGER }, { scope: 'groups:\u0000' }, { scope: 'association\u0000' }]) {
        const r = await push(d, [withHeader(a, d, change)]);
        expect(r.status, JSON.stringify(change)).toBe(400);
        expect(r.json.error?.code).toBe('BAD_REQUEST');
      }
      // Nothing was stored: the head did not move.
      expect((await d.client.pull(0)).head).toBe(0);
      expect((await d.client.push([envelope(a, d)])).accepted).toHaveLength(1);
    });

    it('refuses a device name with a NUL character (registration and invitation) with 400', async () => {
      const a = await newAssociation();
      const d = await newDevice(t, a);
      const body = registration(a, d, 'Accueil\u0000');
      const r = await rawRequest(t, d, 'POST', '/v1/associations', JSON.stringify(body));
      expect(r.status).toBe(400);
      const admin = await registeredDevice(t, a);
      const invited = await newDevice(t, a);
      const inv = await rawRequest(
        t,
        admin,
        'POST',
        '/v1/invites',
        JSON.stringify({
          inviteId: `inv-${randomBytes(4).toString('hex')}`,
          verifier: createHash('sha256').update(randomBytes(32)).digest('hex'),
          payload: b64(randomBytes(64)),
          device: { deviceId: invited.deviceId, publicKey: invited.publicKey, cert: invited.cert, name: 'Portable\u0000' },
        }),
      );
      expect(inv.status).toBe(400);
    });

    it('gives an expired invitation id back: pairing codes name invitations with 25 bits, shared by every association', async () => {
      const a = await newAssociation();
      const b = await newAssociation();
      const adminA = await registeredDevice(t, a);
      const adminB = await registeredDevice(t, b);
      const inviteId = `inv-${randomBytes(4).toString('hex')}`;
      const deposit = async (admin: TestDevice, asso: TestAssociation) => {
        const invited = await newDevice(t, asso);
        const authKey = randomBytes(32);
        await admin.client.invite({
          inviteId,
          verifier: createHash('sha256').update(authKey).digest('hex'),
          payload: b64(randomBytes(64)),
          device: { deviceId: invited.deviceId, publicKey: invited.publicKey, cert: invited.cert, name: 'Nouveau poste' },
        });
        return { invited, authKey: b64(authKey) };
      };
      await deposit(adminA, a);
      // While it runs, the id stays taken (another association cannot take over a live invitation).
      expect((await failure(deposit(adminB, b)))?.details?.['status']).toBe(409);
      t.clock.offset = INVITE_TTL_MS + 60_000;
      try {
        const second = await deposit(adminB, b);
        const r = await HubClient.redeemInvite(t.url, { inviteId, authKey: second.authKey });
        expect(r).toMatchObject({ associationId: b.associationId, deviceId: second.invited.deviceId });
      } finally {
        t.clock.offset = 0;
      }
    });
  });
});

describe.each(BACKENDS)('hub blob size (%s)', (backend) => {
  describe.skipIf(skipBackend(backend))(backend, () => {
    it('refuses to grow an upload past the largest blob it takes (a device could fill the disk chunk by chunk)', async () => {
      const t = await startHub(backend);
      try {
        const a = await newAssociation();
        const d = await registeredDevice(t, a);
        const name = 'b'.repeat(64);
        await d.client.putBlobChunk(name, 0, new Uint8Array(16));
        // The upload has reached 512 MiB (a sparse file: nothing written to disk).
        const partial = join(t.dataDir, 'blobs', a.associationId, 'partial', `${d.deviceId}.${name}`);
        const big = 512 * 1024 * 1024;
        await truncate(partial, big);
        const e = await failure(d.client.putBlobChunk(name, big, new Uint8Array(1024)));
        expect(e?.details).toMatchObject({ status: 413, hubCode: 'TOO_LARGE' });
        expect(statSync(partial).size).toBe(big);
      } finally {
        await t.close();
      }
    });
  });
});

describe('a hub whose answer never ends', () => {
  it('is cut off once the answer is larger than any the protocol allows, instead of filling the memory until the timeout', async () => {
    let sent = 0;
    let open = true;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"ok":true,"protocol":1,"serverTime":0,"padding":"');
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      let closed = false;
      res.on('close', () => (closed = true));
      const more = (): void => {
        if (!open || closed) return void res.destroy();
        sent += chunk.length;
        // As fast as the client reads (gigabytes before its 30 s timeout), never faster.
        if (res.write(chunk)) setImmediate(more);
        else res.once('drain', more);
      };
      more();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = new HubClient({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, deviceId: 'd', signSecretKey: new Uint8Array(64) });
      const outcome = await Promise.race([failure(client.health()), new Promise<'still reading'>((resolve) => setTimeout(() => resolve('still reading'), 4_000))]);
      expect(outcome).not.toBe('still reading');
      expect((outcome as { code: string }).code).toBe('SYNC_REJECTED');
      expect(sent).toBeLessThan(200 * 1024 * 1024);
      // A blob download is bounded too (by the largest blob the hub takes).
      const blob = await Promise.race([failure(client.getBlob('a'.repeat(64))), new Promise<'still reading'>((resolve) => setTimeout(() => resolve('still reading'), 8_000))]);
      expect(blob).not.toBe('still reading');
      expect((blob as { code: string }).code).toBe('SYNC_REJECTED');
    } finally {
      open = false;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

/** Hub registration and request authentication, on SQLite and PostgreSQL, over real HTTP with the real HubClient. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient } from '../../main/sync/hubClient';
import { API, MAX_REQUEST_SKEW_MS } from '../../shared/sync/protocol';
import { BACKENDS, failure, newAssociation, newDevice, rawRequest, registeredDevice, registration, revokeSignature, skipBackend, startHub, type TestHub } from './helpers';

describe.each(BACKENDS)('hub auth (%s)', (backend) => {
  describe.skipIf(skipBackend(backend))(backend, () => {
    let t: TestHub;
    beforeAll(async () => {
      t = await startHub(backend);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('answers health without authentication', async () => {
      const d = await newDevice(t, await newAssociation());
      const h = await d.client.health();
      expect(h.ok).toBe(true);
      expect(Math.abs(h.serverTime - Date.now())).toBeLessThan(5_000);
      expect(d.client.lastServerTime).toBe(h.serverTime);
    });

    it('registers an association idempotently and refuses the id under another root key', async () => {
      const a = await newAssociation();
      const d = await newDevice(t, a);
      const first = await d.client.register(registration(a, d));
      expect(first.associationId).toBe(a.associationId);
      await d.client.register(registration(a, d)); // same root, same device: fine
      const second = await registeredDevice(t, a, 'Bureau'); // another device certified by the same root
      expect((await second.client.devices()).devices.map((x) => x.deviceId).sort()).toEqual([d.deviceId, second.deviceId].sort());

      const intruder = await newAssociation();
      const other = await newDevice(t, { ...intruder, associationId: a.associationId });
      const e = await failure(other.client.register({ ...registration(intruder, other), associationId: a.associationId }));
      expect(e?.code).toBe('HUB_REFUSED');
      expect(e?.details?.['hubCode']).toBe('ASSOCIATION_EXISTS');
      expect(e?.details?.['status']).toBe(409);
    });

    it('refuses a device whose certificate is not signed by the root key', async () => {
      const a = await newAssociation();
      const d = await newDevice(t, a);
      const forged = { ...registration(a, d), device: { ...registration(a, d).device, cert: (await newDevice(t, a)).cert } };
      const e = await failure(d.client.register(forged));
      expect(e?.details?.['hubCode']).toBe('FORBIDDEN');
    });

    it('refuses a registration not signed by the device it registers', async () => {
      const a = await newAssociation();
      const d = await newDevice(t, a);
      const other = await newDevice(t, a);
      // `other` signs a request registering `d`: its signature does not match d's key.
      const r = await rawRequest(t, { deviceId: d.deviceId, secretKey: other.secretKey }, 'POST', `${API}/associations`, JSON.stringify(registration(a, d)));
      expect(r.status).toBe(401);
      expect(r.json.error?.code).toBe('UNAUTHENTICATED');
    });

    it('refuses an unknown device, a bad signature and a replayed request whose body was changed', async () => {
      const a = await newAssociation();
      const d = await registeredDevice(t, a);
      const stranger = await newDevice(t, a);
      expect((await failure(stranger.client.devices()))?.details?.['hubCode']).toBe('UNAUTHENTICATED');

      const badKey = await newDevice(t, a);
      const r = await rawRequest(t, { deviceId: d.deviceId, secretKey: badKey.secretKey }, 'GET', `${API}/devices`);
      expect(r.status).toBe(401);

      const ok = await rawRequest(t, d, 'PUT', `${API}/audience`, JSON.stringify({ audience: ['g1'] }));
      expect(ok.status).toBe(200);
      // Same headers (signature over the first body), different body: the body hash no longer matches.
      const replay = await rawRequest(t, d, 'PUT', `${API}/audience`, JSON.stringify({ audience: ['g1', 'g-admin'] }), { signedBody: JSON.stringify({ audience: ['g1'] }) });
      expect(replay.status).toBe(401);
      expect(replay.json.error?.code).toBe('UNAUTHENTICATED');
      // Signed for another path or query: refused too.
      const moved = await rawRequest(t, d, 'GET', `${API}/pull?after=0`, undefined, { signedPath: `${API}/pull?after=5` });
      expect(moved.status).toBe(401);
    });

    it.each([
      ['ahead', 7 * 60_000],
      ['behind', -9 * 60_000],
    ])('refuses a clock %s by more than 5 minutes with CLOCK_SKEW and the hub time', async (_, shift) => {
      const a = await newAssociation();
      const d = await registeredDevice(t, a);
      const skewed = new HubClient({ url: t.url, deviceId: d.deviceId, signSecretKey: d.secretKey, now: () => Date.now() + shift });
      const e = await failure(skewed.devices());
      expect(e?.code).toBe('CLOCK_SKEW');
      expect(e?.message).toContain(`${Math.round(Math.abs(shift) / 60_000)} minutes d'écart avec le hub`);
      expect(Math.sign(e?.details?.['skewMs'] as number)).toBe(Math.sign(shift));
      expect(skewed.lastServerTime).not.toBeNull();

      const raw = await rawRequest(t, d, 'GET', `${API}/devices`, undefined, { time: Date.now() + shift });
      expect(raw.status).toBe(401);
      expect(raw.json.error?.code).toBe('CLOCK_SKEW');
      expect(Math.abs((raw.json.error?.serverTime ?? 0) - Date.now())).toBeLessThan(5_000);
      // Just inside the limit is accepted.
      const inside = await rawRequest(t, d, 'GET', `${API}/devices`, undefined, { time: Date.now() + Math.sign(shift) * (MAX_REQUEST_SKEW_MS - 30_000) });
      expect(inside.status).toBe(200);
    });

    it('keeps the skew of the last answer so the engine can stop even while requests succeed', async () => {
      const a = await newAssociation();
      const d = await registeredDevice(t, a);
      t.clock.offset = 3 * 60_000; // the hub runs 3 minutes ahead: still accepted
      try {
        const own = new HubClient({ url: t.url, deviceId: d.deviceId, signSecretKey: d.secretKey, now: Date.now });
        await own.devices();
        expect(Math.round((own.clockSkewMs ?? 0) / 60_000)).toBe(-3);
        expect(Math.abs((own.lastServerTime ?? 0) - (Date.now() + 3 * 60_000))).toBeLessThan(5_000);
      } finally {
        t.clock.offset = 0;
      }
    });

    it('refuses a revoked device, even when it registers again', async () => {
      const a = await newAssociation();
      const admin = await registeredDevice(t, a);
      const d = await registeredDevice(t, a, 'Portable');
      await admin.client.revoke(d.deviceId, await revokeSignature(a, d.deviceId));
      const e = await failure(d.client.pull(0));
      expect(e?.code).toBe('HUB_REFUSED');
      expect(e?.message).toContain("retiré de l'association");
      expect(e?.details?.['hubCode']).toBe('DEVICE_REVOKED');
      expect((await failure(d.client.register(registration(a, d))))?.details?.['hubCode']).toBe('DEVICE_REVOKED');
    });
  });
});

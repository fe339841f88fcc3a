/** Pairing invitations and device revocation at the hub, on SQLite and PostgreSQL. */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient } from '../../main/sync/hubClient';
import { INVITE_MAX_ATTEMPTS, INVITE_TTL_MS } from '../../shared/sync/protocol';
import { BACKENDS, envelope, failure, newAssociation, newDevice, registeredDevice, revokeSignature, skipBackend, startHub, type TestAssociation, type TestDevice, type TestHub } from './helpers';

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');

describe.each(BACKENDS)('hub invites and revocation (%s)', (backend) => {
  describe.skipIf(skipBackend(backend))(backend, () => {
    let t: TestHub;
    beforeAll(async () => {
      t = await startHub(backend);
    });
    afterAll(async () => {
      await t?.close();
    });

    /** An administrator's device invites a new one; returns the code's parts and the invited device. */
    async function invite(a: TestAssociation, admin: TestDevice) {
      const invited = await newDevice(t, a);
      const authKey = randomBytes(32);
      const inviteId = `inv-${randomBytes(6).toString('hex')}`;
      const payload = b64(randomBytes(300));
      const res = await admin.client.invite({
        inviteId,
        verifier: createHash('sha256').update(authKey).digest('hex'),
        payload,
        device: { deviceId: invited.deviceId, publicKey: invited.publicKey, cert: invited.cert, name: 'Nouveau poste' },
      });
      return { invited, authKey: b64(authKey), inviteId, payload, expiresAt: res.expiresAt };
    }

    const redeem = (inviteId: string, authKey: string) => HubClient.redeemInvite(t.url, { inviteId, authKey });

    it('activates the invited device with the right code, once', async () => {
      const a = await newAssociation();
      const admin = await registeredDevice(t, a);
      const inv = await invite(a, admin);
      expect(Math.abs(inv.expiresAt - (Date.now() + INVITE_TTL_MS))).toBeLessThan(5_000);
      // Before redeeming, the invited device is unknown to the hub and absent from the list.
      expect((await failure(inv.invited.client.pull(0)))?.details?.['hubCode']).toBe('UNAUTHENTICATED');
      expect((await admin.client.devices()).devices.map((d) => d.deviceId)).toEqual([admin.deviceId]);
      const r = await redeem(inv.inviteId, inv.authKey);
      expect(r).toMatchObject({ associationId: a.associationId, deviceId: inv.invited.deviceId, payload: inv.payload });
      await admin.client.push([envelope(a, admin)]);
      expect((await inv.invited.client.pull(0)).envelopes).toHaveLength(1);
      expect((await admin.client.devices()).devices.map((d) => d.deviceId).sort()).toEqual([admin.deviceId, inv.invited.deviceId].sort());
      const again = await failure(redeem(inv.inviteId, inv.authKey));
      expect(again?.code).toBe('INVITE_INVALID');
      expect(again?.details?.['hubCode']).toBe('INVITE_USED');
    });

    it('counts wrong codes and burns the invite at the fifth', async () => {
      const a = await newAssociation();
      const admin = await registeredDevice(t, a);
      const inv = await invite(a, admin);
      for (let i = 1; i <= INVITE_MAX_ATTEMPTS; i++) {
        const e = await failure(redeem(inv.inviteId, b64(randomBytes(32))));
        expect(e?.code).toBe('INVITE_INVALID');
        expect(e?.details?.['status']).toBe(403);
        if (i < INVITE_MAX_ATTEMPTS) expect(e?.message).toContain(`encore ${INVITE_MAX_ATTEMPTS - i} essai`);
        else expect(e?.message).toContain('bloquée');
      }
      const locked = await failure(redeem(inv.inviteId, inv.authKey)); // even the right code now
      expect(locked?.details?.['hubCode']).toBe('INVITE_LOCKED');
      expect((await failure(inv.invited.client.pull(0)))?.details?.['hubCode']).toBe('UNAUTHENTICATED');
    });

    it('refuses an expired invite and an unknown one', async () => {
      const a = await newAssociation();
      const admin = await registeredDevice(t, a);
      const inv = await invite(a, admin);
      t.clock.offset = INVITE_TTL_MS + 60_000;
      try {
        const e = await failure(redeem(inv.inviteId, inv.authKey));
        expect(e?.code).toBe('INVITE_INVALID');
        expect(e?.details?.['hubCode']).toBe('INVITE_EXPIRED');
      } finally {
        t.clock.offset = 0;
      }
      const unknown = await failure(redeem('inv-nope', inv.authKey));
      expect(unknown?.details).toMatchObject({ hubCode: 'INVITE_INVALID', status: 404 });
    });

    it('refuses an invited device the root did not certify, or whose id is taken', async () => {
      const a = await newAssociation();
      const admin = await registeredDevice(t, a);
      const stranger = await newDevice(t, await newAssociation());
      const base = { inviteId: 'inv-x1', verifier: 'a'.repeat(64), payload: 'AAAA' };
      const e = await failure(admin.client.invite({ ...base, device: { deviceId: stranger.deviceId, publicKey: stranger.publicKey, cert: stranger.cert, name: 'X' } }));
      expect(e?.details?.['hubCode']).toBe('FORBIDDEN');
      const taken = await failure(admin.client.invite({ ...base, device: { deviceId: admin.deviceId, publicKey: admin.publicKey, cert: admin.cert, name: 'X' } }));
      expect(taken?.details?.['status']).toBe(409);
    });

    it('revokes a device with the root signature: refused from then on, idempotently', async () => {
      const a = await newAssociation();
      const admin = await registeredDevice(t, a);
      const laptop = await registeredDevice(t, a, 'Portable');
      await laptop.client.push([envelope(a, laptop)]);
      const sig = await revokeSignature(a, laptop.deviceId);
      await admin.client.revoke(laptop.deviceId, sig);
      await admin.client.revoke(laptop.deviceId, sig); // again: fine
      for (const call of [() => laptop.client.pull(0), () => laptop.client.push([envelope(a, laptop)]), () => laptop.client.devices()]) {
        const e = await failure(call());
        expect(e?.details?.['hubCode']).toBe('DEVICE_REVOKED');
        expect(e?.message).toContain("Ce poste a été retiré de l'association");
      }
      const listed = (await admin.client.devices()).devices.find((d) => d.deviceId === laptop.deviceId);
      expect(listed?.revokedAt).toEqual(expect.any(Number));
      expect(listed?.lastSeenAt).toEqual(expect.any(Number));
      // The admin device still works.
      expect((await admin.client.pull(0)).envelopes).toHaveLength(1);
    });

    it('refuses a revocation without the root signature, or of another association’s device', async () => {
      const a = await newAssociation();
      const b = await newAssociation();
      const admin = await registeredDevice(t, a);
      const victim = await registeredDevice(t, a);
      const foreign = await registeredDevice(t, b);
      // Signed by a device key instead of the root, or by another association's root.
      const bySelf = b64(randomBytes(64));
      expect((await failure(victim.client.revoke(admin.deviceId, bySelf)))?.details).toMatchObject({ hubCode: 'FORBIDDEN', status: 403 });
      const byB = await revokeSignature({ ...b, associationId: a.associationId }, admin.deviceId);
      expect((await failure(victim.client.revoke(admin.deviceId, byB)))?.details?.['hubCode']).toBe('FORBIDDEN');
      expect((await admin.client.devices()).devices.every((d) => d.revokedAt === null)).toBe(true);
      const cross = await failure(admin.client.revoke(foreign.deviceId, await revokeSignature(a, foreign.deviceId)));
      expect(cross?.details?.['status']).toBe(404);
      expect((await foreign.client.devices()).devices[0]?.revokedAt).toBeNull();
    });

    it('cancels a pending invite when its device is revoked before redeeming', async () => {
      const a = await newAssociation();
      const admin = await registeredDevice(t, a);
      const inv = await invite(a, admin);
      await admin.client.revoke(inv.invited.deviceId, await revokeSignature(a, inv.invited.deviceId));
      expect((await failure(redeem(inv.inviteId, inv.authKey)))?.code).toBe('INVITE_INVALID');
    });
  });
});

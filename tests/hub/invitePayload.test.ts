/**
 * The hub keeps an invitation's sealed payload (with the pairing code, it opens to the database key, the scope keys
 * and every key slot) only while the invitation can be redeemed: erased on redemption, when burnt, on expiry, and
 * by migration 0020 for those stored before. On SQLite and PostgreSQL.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient } from '../../main/sync/hubClient';
import { openHubDatabase } from '../../hub/storage/database';
import { INVITE_MAX_ATTEMPTS, INVITE_TTL_MS } from '../../shared/sync/protocol';
import { BACKENDS, failure, newAssociation, newDevice, registeredDevice, skipBackend, startHub, testStorage, type TestAssociation, type TestDevice, type TestHub } from './helpers';

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');

describe.each(BACKENDS)('hub invitation payloads (%s)', (backend) => {
  describe.skipIf(skipBackend(backend))(backend, () => {
    let t: TestHub;
    beforeAll(async () => {
      t = await startHub(backend);
    });
    afterAll(async () => {
      await t?.close();
    });

    async function invite(a: TestAssociation, admin: TestDevice) {
      const invited = await newDevice(t, a);
      const authKey = randomBytes(32);
      const inviteId = `inv-${randomBytes(6).toString('hex')}`;
      await admin.client.invite({
        inviteId,
        verifier: createHash('sha256').update(authKey).digest('hex'),
        payload: b64(randomBytes(300)),
        device: { deviceId: invited.deviceId, publicKey: invited.publicKey, cert: invited.cert, name: 'Nouveau poste' },
      });
      return { inviteId, authKey: b64(authKey) };
    }

    const payloadOf = async (inviteId: string): Promise<unknown> => {
      const row = await (await t.db()).knex('invites').where({ invite_id: inviteId }).first('payload');
      return row?.payload;
    };

    it('erases the payload when the invitation is redeemed (the answer still carries it)', async () => {
      const a = await newAssociation();
      const admin = await registeredDevice(t, a);
      const inv = await invite(a, admin);
      expect(typeof (await payloadOf(inv.inviteId))).toBe('string');
      const res = await HubClient.redeemInvite(t.url, { inviteId: inv.inviteId, authKey: inv.authKey });
      expect(res.payload.length).toBeGreaterThan(100);
      expect(await payloadOf(inv.inviteId)).toBeNull();
      expect((await failure(HubClient.redeemInvite(t.url, { inviteId: inv.inviteId, authKey: inv.authKey })))?.details?.['hubCode']).toBe('INVITE_USED');
    });

    it('erases the payload of a burnt invitation at the last wrong code', async () => {
      const a = await newAssociation();
      const admin = await registeredDevice(t, a);
      const inv = await invite(a, admin);
      for (let i = 0; i < INVITE_MAX_ATTEMPTS; i++) await failure(HubClient.redeemInvite(t.url, { inviteId: inv.inviteId, authKey: b64(randomBytes(32)) }));
      expect(await payloadOf(inv.inviteId)).toBeNull();
    });

    it('erases the payload of an expired invitation, when asked for and by the sweep', async () => {
      const a = await newAssociation();
      const admin = await registeredDevice(t, a);
      const asked = await invite(a, admin);
      const forgotten = await invite(a, admin);
      t.clock.offset += INVITE_TTL_MS + 1000;
      try {
        const live = await invite(a, admin);
        expect((await failure(HubClient.redeemInvite(t.url, { inviteId: asked.inviteId, authKey: asked.authKey })))?.details?.['hubCode']).toBe('INVITE_EXPIRED');
        expect(await payloadOf(asked.inviteId)).toBeNull();
        expect(typeof (await payloadOf(forgotten.inviteId))).toBe('string');
        expect((await t.hub.sweep()).invites).toBeGreaterThanOrEqual(1);
        expect(await payloadOf(forgotten.inviteId)).toBeNull();
        expect(typeof (await payloadOf(live.inviteId))).toBe('string');
      } finally {
        t.clock.offset -= INVITE_TTL_MS + 1000;
      }
    });
  });
});

describe.each(BACKENDS)('hub migration 0020: payloads stored before are purged (%s)', (backend) => {
  it.skipIf(skipBackend(backend))('erases used, burnt and expired payloads, keeps the live one', async () => {
    const storage = testStorage(backend);
    try {
      const before = await openHubDatabase(storage.dataDir, storage.databaseUrl, 2, '0010_init');
      const now = Date.now();
      const row = (id: string, o: { used?: boolean; attempts?: number; expiresAt?: number }) => ({
        invite_id: id,
        association_id: 'asso-1',
        verifier: '0'.repeat(64),
        payload: `sealed-${id}`,
        device_id: `dev-${id}`,
        created_at: now - 60_000,
        expires_at: o.expiresAt ?? now + INVITE_TTL_MS,
        attempts: o.attempts ?? 0,
        used_at: o.used ? now - 30_000 : null,
      });
      await before.knex('invites').insert([row('used', { used: true }), row('burnt', { attempts: INVITE_MAX_ATTEMPTS }), row('expired', { expiresAt: now - 1 }), row('live', {})]);
      await before.knex.destroy();

      const after = await openHubDatabase(storage.dataDir, storage.databaseUrl, 2);
      try {
        const rows = (await after.knex('invites').orderBy('invite_id').select('invite_id', 'payload')) as { invite_id: string; payload: string | null }[];
        expect(Object.fromEntries(rows.map((r) => [r.invite_id, r.payload]))).toEqual({ burnt: null, expired: null, live: 'sealed-live', used: null });
        // The column takes null from now on (the redeem route writes it).
        await after.knex('invites').where({ invite_id: 'live' }).update({ payload: null });
        expect((await after.knex('invites').where({ invite_id: 'live' }).first('payload'))?.payload).toBeNull();
      } finally {
        await after.knex.destroy();
      }
    } finally {
      await storage.drop();
    }
  });
});
